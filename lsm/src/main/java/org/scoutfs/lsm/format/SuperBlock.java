package org.scoutfs.lsm.format;

import org.scoutfs.lsm.CorruptionException;

import static org.scoutfs.lsm.format.Layouts.SUPER;
import static org.scoutfs.lsm.format.Layouts.off;

/**
 * The super block: what the volume is (fsid, format, geometry, quorum size) and the roots of the
 * last commit. Writing it is the commit point. Two copies alternate by commit sequence so that a
 * torn write of one leaves the previous commit readable in the other.
 *
 * @param seq            the commit sequence of this super (also in the block header)
 * @param nextSeq        the next value of the global sequence counter
 * @param fsMaxSeq       the highest item sequence merged into the fs root
 * @param freeMetaBlocks free metadata blocks recorded in the server tree (grants count as used)
 */
public record SuperBlock(long fsid, long seq, long formatHash, int formatVersion, int flags, long uuidHi,
                         long uuidLo, long createTime, long nextSeq, long nextIno, long inodeCount,
                         long totalMetaBlocks, long firstMetaBlkno, long totalDataBlocks, long firstDataBlkno,
                         int quorumCount, long serverTerm, BtreeRoot serverRoot, BtreeRoot fsRoot, long fsMaxSeq,
                         long freeMetaBlocks, long freeDataBlocks) {

    /** The volume keeps its data blocks on a separate data device. */
    public static final int FLAG_DATA_DEVICE = 1;

    private static final int FORMAT_HASH = off(SUPER, "format_hash");
    private static final int FORMAT_VERSION = off(SUPER, "format_version");
    private static final int FLAGS = off(SUPER, "flags");
    private static final int UUID_HI = off(SUPER, "uuid_hi");
    private static final int UUID_LO = off(SUPER, "uuid_lo");
    private static final int CREATE_TIME = off(SUPER, "create_time");
    private static final int NEXT_SEQ = off(SUPER, "next_seq");
    private static final int NEXT_INO = off(SUPER, "next_ino");
    private static final int INODE_COUNT = off(SUPER, "inode_count");
    private static final int TOTAL_META = off(SUPER, "total_meta_blocks");
    private static final int FIRST_META = off(SUPER, "first_meta_blkno");
    private static final int TOTAL_DATA = off(SUPER, "total_data_blocks");
    private static final int FIRST_DATA = off(SUPER, "first_data_blkno");
    private static final int QUORUM_COUNT = off(SUPER, "quorum_count");
    private static final int SERVER_TERM = off(SUPER, "server_term");
    private static final int SERVER_ROOT = off(SUPER, "server_root");
    private static final int FS_ROOT = off(SUPER, "fs_root");
    private static final int FS_MAX_SEQ = off(SUPER, "fs_max_seq");
    private static final int FREE_META = off(SUPER, "free_meta_blocks");
    private static final int FREE_DATA = off(SUPER, "free_data_blocks");

    /**
     * Quorum slots in use: {@code 2 * quorumCount - 1}, so that any {@code quorumCount} of them are
     * a majority and two majorities always share a slot.
     */
    public int quorumSlots() {
        return 2 * quorumCount - 1;
    }

    public boolean hasDataDevice() {
        return (flags & FLAG_DATA_DEVICE) != 0;
    }

    /** Byte offset of the super copy this commit sequence is written to. */
    public static long copyOffset(long seq) {
        return Format.SUPER_COPY_OFFSETS[(int) (seq & 1)];
    }

    public byte[] encode() {
        byte[] b = new byte[Format.SUPER_SIZE];
        Bytes.putLong(b, FORMAT_HASH, formatHash);
        Bytes.putInt(b, FORMAT_VERSION, formatVersion);
        Bytes.putInt(b, FLAGS, flags);
        Bytes.putLong(b, UUID_HI, uuidHi);
        Bytes.putLong(b, UUID_LO, uuidLo);
        Bytes.putLong(b, CREATE_TIME, createTime);
        Bytes.putLong(b, NEXT_SEQ, nextSeq);
        Bytes.putLong(b, NEXT_INO, nextIno);
        Bytes.putLong(b, INODE_COUNT, inodeCount);
        Bytes.putLong(b, TOTAL_META, totalMetaBlocks);
        Bytes.putLong(b, FIRST_META, firstMetaBlkno);
        Bytes.putLong(b, TOTAL_DATA, totalDataBlocks);
        Bytes.putLong(b, FIRST_DATA, firstDataBlkno);
        Bytes.putInt(b, QUORUM_COUNT, quorumCount);
        Bytes.putLong(b, SERVER_TERM, serverTerm);
        serverRoot.encode(b, SERVER_ROOT);
        fsRoot.encode(b, FS_ROOT);
        Bytes.putLong(b, FS_MAX_SEQ, fsMaxSeq);
        Bytes.putLong(b, FREE_META, freeMetaBlocks);
        Bytes.putLong(b, FREE_DATA, freeDataBlocks);
        long blkno = copyOffset(seq) / Format.SUPER_SIZE;
        BlockHeaders.seal(b, Format.MAGIC_SUPER, fsid, blkno, seq);
        return b;
    }

    /**
     * Decodes a super copy read from {@code offset}. The caller has checked the magic; any other
     * inconsistency is reported as corruption of this copy.
     */
    public static SuperBlock decode(byte[] b, long offset) {
        long blkno = offset / Format.SUPER_SIZE;
        String problem = BlockHeaders.problem(b, Format.MAGIC_SUPER, BlockHeaders.fsid(b), blkno, -1);
        if (problem != null) {
            throw new CorruptionException("super block copy at byte " + offset + ": " + problem);
        }
        try {
            return new SuperBlock(BlockHeaders.fsid(b), BlockHeaders.seq(b), Bytes.getLong(b, FORMAT_HASH),
                    Bytes.getInt(b, FORMAT_VERSION), Bytes.getInt(b, FLAGS), Bytes.getLong(b, UUID_HI),
                    Bytes.getLong(b, UUID_LO), Bytes.getLong(b, CREATE_TIME), Bytes.getLong(b, NEXT_SEQ),
                    Bytes.getLong(b, NEXT_INO), Bytes.getLong(b, INODE_COUNT), Bytes.getLong(b, TOTAL_META),
                    Bytes.getLong(b, FIRST_META), Bytes.getLong(b, TOTAL_DATA), Bytes.getLong(b, FIRST_DATA),
                    Bytes.getInt(b, QUORUM_COUNT), Bytes.getLong(b, SERVER_TERM), BtreeRoot.decode(b, SERVER_ROOT),
                    BtreeRoot.decode(b, FS_ROOT), Bytes.getLong(b, FS_MAX_SEQ), Bytes.getLong(b, FREE_META),
                    Bytes.getLong(b, FREE_DATA));
        } catch (IllegalArgumentException e) {
            throw new CorruptionException("super block copy at byte " + offset + ": " + e.getMessage());
        }
    }

    public Builder toBuilder() {
        return new Builder(this);
    }

    /** Changes a copy of a super block; the server keeps one as its next commit's super. */
    public static final class Builder {
        private long fsid;
        private long seq;
        private long formatHash;
        private int formatVersion;
        private int flags;
        private long uuidHi;
        private long uuidLo;
        private long createTime;
        private long nextSeq;
        private long nextIno;
        private long inodeCount;
        private long totalMetaBlocks;
        private long firstMetaBlkno;
        private long totalDataBlocks;
        private long firstDataBlkno;
        private int quorumCount;
        private long serverTerm;
        private BtreeRoot serverRoot = BtreeRoot.EMPTY;
        private BtreeRoot fsRoot = BtreeRoot.EMPTY;
        private long fsMaxSeq;
        private long freeMetaBlocks;
        private long freeDataBlocks;

        public Builder() {
        }

        private Builder(SuperBlock s) {
            fsid = s.fsid;
            seq = s.seq;
            formatHash = s.formatHash;
            formatVersion = s.formatVersion;
            flags = s.flags;
            uuidHi = s.uuidHi;
            uuidLo = s.uuidLo;
            createTime = s.createTime;
            nextSeq = s.nextSeq;
            nextIno = s.nextIno;
            inodeCount = s.inodeCount;
            totalMetaBlocks = s.totalMetaBlocks;
            firstMetaBlkno = s.firstMetaBlkno;
            totalDataBlocks = s.totalDataBlocks;
            firstDataBlkno = s.firstDataBlkno;
            quorumCount = s.quorumCount;
            serverTerm = s.serverTerm;
            serverRoot = s.serverRoot;
            fsRoot = s.fsRoot;
            fsMaxSeq = s.fsMaxSeq;
            freeMetaBlocks = s.freeMetaBlocks;
            freeDataBlocks = s.freeDataBlocks;
        }

        public Builder fsid(long v) { fsid = v; return this; }
        public Builder seq(long v) { seq = v; return this; }
        public Builder formatHash(long v) { formatHash = v; return this; }
        public Builder formatVersion(int v) { formatVersion = v; return this; }
        public Builder flags(int v) { flags = v; return this; }
        public Builder uuid(long hi, long lo) { uuidHi = hi; uuidLo = lo; return this; }
        public Builder createTime(long v) { createTime = v; return this; }
        public Builder nextSeq(long v) { nextSeq = v; return this; }
        public Builder nextIno(long v) { nextIno = v; return this; }
        public Builder inodeCount(long v) { inodeCount = v; return this; }
        public Builder totalMetaBlocks(long v) { totalMetaBlocks = v; return this; }
        public Builder firstMetaBlkno(long v) { firstMetaBlkno = v; return this; }
        public Builder totalDataBlocks(long v) { totalDataBlocks = v; return this; }
        public Builder firstDataBlkno(long v) { firstDataBlkno = v; return this; }
        public Builder quorumCount(int v) { quorumCount = v; return this; }
        public Builder serverTerm(long v) { serverTerm = v; return this; }
        public Builder serverRoot(BtreeRoot v) { serverRoot = v; return this; }
        public Builder fsRoot(BtreeRoot v) { fsRoot = v; return this; }
        public Builder fsMaxSeq(long v) { fsMaxSeq = v; return this; }
        public Builder freeMetaBlocks(long v) { freeMetaBlocks = v; return this; }
        public Builder freeDataBlocks(long v) { freeDataBlocks = v; return this; }

        public long nextSeq() { return nextSeq; }
        public long nextIno() { return nextIno; }
        public long inodeCount() { return inodeCount; }
        public BtreeRoot fsRoot() { return fsRoot; }
        public long fsMaxSeq() { return fsMaxSeq; }
        public long seq() { return seq; }

        public SuperBlock build() {
            return new SuperBlock(fsid, seq, formatHash, formatVersion, flags, uuidHi, uuidLo, createTime, nextSeq,
                    nextIno, inodeCount, totalMetaBlocks, firstMetaBlkno, totalDataBlocks, firstDataBlkno,
                    quorumCount, serverTerm, serverRoot, fsRoot, fsMaxSeq, freeMetaBlocks, freeDataBlocks);
        }
    }
}
