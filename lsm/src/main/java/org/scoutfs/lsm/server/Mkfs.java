package org.scoutfs.lsm.server;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import org.scoutfs.lsm.BadVolumeException;
import org.scoutfs.lsm.alloc.FreeSpace;
import org.scoutfs.lsm.block.BlockCache;
import org.scoutfs.lsm.block.BlockDevice;
import org.scoutfs.lsm.block.MetaBlocks;
import org.scoutfs.lsm.btree.BtreeWriter;
import org.scoutfs.lsm.format.BlockHeaders;
import org.scoutfs.lsm.format.BtreeRoot;
import org.scoutfs.lsm.format.DataLabel;
import org.scoutfs.lsm.format.Extent;
import org.scoutfs.lsm.format.Format;
import org.scoutfs.lsm.format.FormatHash;
import org.scoutfs.lsm.format.InodeItem;
import org.scoutfs.lsm.format.SuperBlock;
import org.scoutfs.lsm.format.Zones;

/**
 * Makes a new volume: the fs root holding the root directory and its index entry, the server
 * tree holding all free space, and the super block, written last.
 */
public final class Mkfs {
    private Mkfs() {
    }

    /**
     * @param quorumCount the quorum: how many quorum members' votes elect the server (1..8). Up to
     *                    {@code 2 * quorumCount - 1} mounts hold quorum slots, so the quorum is
     *                    always a majority of them and two quorums always share a member
     * @param metaBytes   bytes of a single device kept for metadata, or 0 for the default (one
     *                    eighth, at least {@link Format#MIN_META_BYTES}); ignored with a data device
     * @param force       overwrite an existing volume or filesystem
     */
    public record Options(int quorumCount, long metaBytes, boolean force) {
        public Options {
            int most = (Format.QUORUM_MAX_SLOTS + 1) / 2;
            if (quorumCount < 1 || quorumCount > most) {
                throw new BadVolumeException("quorum must be 1.." + most + ", not " + quorumCount + ": a quorum of N needs "
                        + "2N-1 quorum slots and a volume has " + Format.QUORUM_MAX_SLOTS);
            }
            if (metaBytes < 0) {
                throw new BadVolumeException("metadata size cannot be negative: " + metaBytes);
            }
        }
    }

    /** Formats {@code meta} (and {@code data}, if it is a separate device, else null) and returns the super. */
    public static SuperBlock format(BlockDevice meta, BlockDevice data, Options opts) {
        refuseExisting(meta, opts.force());
        if (data != null) {
            refuseExisting(data, opts.force());
        }
        long metaBytes;
        long firstData;
        long dataBlocks;
        if (data == null) {
            long total = meta.size();
            metaBytes = opts.metaBytes() > 0 ? opts.metaBytes() : Math.max(Format.MIN_META_BYTES, total / 8);
            metaBytes &= ~((long) Format.META_BLOCK_SIZE - 1);
            if (total < Format.MIN_META_BYTES + Format.MIN_DATA_BYTES) {
                throw new BadVolumeException(meta.name() + " is " + mib(total) + "; a volume needs at least "
                        + mib(Format.MIN_META_BYTES + Format.MIN_DATA_BYTES) + " (" + mib(Format.MIN_META_BYTES)
                        + " of metadata and " + mib(Format.MIN_DATA_BYTES) + " of data)");
            }
            if (metaBytes < Format.MIN_META_BYTES || total - metaBytes < Format.MIN_DATA_BYTES) {
                throw new BadVolumeException("a metadata size of " + mib(metaBytes) + " does not fit " + meta.name()
                        + " (" + mib(total) + "): metadata needs at least " + mib(Format.MIN_META_BYTES)
                        + " and data at least " + mib(Format.MIN_DATA_BYTES));
            }
            firstData = metaBytes >> Format.DATA_BLOCK_SHIFT;
            dataBlocks = (total - metaBytes) >> Format.DATA_BLOCK_SHIFT;
        } else {
            metaBytes = meta.size() & ~((long) Format.META_BLOCK_SIZE - 1);
            if (metaBytes < Format.MIN_META_BYTES) {
                throw new BadVolumeException("metadata device " + meta.name() + " is " + mib(meta.size())
                        + "; it needs at least " + mib(Format.MIN_META_BYTES));
            }
            long dataBytes = data.size() - (Format.DATA_DEVICE_FIRST_BLKNO << Format.DATA_BLOCK_SHIFT);
            if (dataBytes < Format.MIN_DATA_BYTES) {
                throw new BadVolumeException("data device " + data.name() + " is " + mib(data.size())
                        + "; it needs at least " + mib(Format.MIN_DATA_BYTES + (64 << 10)));
            }
            firstData = Format.DATA_DEVICE_FIRST_BLKNO;
            dataBlocks = dataBytes >> Format.DATA_BLOCK_SHIFT;
        }
        long metaBlocks = metaBytes >> Format.META_BLOCK_SHIFT;

        SecureRandom random = new SecureRandom();
        long fsid = random.nextLong();
        long now = System.currentTimeMillis() * 1_000_000L;
        MetaBlocks blocks = new MetaBlocks(meta, fsid, new BlockCache(64));
        FreeSpace metaFree = new FreeSpace("metadata");
        metaFree.loadFree(new Extent(Format.META_FIRST_BLKNO, metaBlocks - Format.META_FIRST_BLKNO));
        FreeSpace dataFree = new FreeSpace("data");
        dataFree.loadFree(new Extent(firstData, dataBlocks));
        BtreeWriter.Allocator alloc = new BtreeWriter.Allocator() {
            @Override
            public long allocMeta() {
                return metaFree.allocOne();
            }

            @Override
            public void freeMeta(long blkno) {
                metaFree.freeAfterCommit(blkno, 1);
            }
        };

        long seq = 1;
        BtreeWriter fs = new BtreeWriter(blocks, BtreeRoot.EMPTY, seq++, alloc);
        fs.put(Zones.inodeKey(Zones.ROOT_INO), 1, InodeItem.rootDirectory(now).encode());
        fs.put(Zones.metaSeqKey(0, Zones.ROOT_INO), 1, new byte[0]);
        BtreeWriter.Result fsResult = fs.finish();

        BtreeWriter server = new BtreeWriter(blocks, BtreeRoot.EMPTY, seq++, alloc);
        // every extent is new to the empty server tree, then record whatever that changes
        metaFree.drainChangedStarts();
        dataFree.drainChangedStarts();
        recordAll(server, metaFree, Zones.FREE_META);
        recordAll(server, dataFree, Zones.FREE_DATA);
        FreeSpaceItems.record(server, metaFree, dataFree);
        BtreeWriter.Result serverResult = server.finish();

        List<MetaBlocks.Written> all = new ArrayList<>(fsResult.blocks());
        all.addAll(serverResult.blocks());
        blocks.write(all);
        if (data != null) {
            data.write(0, new DataLabel(fsid, FormatHash.build(), dataBlocks).encode());
            data.force();
        }
        // clear the quorum slots and anything an earlier volume left in the super copies
        meta.write(Format.QUORUM_OFFSET, new byte[Format.QUORUM_BLOCK_SIZE * (Format.QUORUM_MAX_SLOTS + 1)]);
        for (long off : Format.SUPER_COPY_OFFSETS) {
            meta.write(off, new byte[Format.SUPER_SIZE]);
        }
        blocks.force();

        SuperBlock sb = new SuperBlock.Builder().fsid(fsid).seq(1).formatHash(FormatHash.build())
                .formatVersion(Format.VERSION).flags(data != null ? SuperBlock.FLAG_DATA_DEVICE : 0)
                .uuid(random.nextLong(), random.nextLong()).createTime(now).nextSeq(seq).nextIno(Zones.FIRST_ALLOC_INO)
                .inodeCount(1).totalMetaBlocks(metaBlocks).firstMetaBlkno(Format.META_FIRST_BLKNO)
                .totalDataBlocks(dataBlocks).firstDataBlkno(firstData).quorumCount(opts.quorumCount())
                .serverRoot(serverResult.root()).fsRoot(fsResult.root()).fsMaxSeq(1)
                .freeMetaBlocks(metaFree.total()).freeDataBlocks(dataFree.total()).build();
        meta.write(SuperBlock.copyOffset(sb.seq()), sb.encode());
        meta.force();
        return sb;
    }

    private static void recordAll(BtreeWriter tree, FreeSpace space, int zone) {
        for (Extent e : space.persistedExtents()) {
            tree.put(org.scoutfs.lsm.format.FreeExtentItem.key(zone, e.start()), tree.seq(),
                    org.scoutfs.lsm.format.FreeExtentItem.encodeLength(e.len()));
        }
    }

    private static String mib(long bytes) {
        return bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : bytes + " bytes";
    }

    /** Refuses to overwrite a scoutfs volume or a recognizable filesystem unless forced. */
    private static void refuseExisting(BlockDevice dev, boolean force) {
        if (force) {
            return;
        }
        String found = existingSignature(dev);
        if (found != null) {
            throw new BadVolumeException(dev.name() + " already holds " + found
                    + "; use -f to overwrite it (everything on it will be lost)");
        }
    }

    static String existingSignature(BlockDevice dev) {
        if (Supers.looksFormatted(dev)) {
            for (Supers.Copy c : Supers.readCopies(dev)) {
                if (c.sb() != null) {
                    return String.format("a scoutfs volume (fsid %016x)", c.sb().fsid());
                }
            }
            return "a damaged scoutfs volume";
        }
        byte[] label = new byte[Format.SUPER_SIZE];
        if (dev.size() >= label.length) {
            dev.read(0, label);
            if (BlockHeaders.magic(label) == Format.MAGIC_DATA_LABEL) {
                return "a scoutfs data device";
            }
            if (ascii(label, 0, 4).equals("XFSB")) {
                return "an XFS filesystem";
            }
            if (ascii(label, 0, 4).equals("LUKS")) {
                return "a LUKS volume";
            }
            if (ascii(label, 4086, 10).equals("SWAPSPACE2") || ascii(label, 4086, 10).equals("SWAP-SPACE")) {
                return "swap space";
            }
        }
        if (dev.size() >= 2048) {
            byte[] ext = new byte[2];
            dev.read(1080, ext);
            if ((ext[0] & 0xff) == 0x53 && (ext[1] & 0xff) == 0xef) {
                return "an ext2/3/4 filesystem";
            }
        }
        if (dev.size() >= 65536 + 72) {
            byte[] btrfs = new byte[8];
            dev.read(65536 + 64, btrfs);
            if (new String(btrfs, StandardCharsets.ISO_8859_1).equals("_BHRfS_M")) {
                return "a btrfs filesystem";
            }
        }
        return null;
    }

    private static String ascii(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }
}
