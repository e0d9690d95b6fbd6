package org.scoutfs.fuse;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs command-line tools against a mount, with a timeout so a hung mount fails the test instead of hanging it. */
final class Shell {
    /** Exit code and output of a finished command. */
    record Result(int exitCode, String stdout, String stderr) {
        Result assertSuccess() {
            if (exitCode != 0) {
                throw new AssertionError("command failed with " + exitCode + ": " + stderr.trim() + " " + stdout.trim());
            }
            return this;
        }
    }

    private Shell() {
    }

    static Result run(String... command) {
        return run(Duration.ofSeconds(30), command);
    }

    static Result run(Duration timeout, String... command) {
        Process process = start(command);
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()));
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()));
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("command timed out after " + timeout + ": " + List.of(command));
            }
            return new Result(process.exitValue(), stdout.join(), stderr.join());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError("interrupted running " + List.of(command), e);
        }
    }

    /** Starts a command without waiting; the caller owns the process. */
    static Process start(String... command) {
        try {
            return new ProcessBuilder(command).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String drain(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
