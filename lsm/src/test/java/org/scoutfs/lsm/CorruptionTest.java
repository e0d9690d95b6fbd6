package org.scoutfs.lsm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scoutfs.lsm.block.FileBlockDevice;
import org.scoutfs.lsm.btree.BtreeReader;
import org.scoutfs.lsm.format.BlockRef;
import org.scoutfs.lsm.format.Format;
import org.scoutfs.lsm.format.FormatHash;
import org.scoutfs.lsm.format.Key;
import org.scoutfs.lsm.format.SuperBlock;
import org.scoutfs.lsm.format.Zones;
import org.scoutfs.lsm.server.Mkfs;
import org.scoutfs.lsm.server.Supers;
import org.scoutfs.lsm.testing.Batches;
import org.scoutfs.lsm.txn.Txn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Damaged devices give clear errors that name what is wrong, and never wrong data. */
class CorruptionTest {
    @TempDir
    Path dir;

    private Path volumeWithItems() throws IOException {
        Path dev = dir.resolve("vol");
        try (FileChannel ch = FileChannel.open(dev, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(1), (64L << 20) - 1);
        }
        try (FileBlockDevice d = FileBlockDevice.open(dev, true)) {
            Mkfs.format(d, null, new Mkfs.Options(1, 0, false));
        }
        try (Volume v = Volume.open(dev, null, VolumeModelTest.testOptions())) {
            for (int b = 0; b < 5; b++) {
                Batches.apply(v.store(), 5, b);
            }
            v.mergeNow();
        }
        return dev;
    }

    private static void flipByte(Path dev, long pos) throws IOException {
        try (FileChannel ch = FileChannel.open(dev, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            ch.read(b, pos);
            b.put(0, (byte) (b.get(0) ^ 0x5a));
            b.rewind();
            ch.write(b, pos);
        }
    }

    private static SuperBlock superOf(Path dev) {
        try (FileBlockDevice d = FileBlockDevice.open(dev, false)) {
            return Supers.readNewest(d);
        }
    }

    private static List<BlockRef> fsRootLeaves(Path dev) {
        SuperBlock sb = superOf(dev);
        List<BlockRef> refs = new ArrayList<>();
        try (FileBlockDevice d = FileBlockDevice.open(dev, false)) {
            var blocks = new org.scoutfs.lsm.block.MetaBlocks(d, sb.fsid(), new org.scoutfs.lsm.block.BlockCache(64));
            BtreeReader.visitBlocks(blocks, sb.fsRoot(), refs::add);
        }
        return refs;
    }

    @Test
    void flippedByteInAnItemBlockIsReportedAsCorruptionOfThatBlock() throws IOException {
        Path dev = volumeWithItems();
        List<BlockRef> blocks = fsRootLeaves(dev);
        BlockRef victim = blocks.getLast();
        flipByte(dev, (victim.blkno() << Format.META_BLOCK_SHIFT) + 5000);
        try (Volume v = Volume.open(dev, null, VolumeModelTest.testOptions())) {
            assertThatThrownBy(() -> v.store().scan(Key.MIN, Key.MAX, Integer.MAX_VALUE))
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining("block " + victim.blkno())
                    .hasMessageContaining("crc32c mismatch");
            // items outside the damaged block still read
            assertThat(v.store().get(Zones.inodeKey(Zones.ROOT_INO))).isNotNull();
        }
    }

    @Test
    void damagedServerTreeStopsTheOpenWithANamedBlock() throws IOException {
        Path dev = volumeWithItems();
        SuperBlock sb = superOf(dev);
        long blkno = sb.serverRoot().ref().blkno();
        flipByte(dev, (blkno << Format.META_BLOCK_SHIFT) + 100);
        assertThatThrownBy(() -> Volume.open(dev, null, VolumeModelTest.testOptions()))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining("server tree block " + blkno);
    }

    @Test
    void tornNewestSuperFallsBackToThePreviousCommit() throws IOException {
        Path dev = volumeWithItems();
        SuperBlock newest = superOf(dev);
        flipByte(dev, SuperBlock.copyOffset(newest.seq()) + 200);
        SuperBlock fallback = superOf(dev);
        assertThat(fallback.seq()).isEqualTo(newest.seq() - 1);
        try (Volume v = Volume.open(dev, null, VolumeModelTest.testOptions())) {
            assertThat(v.store().get(Zones.inodeKey(Zones.ROOT_INO))).isNotNull();
        }
    }

    @Test
    void bothSupersDamagedIsAClearError() throws IOException {
        Path dev = volumeWithItems();
        flipByte(dev, 300);
        flipByte(dev, 4096 + 300);
        assertThatThrownBy(() -> Volume.open(dev, null, VolumeModelTest.testOptions()))
                .isInstanceOf(CorruptionException.class)
                .hasMessageContaining("no valid scoutfs super block")
                .hasMessageContaining("copy at byte 0: super block copy at byte 0: crc32c mismatch")
                .hasMessageContaining("copy at byte 4096");
    }

    @Test
    void truncatedDeviceIsRefused() throws IOException {
        Path dev = volumeWithItems();
        try (FileChannel ch = FileChannel.open(dev, StandardOpenOption.WRITE)) {
            ch.truncate(20L << 20);
        }
        assertThatThrownBy(() -> Volume.open(dev, null, VolumeModelTest.testOptions()))
                .isInstanceOf(BadVolumeException.class)
                .hasMessageContaining("truncated");
    }

    @Test
    void volumeOfAnotherFormatIsRefusedNamingBothFormats() throws IOException {
        Path dev = volumeWithItems();
        SuperBlock sb = superOf(dev);
        SuperBlock other = sb.toBuilder().formatHash(sb.formatHash() ^ 0xff).build();
        try (FileChannel ch = FileChannel.open(dev, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(other.encode()), SuperBlock.copyOffset(other.seq()));
        }
        assertThatThrownBy(() -> Volume.open(dev, null, VolumeModelTest.testOptions()))
                .isInstanceOf(FormatMismatchException.class)
                .hasMessageContaining(FormatHash.toHex(other.formatHash()))
                .hasMessageContaining(FormatHash.toHex(FormatHash.build()))
                .hasMessageContaining("use a scoutfs build of the volume's format");
    }

    @Test
    void fileThatIsNotAVolumeSaysSo() throws IOException {
        Path dev = dir.resolve("zeros");
        try (FileChannel ch = FileChannel.open(dev, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.allocate(1), (40L << 20) - 1);
        }
        assertThatThrownBy(() -> Volume.open(dev, null, VolumeModelTest.testOptions()))
                .isInstanceOf(BadVolumeException.class)
                .hasMessageContaining("does not hold a scoutfs volume")
                .hasMessageContaining("scoutfs mkfs");
    }

    @Test
    void missingDeviceSaysSo() {
        assertThatThrownBy(() -> Volume.open(dir.resolve("nope"), null, VolumeModelTest.testOptions()))
                .isInstanceOf(BadVolumeException.class)
                .hasMessageContaining("no such file or device");
    }

    @Test
    void headerNamingAnotherLocationIsNotTrusted() throws IOException {
        Path dev = volumeWithItems();
        List<BlockRef> blocks = fsRootLeaves(dev);
        BlockRef a = blocks.getLast();
        // copy a valid block from elsewhere over it: good checksum, wrong location
        BlockRef b = blocks.getFirst();
        try (FileChannel ch = FileChannel.open(dev, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer buf = ByteBuffer.allocate(Format.META_BLOCK_SIZE);
            ch.read(buf, b.blkno() << Format.META_BLOCK_SHIFT);
            buf.flip();
            ch.write(buf, a.blkno() << Format.META_BLOCK_SHIFT);
        }
        try (Volume v = Volume.open(dev, null, VolumeModelTest.testOptions())) {
            assertThatThrownBy(() -> v.store().scan(Key.MIN, Key.MAX, Integer.MAX_VALUE))
                    .isInstanceOf(CorruptionException.class)
                    .hasMessageContaining("block " + a.blkno())
                    .hasMessageContaining("header names block " + b.blkno());
        }
    }

    @Test
    void itemsWrittenThroughTheApiSurviveCleanReopen() throws IOException {
        Path dev = volumeWithItems();
        Key k = new Key(Zones.FS, 99_999, 4);
        try (Volume v = Volume.open(dev, null, VolumeModelTest.testOptions()); Txn t = v.store().hold()) {
            t.put(k, new byte[] {1, 2, 3});
        }
        try (Volume v = Volume.open(dev, null, VolumeModelTest.testOptions())) {
            assertThat(v.store().get(k)).containsExactly(1, 2, 3);
        }
    }
}
