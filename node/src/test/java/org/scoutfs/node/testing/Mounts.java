package org.scoutfs.node.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Checks on the kernel's mount table, and the last-resort cleanup a test runs so nothing stays mounted. */
public final class Mounts {
    private Mounts() {
    }

    public static boolean isMounted(Path mountPoint) {
        String target = " " + mountPoint.toAbsolutePath().normalize() + " ";
        try {
            return Files.readAllLines(Path.of("/proc/mounts")).stream().anyMatch(l -> l.contains(target));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Detaches a mount a failed test left behind (lazily, so a dead daemon cannot block it). */
    public static void forceUnmountIfMounted(Path mountPoint) {
        if (!isMounted(mountPoint)) {
            return;
        }
        try {
            Process p = new ProcessBuilder("umount", "-l", mountPoint.toString()).inheritIO().start();
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException("cannot unmount " + mountPoint, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
