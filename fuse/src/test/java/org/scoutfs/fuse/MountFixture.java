package org.scoutfs.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.scoutfs.fuse.internal.sys.MountTable;
import org.scoutfs.fuse.testfs.MemoryFileSystem;

/**
 * A {@link MemoryFileSystem} mounted at a fresh temporary directory for one test.
 *
 * <p>{@link #close()} always leaves no mount behind: it closes the mount and, should that fail
 * or leave the mount in the table, detaches it by force before failing the test.
 */
final class MountFixture implements AutoCloseable {
    final MemoryFileSystem fs;
    final Path dir;
    final FuseMount mount;

    private MountFixture(MemoryFileSystem fs, Path dir, FuseMount mount) {
        this.fs = fs;
        this.dir = dir;
        this.mount = mount;
    }

    /** Skips the calling test where FUSE system tests cannot run. */
    static void assumeFuseAvailable() {
        assumeFalse(Boolean.getBoolean("scoutfs.skipSystemTests"), "system tests skipped by request");
        assumeTrue(Files.exists(Path.of("/dev/fuse")), "/dev/fuse is missing");
    }

    static MountFixture mount(MemoryFileSystem fs) throws IOException {
        return mount(fs, MountOptions.builder());
    }

    static MountFixture mount(MemoryFileSystem fs, MountOptions.Builder options) throws IOException {
        assumeFuseAvailable();
        Path dir = Files.createTempDirectory("scoutfs-fuse-test-");
        try {
            FuseMount mount = FuseMount.mount(fs, dir, options
                    .closeTimeout(Duration.ofSeconds(10))
                    .initTimeout(Duration.ofSeconds(20))
                    .build());
            return new MountFixture(fs, dir, mount);
        } catch (IOException | RuntimeException e) {
            forceUnmount(dir);
            Files.deleteIfExists(dir);
            throw e;
        }
    }

    Path path(String relative) {
        return dir.resolve(relative);
    }

    @Override
    public void close() throws IOException {
        try {
            mount.close();
        } finally {
            boolean leftBehind = MountTable.isFuseMounted(dir);
            if (leftBehind) {
                forceUnmount(dir);
            }
            Files.deleteIfExists(dir);
            assertThat(leftBehind).as("mount at %s left behind after close", dir).isFalse();
        }
        assertThat(mount.counters().failedReplies()).as("replies the kernel refused").isZero();
        assertThat(mount.counters().unexpectedErrors()).as("operations that failed unexpectedly").isZero();
    }

    /** Last resort when a test broke the normal unmount path. */
    static void forceUnmount(Path dir) {
        if (MountTable.isFuseMounted(dir)) {
            Shell.run(Duration.ofSeconds(10), "umount", "-l", dir.toString());
        }
        if (MountTable.isFuseMounted(dir)) {
            Shell.run(Duration.ofSeconds(10), "fusermount3", "-u", "-z", dir.toString());
        }
    }
}
