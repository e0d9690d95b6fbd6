package org.scoutfs.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.scoutfs.fuse.internal.sys.MountTable;

/**
 * Verifies that a daemon killed with SIGKILL leaves no dead mount behind: the fusermount3 helper
 * started with auto_unmount sees our socket close and unmounts.
 */
class CrashAutoUnmountTest {
    private static final Duration GENEROUS = Duration.ofSeconds(30);

    @Test
    void killMinusNineOfTheDaemonRemovesTheMount() throws Exception {
        MountFixture.assumeFuseAvailable();
        Path dir = Files.createTempDirectory("scoutfs-crash-test-");
        Process child = startChild(dir);
        try {
            assertThat(awaitReady(child)).as("child reported the mount").isTrue();
            assertThat(MountTable.isFuseMounted(dir)).isTrue();
            Files.writeString(dir.resolve("written-by-parent"), "x");

            child.destroyForcibly();
            assertThat(child.waitFor(GENEROUS.toSeconds(), TimeUnit.SECONDS)).isTrue();

            Eventually.assertThat(GENEROUS, () -> !MountTable.isFuseMounted(dir), "mount disappears after kill -9");
            assertThat(Shell.run("ls", dir.toString()).exitCode()).as("mount point is a plain directory again").isZero();
        } finally {
            child.destroyForcibly();
            MountFixture.forceUnmount(dir);
            Files.deleteIfExists(dir);
        }
    }

    private static Process startChild(Path dir) throws Exception {
        String java = ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString());
        return new ProcessBuilder(List.of(java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"),
                ChildMountMain.class.getName(), dir.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static boolean awaitReady(Process child) throws Exception {
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    if (line.equals(ChildMountMain.READY)) {
                        return true;
                    }
                }
                return false;
            } catch (java.io.IOException e) {
                return false;
            }
        }, runnable -> Thread.ofVirtual().start(runnable));
        try {
            return ready.get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return false;
        }
    }
}
