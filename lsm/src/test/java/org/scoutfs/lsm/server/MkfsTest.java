package org.scoutfs.lsm.server;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.junit.jupiter.api.Test;
import org.scoutfs.lsm.BadVolumeException;
import org.scoutfs.lsm.Volume;
import org.scoutfs.lsm.block.MemoryBlockDevice;
import org.scoutfs.lsm.format.Format;
import org.scoutfs.lsm.format.InodeItem;
import org.scoutfs.lsm.format.SuperBlock;
import org.scoutfs.lsm.format.Zones;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MkfsTest {
    private static final Mkfs.Options DEFAULTS = new Mkfs.Options(1, 0, false);

    @Test
    void newVolumeHasARootDirectoryAndAllSpaceFree() {
        MemoryBlockDevice dev = new MemoryBlockDevice("dev", 1L << 30);
        SuperBlock sb = Mkfs.format(dev, null, new Mkfs.Options(3, 0, false));
        assertThat(sb.quorumCount()).isEqualTo(3);
        assertThat(sb.totalMetaBlocks()).isEqualTo((1L << 30) / 8 / Format.META_BLOCK_SIZE);
        assertThat(sb.totalDataBlocks()).isEqualTo((1L << 30) * 7 / 8 / Format.DATA_BLOCK_SIZE);
        assertThat(sb.nextIno()).isEqualTo(Zones.FIRST_ALLOC_INO);
        try (Volume v = Volume.open(dev, null, Volume.Options.defaults())) {
            InodeItem root = InodeItem.decode(1, v.store().get(Zones.inodeKey(Zones.ROOT_INO)));
            assertThat(root.mode()).isEqualTo(0040755);
            assertThat(root.nlink()).isEqualTo(2);
            assertThat(root.metaSeq()).isZero();
            assertThat(v.store().get(Zones.metaSeqKey(0, Zones.ROOT_INO))).isEmpty();
            var usage = v.server().usage(0);
            assertThat(usage.freeDataBlocks()).isEqualTo(sb.totalDataBlocks());
            assertThat(usage.freeMetaBlocks()).isBetween(sb.totalMetaBlocks() - 16, sb.totalMetaBlocks());
        }
    }

    @Test
    void refusesToOverwriteAVolumeWithoutForce() {
        MemoryBlockDevice dev = new MemoryBlockDevice("dev", 64L << 20);
        SuperBlock first = Mkfs.format(dev, null, DEFAULTS);
        assertThatThrownBy(() -> Mkfs.format(dev, null, DEFAULTS))
                .isInstanceOf(BadVolumeException.class)
                .hasMessageContaining(String.format("already holds a scoutfs volume (fsid %016x)", first.fsid()))
                .hasMessageContaining("use -f");
        SuperBlock second = Mkfs.format(dev, null, new Mkfs.Options(1, 0, true));
        assertThat(second.fsid()).isNotEqualTo(first.fsid());
        assertThat(Supers.readNewest(dev).fsid()).isEqualTo(second.fsid());
    }

    @Test
    void refusesOtherFilesystems() {
        MemoryBlockDevice dev = new MemoryBlockDevice("dev", 64L << 20);
        dev.write(1080, new byte[] {0x53, (byte) 0xef});
        assertThatThrownBy(() -> Mkfs.format(dev, null, DEFAULTS))
                .isInstanceOf(BadVolumeException.class).hasMessageContaining("ext2/3/4");
        MemoryBlockDevice xfs = new MemoryBlockDevice("dev", 64L << 20);
        xfs.write(0, ByteBuffer.wrap("XFSB".getBytes()));
        assertThatThrownBy(() -> Mkfs.format(xfs, null, DEFAULTS))
                .isInstanceOf(BadVolumeException.class).hasMessageContaining("XFS");
    }

    @Test
    void tooSmallDevicesAndBadSizesAreExplained() {
        assertThatThrownBy(() -> Mkfs.format(new MemoryBlockDevice("tiny", 8L << 20), null, DEFAULTS))
                .isInstanceOf(BadVolumeException.class)
                .hasMessageContaining("tiny is 8 MiB; a volume needs at least 32 MiB");
        assertThatThrownBy(() -> Mkfs.format(new MemoryBlockDevice("dev", 64L << 20), null,
                new Mkfs.Options(1, 60L << 20, false)))
                .isInstanceOf(BadVolumeException.class)
                .hasMessageContaining("metadata size of 60 MiB does not fit");
        assertThatThrownBy(() -> new Mkfs.Options(9, 0, false))
                .isInstanceOf(BadVolumeException.class)
                .hasMessageContaining("quorum must be 1..8, not 9: a quorum of N needs 2N-1 quorum slots and a volume has 15");
        assertThatThrownBy(() -> new Mkfs.Options(0, 0, false))
                .isInstanceOf(BadVolumeException.class);
    }

    @Test
    void separateDataDeviceIsLabelledAndChecked() {
        MemoryBlockDevice meta = new MemoryBlockDevice("meta", 32L << 20);
        MemoryBlockDevice data = new MemoryBlockDevice("data", 128L << 20);
        SuperBlock sb = Mkfs.format(meta, data, DEFAULTS);
        assertThat(sb.hasDataDevice()).isTrue();
        assertThat(sb.totalMetaBlocks()).isEqualTo((32L << 20) / Format.META_BLOCK_SIZE);
        assertThat(sb.firstDataBlkno()).isEqualTo(Format.DATA_DEVICE_FIRST_BLKNO);
        try (Volume v = Volume.open(meta, data, Volume.Options.defaults())) {
            assertThat(v.dataDevice()).isSameAs(data);
        }
        assertThatThrownBy(() -> Volume.open(meta, null, Volume.Options.defaults()))
                .isInstanceOf(BadVolumeException.class).hasMessageContaining("separate data device");
        MemoryBlockDevice otherData = new MemoryBlockDevice("other", 128L << 20);
        Mkfs.format(new MemoryBlockDevice("m2", 32L << 20), otherData, DEFAULTS);
        assertThatThrownBy(() -> Volume.open(meta, otherData, Volume.Options.defaults()))
                .isInstanceOf(BadVolumeException.class).hasMessageContaining("is the data device of volume");
    }

    @Test
    void dataOnTheSameDeviceRefusesAStrayDataDevice() throws IOException {
        MemoryBlockDevice dev = new MemoryBlockDevice("dev", 64L << 20);
        Mkfs.format(dev, null, DEFAULTS);
        assertThatThrownBy(() -> Volume.open(dev, new MemoryBlockDevice("x", 64L << 20), Volume.Options.defaults()))
                .isInstanceOf(BadVolumeException.class).hasMessageContaining("is not part of it");
    }
}
