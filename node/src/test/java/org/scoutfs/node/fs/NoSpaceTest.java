package org.scoutfs.node.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scoutfs.node.testing.ScoutfsMount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A full volume stays usable: filling data or metadata ends in ENOSPC (not EIO, not a failed
 * node), what was written before stays readable, deleting works on the full volume, and the
 * freed space can be written again, before and after a remount.
 *
 * <p>The volume is tiny (16 MiB of metadata, 24 MiB of data) so that filling it is quick.
 */
class NoSpaceTest {
    private static final long VOLUME_BYTES = 40L << 20;

    @TempDir
    Path dir;

    @Test
    void fillingDataEndsInEnospcAndDeletingGivesTheSpaceBack() throws IOException {
        try (ScoutfsMount mount = ScoutfsMount.create(dir, VOLUME_BYTES)) {
            Path root = mount.root();
            byte[] block = pattern(1 << 20, 7);
            List<Path> files = new ArrayList<>();
            long written = fillWithFiles(root, "d", block, files);
            assertThat(written).as("the data device holds most of its 24 MiB").isGreaterThan(16L << 20);
            long freeWhenFull = Files.getFileStore(root).getUsableSpace();
            assertThat(freeWhenFull).as("statfs agrees the volume is full").isLessThan(2L << 20);

            // everything written before the failure is intact; the file the failure hit holds a
            // prefix of what was written to it
            for (int i = 0; i < files.size(); i++) {
                byte[] got = Files.readAllBytes(files.get(i));
                byte[] want = i < files.size() - 1 ? block : Arrays.copyOf(block, got.length);
                assertThat(Arrays.equals(got, want)).as("%s intact", files.get(i)).isTrue();
            }

            // deleting works on the full volume and gives the space back
            for (Path f : files) {
                Files.delete(f);
            }
            mount.node().filesystem().sync();
            waitForFreeSpaceAbove(root, written * 3 / 4);
            List<Path> again = new ArrayList<>();
            long rewritten = fillWithFiles(root, "e", block, again);
            assertThat(rewritten).as("the freed space can be written again").isGreaterThanOrEqualTo(written - (2L << 20));

            mount.remount();
            assertThat(Arrays.equals(Files.readAllBytes(again.get(0)), block)).isTrue();
            for (Path f : again) {
                Files.delete(f);
            }
            Files.write(root.resolve("after-remount"), block);
            assertThat(Files.size(root.resolve("after-remount"))).isEqualTo(block.length);
        }
    }

    @Test
    void fillingMetadataEndsInEnospcAndUnlinkStillWorks() throws IOException {
        try (ScoutfsMount mount = ScoutfsMount.create(dir, VOLUME_BYTES)) {
            Path root = mount.root();
            Path tree = Files.createDirectory(root.resolve("tree"));
            byte[] value = pattern(60 << 10, 3);
            int made = 0;
            IOException full = null;
            // large xattrs (four of 60 KiB per file) fill the metadata in a few dozen files
            for (int i = 0; i < 100_000 && full == null; i++) {
                try {
                    Path f = Files.createFile(tree.resolve("f" + i));
                    made++;
                    UserDefinedFileAttributeView view = Files.getFileAttributeView(f, UserDefinedFileAttributeView.class);
                    for (int x = 0; x < 4; x++) {
                        view.write("big" + x, ByteBuffer.wrap(value));
                    }
                } catch (FileSystemException e) {
                    full = e;
                }
            }
            assertThat(full).as("metadata filled up").isNotNull();
            assertThat(full.getMessage()).contains("No space left on device");
            assertThat(made).isGreaterThan(10);

            // the full volume still reads, and still deletes
            List<Path> all;
            try (Stream<Path> s = Files.list(tree)) {
                all = s.toList();
            }
            assertThat(all).hasSize(made);
            for (Path f : all) {
                Files.delete(f);
            }
            Files.delete(tree);
            mount.node().filesystem().sync();

            // space comes back once the server has merged the deletions in
            Path probe = root.resolve("probe");
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (true) {
                try {
                    if (!Files.exists(probe)) {
                        Files.createDirectory(probe);
                    }
                    Files.getFileAttributeView(probe, UserDefinedFileAttributeView.class)
                            .write("big", ByteBuffer.wrap(value));
                    break;
                } catch (FileSystemException e) {
                    if (e.getMessage() == null || !e.getMessage().contains("No space left on device")) {
                        throw e;
                    }
                    if (System.nanoTime() > deadline) {
                        fail("metadata space did not come back after deleting everything", e);
                    }
                    sleep(500);
                    mount.node().filesystem().sync();
                }
            }

            mount.remount();
            assertThat(Files.isDirectory(probe)).isTrue();
            try (Stream<Path> s = Files.list(root)) {
                assertThat(s.map(p -> p.getFileName().toString()).toList()).containsExactly("probe");
            }
            for (int i = 0; i < 50; i++) {
                Files.createFile(root.resolve("small" + i));
            }
            assertThat(Files.getFileStore(root).getUsableSpace()).isPositive();
        }
    }

    /** Writes {@code block}-sized files until ENOSPC; the last file may be short. */
    private static long fillWithFiles(Path root, String prefix, byte[] block, List<Path> files) throws IOException {
        long written = 0;
        for (int i = 0; i < 10_000; i++) {
            Path f = root.resolve(prefix + i);
            files.add(f);
            try {
                Files.write(f, block);
                written += block.length;
            } catch (IOException e) {
                assertThat(e.getMessage()).contains("No space left on device");
                written += Files.exists(f) ? Files.size(f) : 0;
                if (!Files.exists(f)) {
                    files.remove(files.size() - 1);
                }
                return written;
            }
        }
        throw new AssertionError("the volume never filled up after " + written + " bytes");
    }

    private static void waitForFreeSpaceAbove(Path root, long bytes) throws IOException {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (Files.getFileStore(root).getUsableSpace() < bytes) {
            if (System.nanoTime() > deadline) {
                fail("free space stayed at " + Files.getFileStore(root).getUsableSpace() + " after deleting, wanted " + bytes);
            }
            sleep(200);
        }
    }

    private static byte[] pattern(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + seed + (i >>> 12));
        }
        return b;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
