package org.scoutfs.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.scoutfs.fuse.internal.sys.MountTable;
import org.scoutfs.fuse.testfs.MemoryFileSystem;

/** Verifies every way a session can end: close, external umount, fusermount3 -u, and a busy mount. */
class UnmountMountTest {
    private static final Duration GENEROUS = Duration.ofSeconds(20);

    private Path dir;
    private MemoryFileSystem fs;
    private FuseMount mount;

    @BeforeEach
    void prepare() throws IOException {
        MountFixture.assumeFuseAvailable();
        dir = Files.createTempDirectory("scoutfs-unmount-test-");
        fs = new MemoryFileSystem();
    }

    @AfterEach
    void cleanUp() throws IOException {
        try {
            if (mount != null) {
                mount.close();
            }
        } finally {
            MountFixture.forceUnmount(dir);
            Files.deleteIfExists(dir);
        }
    }

    @Test
    void closeUnmountsAndDestroysOnce() throws Exception {
        mount = FuseMount.mount(fs, dir);
        Files.writeString(dir.resolve("f"), "x");
        assertThat(MountTable.isFuseMounted(dir)).isTrue();
        assertThat(MountTable.find(dir).orElseThrow().fsType()).isEqualTo("fuse.scoutfs");

        mount.close();
        assertThat(mount.isTerminated()).isTrue();
        assertThat(MountTable.isFuseMounted(dir)).isFalse();
        assertThat(fs.probe().destroyCalls()).isEqualTo(1);
        mount.close();
        assertThat(fs.probe().destroyCalls()).isEqualTo(1);
    }

    @Test
    void externalUmountEndsTheSession() throws Exception {
        mount = FuseMount.mount(fs, dir);
        Files.writeString(dir.resolve("f"), "x");
        Shell.run("umount", dir.toString()).assertSuccess();
        assertThat(mount.awaitTermination(GENEROUS)).isTrue();
        assertThat(fs.probe().destroyCalls()).isEqualTo(1);
        assertThat(MountTable.isFuseMounted(dir)).isFalse();
    }

    @Test
    void externalFusermountUnmountEndsTheSession() throws Exception {
        mount = FuseMount.mount(fs, dir);
        Shell.run("fusermount3", "-u", dir.toString()).assertSuccess();
        assertThat(mount.awaitTermination(GENEROUS)).isTrue();
        assertThat(MountTable.isFuseMounted(dir)).isFalse();
    }

    @Test
    void directMountWorksAndUnmounts() throws Exception {
        mount = FuseMount.mount(fs, dir, MountOptions.builder().method(MountOptions.Method.DIRECT).build());
        Files.writeString(dir.resolve("direct"), "mounted with mount(2)");
        assertThat(Files.readString(dir.resolve("direct"))).isEqualTo("mounted with mount(2)");
        mount.close();
        assertThat(MountTable.isFuseMounted(dir)).isFalse();
        assertThat(fs.probe().destroyCalls()).isEqualTo(1);
    }

    @Test
    void closeInterruptsAnOperationThatWouldOtherwiseBlockTheEnd() throws Exception {
        mount = FuseMount.mount(fs, dir);
        Files.writeString(dir.resolve("stuck"), "x");
        fs.setDirectIo(fs.inoOf("stuck"), true);
        CountDownLatch readEntered = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        fs.probe().onRead((ctx, ino) -> {
            readEntered.countDown();
            try {
                Thread.sleep(Duration.ofMinutes(2));
            } catch (InterruptedException e) {
                interrupted.set(true);
                throw e;
            }
        });
        Process reader = Shell.start("cat", dir.resolve("stuck").toString());
        try {
            assertThat(readEntered.await(GENEROUS.toSeconds(), TimeUnit.SECONDS)).isTrue();
            mount.close();
            assertThat(mount.isTerminated()).as("session ended within the close timeout").isTrue();
            assertThat(interrupted).as("the blocked operation was interrupted").isTrue();
        } finally {
            reader.destroyForcibly();
            reader.waitFor(GENEROUS.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /** Closing a file of an aborted connection reports the abort (the FLUSH fails); nothing to do about it. */
    private static void closeIgnoringNotConnected(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException expected) {
            assertThat(expected).hasMessageContaining("not connected");
        }
    }

    @Test
    void closeOfABusyMountAbortsTheConnection() throws Exception {
        mount = FuseMount.mount(fs, dir);
        Files.writeString(dir.resolve("open"), "x");
        FileChannel channel = FileChannel.open(dir.resolve("open"), StandardOpenOption.READ);
        try {
            mount.close();
            assertThat(mount.isTerminated()).isTrue();
            assertThat(MountTable.isFuseMounted(dir)).isFalse();
            assertThatThrownBy(() -> channel.read(ByteBuffer.allocate(8), 0))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("not connected");
        } finally {
            closeIgnoringNotConnected(channel);
        }
    }
}
