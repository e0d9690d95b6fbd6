package org.scoutfs.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.scoutfs.fuse.testfs.MemoryFileSystem;

/**
 * Verifies that notifications drop (or fill) the kernel's caches. The filesystem hands out hour-long
 * timeouts, then changes state "behind the kernel's back" as another cluster node would: the kernel
 * keeps showing the old state until notified.
 */
class NotifyMountTest {
    private static final long ROOT = FuseFileSystem.ROOT_INO;

    private MountFixture m;
    private FuseNotifier notifier;

    @BeforeEach
    void mount() throws Exception {
        MemoryFileSystem fs = new MemoryFileSystem();
        fs.setTimeout(Duration.ofHours(1));
        m = MountFixture.mount(fs);
        notifier = m.mount.notifier();
    }

    @AfterEach
    void unmount() throws Exception {
        m.close();
    }

    @Test
    void invalidateInodeDropsCachedSize() throws Exception {
        Files.writeString(m.path("grow"), "12345");
        assertThat(Files.size(m.path("grow"))).isEqualTo(5);
        long ino = m.fs.inoOf("grow");

        m.fs.truncateBehindKernel(ino, 100);
        assertThat(Files.size(m.path("grow"))).as("cached size").isEqualTo(5);

        assertThat(notifier.invalidateInode(ino, 0, 0)).isTrue();
        assertThat(Files.size(m.path("grow"))).as("size after invalidation").isEqualTo(100);
    }

    @Test
    void invalidateEntryDropsCachedName() throws Exception {
        Files.writeString(m.path("old"), "x");
        assertThat(Files.exists(m.path("old"))).isTrue();

        m.fs.renameBehindKernel(ROOT, "old", "new");
        assertThat(Files.exists(m.path("old"))).as("cached name").isTrue();

        assertThat(notifier.invalidateEntry(ROOT, FileName.of("old"))).isTrue();
        assertThat(Files.exists(m.path("old"))).isFalse();
        assertThat(Files.exists(m.path("new"))).isTrue();
    }

    @Test
    void expireEntryMakesTheKernelRevalidate() throws Exception {
        assertThat(m.mount.connection().expireOnly()).isTrue();
        Files.writeString(m.path("expiring"), "x");
        assertThat(Files.exists(m.path("expiring"))).isTrue();
        m.fs.renameBehindKernel(ROOT, "expiring", "renamed");
        assertThat(notifier.expireEntry(ROOT, FileName.of("expiring"))).isTrue();
        assertThat(Files.exists(m.path("expiring"))).isFalse();
    }

    @Test
    void deleteEntryRemovesNameOfUnlinkedInode() throws Exception {
        Files.writeString(m.path("gone"), "x");
        long ino = m.fs.inoOf("gone");
        assertThat(Files.exists(m.path("gone"))).isTrue();

        m.fs.unlinkBehindKernel(ROOT, "gone");
        assertThat(Files.exists(m.path("gone"))).as("cached name").isTrue();
        assertThat(notifier.deleteEntry(ROOT, ino, FileName.of("gone"))).isTrue();
        assertThat(Files.exists(m.path("gone"))).isFalse();
    }

    @Test
    void notificationsAboutUncachedInodesReportFalse() {
        assertThat(notifier.invalidateInode(987_654_321L, 0, 0)).isFalse();
        assertThat(notifier.invalidateEntry(987_654_321L, FileName.of("x"))).isFalse();
    }

    @Test
    void asyncNotificationsRunInOrderOffTheCallingThread() throws Exception {
        Files.writeString(m.path("later"), "12");
        assertThat(Files.size(m.path("later"))).isEqualTo(2);
        long ino = m.fs.inoOf("later");
        m.fs.truncateBehindKernel(ino, 7);
        notifier.runAsync(n -> n.invalidateAttributes(ino)).get(20, TimeUnit.SECONDS);
        assertThat(Files.size(m.path("later"))).isEqualTo(7);
    }

    @Test
    void storePushesDataIntoThePageCacheAndRetrieveReadsItBack() throws Exception {
        Files.writeString(m.path("cached"), "0123456789");
        long ino = m.fs.inoOf("cached");
        try (FileChannel channel = FileChannel.open(m.path("cached"), StandardOpenOption.READ)) {
            assertThat(readAll(channel)).isEqualTo("0123456789");
            assertThat(notifier.store(ino, 0, ByteBuffer.wrap("ABCDE".getBytes(StandardCharsets.US_ASCII)))).isTrue();
            assertThat(readAll(channel)).as("read served from the stored pages").isEqualTo("ABCDE56789");
            byte[] retrieved = notifier.retrieve(ino, 0, 10).get(20, TimeUnit.SECONDS);
            assertThat(new String(retrieved, StandardCharsets.US_ASCII)).isEqualTo("ABCDE56789");
        }
    }

    @Test
    void pruneLetsTheKernelForgetUnusedInodes() throws Exception {
        Files.writeString(m.path("prunable"), "x");
        long ino = m.fs.inoOf("prunable");
        assertThat(Files.exists(m.path("prunable"))).isTrue();
        assertThat(m.fs.lookupCount(ino)).isPositive();
        Eventually.assertThat(Duration.ofSeconds(20), () -> {
            notifier.prune(ino);
            return m.fs.lookupCount(ino) == 0;
        }, "the kernel forgets a pruned inode");
    }

    @Test
    void incrementEpochInvalidatesEveryCachedName() throws Exception {
        Files.createDirectory(m.path("dir"));
        Files.writeString(m.path("dir/deep"), "x");
        assertThat(Files.exists(m.path("dir/deep"))).isTrue();
        m.fs.renameBehindKernel(m.fs.inoOf("dir"), "deep", "moved");
        assertThat(Files.exists(m.path("dir/deep"))).isTrue();
        notifier.incrementEpoch();
        assertThat(Files.exists(m.path("dir/deep"))).isFalse();
    }

    private static String readAll(FileChannel channel) throws Exception {
        ByteBuffer buffer = ByteBuffer.allocate(64);
        channel.read(buffer, 0);
        return new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII);
    }
}
