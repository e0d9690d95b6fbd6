package org.scoutfs.node.posix;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Linux filesystem mounted for one test class: a tmpfs, or an ext4 image on a loop device.
 *
 * <p>{@link #close()} always unmounts, detaches the loop device and deletes the image and mount
 * point, even after a partial setup; a JVM shutdown hook does the same if the test JVM is stopped
 * before {@code close()} runs (a surefire timeout, Ctrl-C).
 */
final class ScratchMount implements AutoCloseable {
    private final Path mountPoint;
    private final String fsType;
    private final String mountOptions;
    private final Path image;
    private String loopDevice;
    private boolean mounted;
    private boolean closed;
    private final Thread shutdownHook = new Thread(this::closeQuietly, "scratch-mount-cleanup");
    private final AtomicInteger testDirectories = new AtomicInteger();

    private ScratchMount(Path mountPoint, String fsType, String mountOptions, Path image) {
        this.mountPoint = mountPoint;
        this.fsType = fsType;
        this.mountOptions = mountOptions;
        this.image = image;
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Mounts a tmpfs (options such as {@code size=512m}); its root is mode 0755 so other uids can reach it. */
    static ScratchMount tmpfs(String options) throws IOException {
        Path dir = Files.createTempDirectory("scoutfs-posix-tmpfs-");
        ScratchMount mount = new ScratchMount(dir, "tmpfs", "mode=0755," + options, null);
        try {
            Commands.run(Commands.tool("mount"), "-t", "tmpfs", "-o", mount.mountOptions, "tmpfs", dir.toString());
            mount.mounted = true;
            return mount;
        } catch (RuntimeException | Error e) {
            mount.closeAfterFailure(e);
            throw e;
        }
    }

    /**
     * Creates a sparse image of {@code sizeBytes}, formats it with {@code mkfs.ext4 -q} plus
     * {@code mkfsOptions}, attaches it to a free loop device and mounts it with {@code mountOptions}.
     */
    static ScratchMount ext4(long sizeBytes, List<String> mkfsOptions, String mountOptions) throws IOException {
        Path dir = Files.createTempDirectory("scoutfs-posix-ext4-");
        Path image = Files.createTempFile("scoutfs-posix-ext4-", ".img");
        ScratchMount mount = new ScratchMount(dir, "ext4", mountOptions, image);
        try {
            try (RandomAccessFile file = new RandomAccessFile(image.toFile(), "rw")) {
                file.setLength(sizeBytes);
            }
            List<String> mkfs = new ArrayList<>(List.of(Commands.tool("mkfs.ext4"), "-q", "-F"));
            mkfs.addAll(mkfsOptions);
            mkfs.add(image.toString());
            Commands.run(mkfs.toArray(String[]::new));
            mount.loopDevice = Commands.run(Commands.tool("losetup"), "--find", "--show", image.toString()).stdout()
                    .strip();
            mount.mountDevice();
            // Other uids (the permission tests' probe) must be able to reach the test directories.
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            return mount;
        } catch (RuntimeException | Error | IOException e) {
            mount.closeAfterFailure(e);
            throw e;
        }
    }

    Path mountPoint() {
        return mountPoint;
    }

    /**
     * A fresh, empty, world-searchable directory on this filesystem. Names stay short so paths
     * inside fit a unix socket address.
     */
    Path newTestDirectory() throws IOException {
        Path dir = mountPoint.resolve("t" + testDirectories.incrementAndGet());
        Files.createDirectory(dir);
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    /** Unmounts and mounts again; only for filesystems that keep their contents (not tmpfs). */
    void remount() {
        if (loopDevice == null) {
            throw new IllegalStateException(fsType + " loses its contents on unmount");
        }
        unmount();
        mountDevice();
    }

    private void mountDevice() {
        Commands.run(Commands.tool("mount"), "-t", fsType, "-o", mountOptions, loopDevice, mountPoint.toString());
        mounted = true;
    }

    /**
     * Unmounts, retrying a few times because a just-closed descriptor or a just-exited child
     * (the syscall probe) can keep the mount busy for a moment.
     */
    private void unmount() {
        Commands.Result last = null;
        for (int attempt = 0; attempt < 20; attempt++) {
            last = Commands.attempt(Commands.tool("umount"), mountPoint.toString());
            if (last.succeeded()) {
                mounted = false;
                return;
            }
            sleep(Duration.ofMillis(250));
        }
        // Last resort so the loop device can at least be released once the users go away.
        Commands.attempt(Commands.tool("umount"), "-l", mountPoint.toString());
        mounted = false;
        throw new AssertionError("could not unmount " + mountPoint + " (lazily detached instead): " + last.stderr());
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        List<Throwable> failures = new ArrayList<>();
        if (mounted) {
            capture(failures, this::unmount);
        }
        if (loopDevice != null) {
            capture(failures, () -> Commands.run(Commands.tool("losetup"), "-d", loopDevice));
        }
        capture(failures, () -> deleteIfExists(mountPoint));
        if (image != null) {
            capture(failures, () -> deleteIfExists(image));
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // Called from the hook itself.
        }
        if (!failures.isEmpty()) {
            AssertionError error = new AssertionError("cleaning up " + fsType + " at " + mountPoint + " failed");
            failures.forEach(error::addSuppressed);
            throw error;
        }
    }

    private void closeAfterFailure(Throwable cause) {
        try {
            close();
        } catch (IOException | RuntimeException | Error e) {
            cause.addSuppressed(e);
        }
    }

    private void closeQuietly() {
        try {
            close();
        } catch (IOException | RuntimeException | Error e) {
            System.err.println("scratch mount cleanup at exit failed: " + e);
        }
    }

    private interface Step {
        void run() throws Exception;
    }

    private static void capture(List<Throwable> failures, Step step) {
        try {
            step.run();
        } catch (Exception | Error e) {
            failures.add(e);
        }
    }

    private static void deleteIfExists(Path path) throws IOException {
        Files.deleteIfExists(path);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
