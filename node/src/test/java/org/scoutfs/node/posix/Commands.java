package org.scoutfs.node.posix;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs system tools (mount, losetup, setfacl…) with a timeout, so a hung tool fails a test instead of hanging it. */
final class Commands {
    private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    /** Exit code and output of a finished command. */
    record Result(List<String> command, int exitCode, String stdout, String stderr) {
        boolean succeeded() {
            return exitCode == 0;
        }

        Result orThrow() {
            if (exitCode != 0) {
                throw new AssertionError("`" + String.join(" ", command) + "` exited with " + exitCode + ": "
                        + stderr.strip() + " " + stdout.strip());
            }
            return this;
        }
    }

    private Commands() {
    }

    /** Runs a command and fails unless it exits with 0. */
    static Result run(String... command) {
        return attempt(command).orThrow();
    }

    /** Runs a command and returns its result whatever the exit code. */
    static Result attempt(String... command) {
        return attempt(DEFAULT_TIMEOUT, command);
    }

    static Result attempt(Duration timeout, String... command) {
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("LC_ALL", "C.UTF-8");
        Process process;
        try {
            process = builder.start();
            process.getOutputStream().close();
        } catch (IOException e) {
            return new Result(List.of(command), 127, "", e.toString());
        }
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()),
                Commands::onOwnThread);
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()),
                Commands::onOwnThread);
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("`" + String.join(" ", command) + "` timed out after " + timeout);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new AssertionError("interrupted running " + List.of(command), e);
        }
        return new Result(List.of(command), process.exitValue(), stdout.join(), stderr.join());
    }

    /** Whether an executable of this name is on the PATH or in an sbin directory. */
    static boolean available(String tool) {
        return locate(tool) != null;
    }

    /**
     * The absolute path of a tool, looking in the sbin directories too: a non-login root shell
     * (as some CI runners start) may not have them on its PATH, and mkfs/losetup live there.
     */
    static String tool(String name) {
        String found = locate(name);
        if (found == null) {
            throw new AssertionError(name
                    + " is not installed (see the package list in PosixContract's documentation)");
        }
        return found;
    }

    private static String locate(String name) {
        String path = System.getenv().getOrDefault("PATH", "") + ":/usr/local/sbin:/usr/sbin:/sbin:/usr/bin:/bin";
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
                return Path.of(dir, name).toString();
            }
        }
        return null;
    }

    /**
     * Runs a pipe drain on its own virtual thread: on the common pool (one thread on a two-core
     * machine) the stdout drain would block the stderr drain, and a chatty tool could fill its
     * stderr pipe and hang.
     */
    private static void onOwnThread(Runnable task) {
        Thread.ofVirtual().name("command-output").start(task);
    }

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
