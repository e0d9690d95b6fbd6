package org.scoutfs.lsm.format;

import java.util.ArrayList;
import java.util.List;

import org.scoutfs.lsm.CorruptionException;

import static org.scoutfs.lsm.format.Layouts.LOG_TREES;
import static org.scoutfs.lsm.format.Layouts.off;

/**
 * One node's log tree as the server records it: the tree's root and bloom block, the range of
 * sequences its items carry, and the metadata and data extents granted to the node but not yet
 * used. Stored as a LOG_TREES item keyed {@code (LOG_TREES, rid, 0, nr)}.
 *
 * @param rid        the mount that writes the tree (random per mount)
 * @param nr         numbers the trees of one rid; a finalized tree is followed by nr + 1
 * @param firstSeq   no item in the tree has a lower sequence
 * @param maxItemSeq no item in the tree has a higher sequence
 * @param commitSeq  the transaction sequence of the last commit into the tree
 * @param itemBlocks blocks in the item tree, for the server's finalize policy
 */
public record LogTreesRecord(long rid, long nr, BtreeRoot itemRoot, BlockRef bloom, long firstSeq, long maxItemSeq,
                             long commitSeq, long itemBlocks, int flags, List<Extent> metaAvail,
                             List<Extent> dataAvail) {
    /** The tree takes no more commits and waits to be merged into the fs root. */
    public static final int FLAG_FINALIZED = 1;
    /** Most extents a record can carry per allocator. */
    public static final int MAX_AVAIL_EXTENTS = 64;

    private static final int ITEM_ROOT = off(LOG_TREES, "item_root");
    private static final int BLOOM_BLKNO = off(LOG_TREES, "bloom", "blkno");
    private static final int BLOOM_SEQ = off(LOG_TREES, "bloom", "seq");
    private static final int RID = off(LOG_TREES, "rid");
    private static final int NR = off(LOG_TREES, "nr");
    private static final int FIRST_SEQ = off(LOG_TREES, "first_seq");
    private static final int MAX_ITEM_SEQ = off(LOG_TREES, "max_item_seq");
    private static final int COMMIT_SEQ = off(LOG_TREES, "commit_seq");
    private static final int ITEM_BLOCKS = off(LOG_TREES, "item_blocks");
    private static final int FLAGS = off(LOG_TREES, "flags");
    private static final int NR_META = off(LOG_TREES, "nr_meta_avail");
    private static final int NR_DATA = off(LOG_TREES, "nr_data_avail");
    private static final int SIZE = Layouts.size(LOG_TREES);

    public LogTreesRecord {
        metaAvail = List.copyOf(metaAvail);
        dataAvail = List.copyOf(dataAvail);
        if (metaAvail.size() > MAX_AVAIL_EXTENTS || dataAvail.size() > MAX_AVAIL_EXTENTS) {
            throw new IllegalArgumentException("too many avail extents: " + metaAvail.size() + " meta, "
                    + dataAvail.size() + " data");
        }
    }

    public boolean finalized() {
        return (flags & FLAG_FINALIZED) != 0;
    }

    public Key key() {
        return key(rid, nr);
    }

    public static Key key(long rid, long nr) {
        return new Key(Zones.LOG_TREES, rid, 0, nr);
    }

    public byte[] encode() {
        byte[] b = new byte[SIZE + (metaAvail.size() + dataAvail.size()) * Layouts.EXTENT_SIZE];
        itemRoot.encode(b, ITEM_ROOT);
        Bytes.putLong(b, BLOOM_BLKNO, bloom.blkno());
        Bytes.putLong(b, BLOOM_SEQ, bloom.seq());
        Bytes.putLong(b, RID, rid);
        Bytes.putLong(b, NR, nr);
        Bytes.putLong(b, FIRST_SEQ, firstSeq);
        Bytes.putLong(b, MAX_ITEM_SEQ, maxItemSeq);
        Bytes.putLong(b, COMMIT_SEQ, commitSeq);
        Bytes.putLong(b, ITEM_BLOCKS, itemBlocks);
        Bytes.putInt(b, FLAGS, flags);
        Bytes.putU16(b, NR_META, metaAvail.size());
        Bytes.putU16(b, NR_DATA, dataAvail.size());
        int off = SIZE;
        off = Extents.encode(metaAvail, b, off);
        Extents.encode(dataAvail, b, off);
        return b;
    }

    public static LogTreesRecord decode(Key key, byte[] b) {
        try {
            int nrMeta = Bytes.getU16(b, NR_META);
            int nrData = Bytes.getU16(b, NR_DATA);
            if (b.length != SIZE + (nrMeta + nrData) * Layouts.EXTENT_SIZE) {
                throw new IllegalArgumentException("value length " + b.length + " does not fit " + nrMeta + "+"
                        + nrData + " extents");
            }
            List<Extent> meta = new ArrayList<>(nrMeta);
            List<Extent> data = new ArrayList<>(nrData);
            int off = Extents.decode(b, SIZE, nrMeta, meta);
            Extents.decode(b, off, nrData, data);
            return new LogTreesRecord(Bytes.getLong(b, RID), Bytes.getLong(b, NR), BtreeRoot.decode(b, ITEM_ROOT),
                    new BlockRef(Bytes.getLong(b, BLOOM_BLKNO), Bytes.getLong(b, BLOOM_SEQ)),
                    Bytes.getLong(b, FIRST_SEQ), Bytes.getLong(b, MAX_ITEM_SEQ), Bytes.getLong(b, COMMIT_SEQ),
                    Bytes.getLong(b, ITEM_BLOCKS), Bytes.getInt(b, FLAGS), meta, data);
        } catch (RuntimeException e) {
            throw new CorruptionException("log trees item " + key + ": " + e.getMessage());
        }
    }

    public LogTreesRecord withFlags(int newFlags) {
        return new LogTreesRecord(rid, nr, itemRoot, bloom, firstSeq, maxItemSeq, commitSeq, itemBlocks, newFlags,
                metaAvail, dataAvail);
    }

    public LogTreesRecord withAvail(List<Extent> meta, List<Extent> data) {
        return new LogTreesRecord(rid, nr, itemRoot, bloom, firstSeq, maxItemSeq, commitSeq, itemBlocks, flags, meta,
                data);
    }
}
