package org.scoutfs.node.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scoutfs.node.testing.ScoutfsMount;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * meta_seq and data_seq on a real mount: after each kind of change, every inode appears exactly
 * once per index, at the sequence of the transaction that last changed it (data_seq: last changed
 * its contents or size), directories never appear in data_seq, and deleted inodes disappear.
 */
class InodeIndexTest {
    @TempDir
    static Path dir;
    static ScoutfsMount mount;

    @BeforeAll
    static void mount() throws IOException {
        mount = ScoutfsMount.create(dir, 1L << 30);
    }

    @AfterAll
    static void unmount() {
        mount.close();
    }

    private static Map<Long, Long> walk(boolean data) {
        ScoutFs fs = mount.node().filesystem();
        fs.sync();
        Map<Long, Long> out = new HashMap<>();
        long major = 0;
        long ino = 0;
        while (true) {
            ScoutFs.IndexPage p = fs.walkInodes(data, major, ino, -1L, -1L, 100);
            for (ScoutFs.IndexEntry e : p.entries()) {
                assertThat(out.put(e.ino(), e.major())).as("inode %d appears twice", e.ino()).isNull();
                major = e.major();
                ino = e.ino() + 1;
            }
            if (!p.more()) {
                return out;
            }
        }
    }

    private static long ino(Path p) throws IOException {
        return (Long) Files.getAttribute(p, "unix:ino");
    }

    /** The sequence a change lands in: the latest in the index right after it is committed. */
    private static long latest(Map<Long, Long> index) {
        return index.values().stream().mapToLong(Long::longValue).max().orElseThrow();
    }

    @Test
    void everyKindOfChangeMovesTheInodesItTouches() throws IOException {
        Path base = Files.createDirectory(mount.root().resolve("t1"));
        Path a = Files.createDirectory(base.resolve("a"));
        Path b = Files.createDirectory(base.resolve("b"));
        Path f = Files.write(a.resolve("f"), new byte[10]);
        Path other = Files.write(base.resolve("other"), new byte[10]);
        long fIno = ino(f);
        Map<Long, Long> before = walk(false);
        Map<Long, Long> dataBefore = walk(true);
        assertThat(dataBefore).containsKeys(fIno, ino(other)).doesNotContainKeys(ino(a), ino(b), ino(base));

        // rename across directories: both directories and the file move, the bystander does not
        Files.move(f, b.resolve("g"));
        Map<Long, Long> afterRename = walk(false);
        long s1 = latest(afterRename);
        assertThat(s1).isGreaterThan(before.get(ino(a)));
        assertThat(afterRename.get(ino(a))).isEqualTo(s1);
        assertThat(afterRename.get(ino(b))).isEqualTo(s1);
        assertThat(afterRename.get(ino(b.resolve("g")))).isEqualTo(s1);
        assertThat(afterRename.get(ino(other))).isEqualTo(before.get(ino(other)));
        assertThat(walk(true).get(fIno)).as("a rename does not change data").isEqualTo(dataBefore.get(fIno));

        // a hard link moves the target and the directory
        Path g = b.resolve("g");
        Files.createLink(a.resolve("link"), g);
        Map<Long, Long> afterLink = walk(false);
        long s2 = latest(afterLink);
        assertThat(afterLink.get(ino(g))).isEqualTo(s2);
        assertThat(afterLink.get(ino(a))).isEqualTo(s2);
        assertThat(afterLink.get(ino(b))).isEqualTo(s1);

        // an xattr change moves only the inode
        UserDefinedFileAttributeView view = Files.getFileAttributeView(other, UserDefinedFileAttributeView.class);
        view.write("tag", ByteBuffer.wrap(new byte[] {1}));
        Map<Long, Long> afterXattr = walk(false);
        long s3 = latest(afterXattr);
        assertThat(afterXattr.get(ino(other))).isEqualTo(s3);
        assertThat(walk(true).get(ino(other))).isEqualTo(dataBefore.get(ino(other)));

        // writes and truncates move both indices
        try (FileChannel ch = FileChannel.open(other, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {9}), 5);
        }
        Map<Long, Long> data1 = walk(true);
        assertThat(data1.get(ino(other))).isGreaterThan(s3);
        try (FileChannel ch = FileChannel.open(other, StandardOpenOption.WRITE)) {
            ch.truncate(2);
        }
        Map<Long, Long> data2 = walk(true);
        assertThat(data2.get(ino(other))).isGreaterThan(data1.get(ino(other)));
        assertThat(walk(false).get(ino(other))).isEqualTo(data2.get(ino(other)));

        // unlinking one of two links moves the inode and its directory; deleting the last removes it
        long gIno = ino(g);
        Files.delete(a.resolve("link"));
        Map<Long, Long> afterUnlink = walk(false);
        long s4 = latest(afterUnlink);
        assertThat(afterUnlink.get(gIno)).isEqualTo(s4);
        assertThat(afterUnlink.get(ino(a))).isEqualTo(s4);
        Files.delete(g);
        waitUntilGone(gIno);
        assertThat(walk(true)).doesNotContainKey(gIno);
    }

    private static void waitUntilGone(long ino) {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (walk(false).containsKey(ino)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("deleted inode " + ino + " still in meta_seq");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void indexEntriesSurviveRemountAndStayUnique() throws IOException {
        Path base = Files.createDirectory(mount.root().resolve("t2"));
        for (int i = 0; i < 300; i++) {
            Files.write(base.resolve("f" + i), new byte[i]);
        }
        Map<Long, Long> before = walk(false);
        Map<Long, Long> dataBefore = walk(true);
        mount.remount();
        assertThat(walk(false)).isEqualTo(before);
        assertThat(walk(true)).isEqualTo(dataBefore);
    }
}
