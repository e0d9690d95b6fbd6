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
 * @param grantSeq   the number of the node's last request for more space (0: none yet)
 * @param grantMeta  the metadata extents that request was given
 * @param grantData  the data extents that request was given
 */
public record LogTreesRecord(long rid, long nr, BtreeRoot itemRoot, BlockRef bloom, long firstSeq, long maxItemSeq,
                             long commitSeq, long itemBlocks, int flags, List<Extent> metaAvail,
                             List<Extent> dataAvail, long grantSeq, List<Extent> grantMeta, List<Extent> grantData) {
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
    private static final int GRANT_SEQ = off(LOG_TREES, "grant_seq");
    private static final int NR_GRANT_META = off(LOG_TREES, "nr_grant_meta");
    private static final int NR_GRANT_DATA = off(LOG_TREES, "nr_grant_data");
    private static final int SIZE = Layouts.size(LOG_TREES);

    public LogTreesRecord {
        metaAvail = List.copyOf(metaAvail);
        dataAvail = List.copyOf(dataAvail);
        grantMeta = List.copyOf(grantMeta);
        grantData = List.copyOf(grantData);
        if (metaAvail.size() > MAX_AVAIL_EXTENTS || dataAvail.size() > MAX_AVAIL_EXTENTS) {
            throw new IllegalArgumentException("too many avail extents: " + metaAvail.size() + " meta, "
                    + dataAvail.size() + " data");
        }
        if (grantMeta.size() > MAX_AVAIL_EXTENTS || grantData.size() > MAX_AVAIL_EXTENTS) {
            throw new IllegalArgumentException("too many granted extents: " + grantMeta.size() + " meta, "
                    + grantData.size() + " data");
        }
    }

    /** A record before the node's first request for more space. */
    public LogTreesRecord(long rid, long nr, BtreeRoot itemRoot, BlockRef bloom, long firstSeq, long maxItemSeq,
                          long commitSeq, long itemBlocks, int flags, List<Extent> metaAvail, List<Extent> dataAvail) {
        this(rid, nr, itemRoot, bloom, firstSeq, maxItemSeq, commitSeq, itemBlocks, flags, metaAvail, dataAvail, 0,
                List.of(), List.of());
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
        byte[] b = new byte[SIZE + (metaAvail.size() + dataAvail.size() + grantMeta.size() + grantData.size())
                * Layouts.EXTENT_SIZE];
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
        Bytes.putLong(b, GRANT_SEQ, grantSeq);
        Bytes.putU16(b, NR_GRANT_META, grantMeta.size());
        Bytes.putU16(b, NR_GRANT_DATA, grantData.size());
        int off = SIZE;
        off = Extents.encode(metaAvail, b, off);
        off = Extents.encode(dataAvail, b, off);
        off = Extents.encode(grantMeta, b, off);
        Extents.encode(grantData, b, off);
        return b;
    }

    public static LogTreesRecord decode(Key key, byte[] b) {
        try {
            int nrMeta = Bytes.getU16(b, NR_META);
            int nrData = Bytes.getU16(b, NR_DATA);
            int nrGrantMeta = Bytes.getU16(b, NR_GRANT_META);
            int nrGrantData = Bytes.getU16(b, NR_GRANT_DATA);
            if (b.length != SIZE + (nrMeta + nrData + nrGrantMeta + nrGrantData) * Layouts.EXTENT_SIZE) {
                throw new IllegalArgumentException("value length " + b.length + " does not fit " + nrMeta + "+"
                        + nrData + "+" + nrGrantMeta + "+" + nrGrantData + " extents");
            }
            List<Extent> meta = new ArrayList<>(nrMeta);
            List<Extent> data = new ArrayList<>(nrData);
            List<Extent> grantMeta = new ArrayList<>(nrGrantMeta);
            List<Extent> grantData = new ArrayList<>(nrGrantData);
            int off = Extents.decode(b, SIZE, nrMeta, meta);
            off = Extents.decode(b, off, nrData, data);
            off = Extents.decode(b, off, nrGrantMeta, grantMeta);
            Extents.decode(b, off, nrGrantData, grantData);
            return new LogTreesRecord(Bytes.getLong(b, RID), Bytes.getLong(b, NR), BtreeRoot.decode(b, ITEM_ROOT),
                    new BlockRef(Bytes.getLong(b, BLOOM_BLKNO), Bytes.getLong(b, BLOOM_SEQ)),
                    Bytes.getLong(b, FIRST_SEQ), Bytes.getLong(b, MAX_ITEM_SEQ), Bytes.getLong(b, COMMIT_SEQ),
                    Bytes.getLong(b, ITEM_BLOCKS), Bytes.getInt(b, FLAGS), meta, data, Bytes.getLong(b, GRANT_SEQ),
                    grantMeta, grantData);
        } catch (RuntimeException e) {
            throw new CorruptionException("log trees item " + key + ": " + e.getMessage());
        }
    }

    public LogTreesRecord withFlags(int newFlags) {
        return new LogTreesRecord(rid, nr, itemRoot, bloom, firstSeq, maxItemSeq, commitSeq, itemBlocks, newFlags,
                metaAvail, dataAvail, grantSeq, grantMeta, grantData);
    }

    public LogTreesRecord withAvail(List<Extent> meta, List<Extent> data) {
        return new LogTreesRecord(rid, nr, itemRoot, bloom, firstSeq, maxItemSeq, commitSeq, itemBlocks, flags, meta,
                data, grantSeq, grantMeta, grantData);
    }

    /** After space request {@code seq} was given {@code meta} and {@code data}, now part of the avail lists. */
    public LogTreesRecord withGrant(long seq, List<Extent> meta, List<Extent> data, List<Extent> newMetaAvail,
                                    List<Extent> newDataAvail) {
        return new LogTreesRecord(rid, nr, itemRoot, bloom, firstSeq, maxItemSeq, commitSeq, itemBlocks, flags,
                newMetaAvail, newDataAvail, seq, meta, data);
    }
}
