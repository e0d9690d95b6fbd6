package org.scoutfs.lsm.format;

import org.scoutfs.lsm.CorruptionException;

import static org.scoutfs.lsm.format.Layouts.INODE;
import static org.scoutfs.lsm.format.Layouts.off;

/**
 * The value of an inode item. {@code metaSeq} and {@code dataSeq} are the transaction sequences
 * that last changed the inode and its contents; the inode index items mirror them.
 */
public record InodeItem(long size, long metaSeq, long dataSeq, long dataVersion, long onlineBlocks,
                        long offlineBlocks, long nextReaddirPos, long nextXattrId, int nlink, int uid, int gid,
                        int mode, long rdev, int flags, Timespec atime, Timespec ctime, Timespec mtime,
                        Timespec crtime, long proj, long generation) {

    /** Seconds and nanoseconds since the epoch. */
    public record Timespec(long sec, int nsec) {
        public static final Timespec ZERO = new Timespec(0, 0);

        public Timespec {
            if (nsec < 0 || nsec >= 1_000_000_000) {
                throw new IllegalArgumentException("nsec out of range: " + nsec);
            }
        }

        public static Timespec ofEpochNanos(long nanos) {
            return new Timespec(Math.floorDiv(nanos, 1_000_000_000L), (int) Math.floorMod(nanos, 1_000_000_000L));
        }

        @Override
        public String toString() {
            return sec + "." + String.format("%09d", nsec);
        }
    }

    public static final int SIZE = Layouts.size(INODE);
    private static final int O_SIZE = off(INODE, "size");
    private static final int O_META_SEQ = off(INODE, "meta_seq");
    private static final int O_DATA_SEQ = off(INODE, "data_seq");
    private static final int O_DATA_VERSION = off(INODE, "data_version");
    private static final int O_ONLINE = off(INODE, "online_blocks");
    private static final int O_OFFLINE = off(INODE, "offline_blocks");
    private static final int O_READDIR_POS = off(INODE, "next_readdir_pos");
    private static final int O_XATTR_ID = off(INODE, "next_xattr_id");
    private static final int O_NLINK = off(INODE, "nlink");
    private static final int O_UID = off(INODE, "uid");
    private static final int O_GID = off(INODE, "gid");
    private static final int O_MODE = off(INODE, "mode");
    private static final int O_RDEV = off(INODE, "rdev");
    private static final int O_FLAGS = off(INODE, "flags");
    private static final int O_ATIME = off(INODE, "atime");
    private static final int O_CTIME = off(INODE, "ctime");
    private static final int O_MTIME = off(INODE, "mtime");
    private static final int O_CRTIME = off(INODE, "crtime");
    private static final int O_PROJ = off(INODE, "proj");
    private static final int O_GENERATION = off(INODE, "generation");
    private static final int TS_NSEC = off(Layouts.TIMESPEC, "nsec");

    public byte[] encode() {
        byte[] b = new byte[SIZE];
        Bytes.putLong(b, O_SIZE, size);
        Bytes.putLong(b, O_META_SEQ, metaSeq);
        Bytes.putLong(b, O_DATA_SEQ, dataSeq);
        Bytes.putLong(b, O_DATA_VERSION, dataVersion);
        Bytes.putLong(b, O_ONLINE, onlineBlocks);
        Bytes.putLong(b, O_OFFLINE, offlineBlocks);
        Bytes.putLong(b, O_READDIR_POS, nextReaddirPos);
        Bytes.putLong(b, O_XATTR_ID, nextXattrId);
        Bytes.putInt(b, O_NLINK, nlink);
        Bytes.putInt(b, O_UID, uid);
        Bytes.putInt(b, O_GID, gid);
        Bytes.putInt(b, O_MODE, mode);
        Bytes.putLong(b, O_RDEV, rdev);
        Bytes.putInt(b, O_FLAGS, flags);
        putTime(b, O_ATIME, atime);
        putTime(b, O_CTIME, ctime);
        putTime(b, O_MTIME, mtime);
        putTime(b, O_CRTIME, crtime);
        Bytes.putLong(b, O_PROJ, proj);
        Bytes.putLong(b, O_GENERATION, generation);
        return b;
    }

    private static void putTime(byte[] b, int off, Timespec t) {
        Bytes.putLong(b, off, t.sec());
        Bytes.putInt(b, off + TS_NSEC, t.nsec());
    }

    private static Timespec getTime(byte[] b, int off) {
        return new Timespec(Bytes.getLong(b, off), Bytes.getInt(b, off + TS_NSEC));
    }

    public static InodeItem decode(long ino, byte[] b) {
        if (b.length != SIZE) {
            throw new CorruptionException("inode " + ino + ": item value is " + b.length + " bytes, expected " + SIZE);
        }
        try {
            return new InodeItem(Bytes.getLong(b, O_SIZE), Bytes.getLong(b, O_META_SEQ), Bytes.getLong(b, O_DATA_SEQ),
                    Bytes.getLong(b, O_DATA_VERSION), Bytes.getLong(b, O_ONLINE), Bytes.getLong(b, O_OFFLINE),
                    Bytes.getLong(b, O_READDIR_POS), Bytes.getLong(b, O_XATTR_ID), Bytes.getInt(b, O_NLINK),
                    Bytes.getInt(b, O_UID), Bytes.getInt(b, O_GID), Bytes.getInt(b, O_MODE), Bytes.getLong(b, O_RDEV),
                    Bytes.getInt(b, O_FLAGS), getTime(b, O_ATIME), getTime(b, O_CTIME), getTime(b, O_MTIME),
                    getTime(b, O_CRTIME), Bytes.getLong(b, O_PROJ), Bytes.getLong(b, O_GENERATION));
        } catch (IllegalArgumentException e) {
            throw new CorruptionException("inode " + ino + ": " + e.getMessage());
        }
    }

    /** The inode mkfs writes: an empty directory owned by root, mode 0755. */
    public static InodeItem rootDirectory(long nowNanos) {
        Timespec now = Timespec.ofEpochNanos(nowNanos);
        return new InodeItem(0, 0, 0, 0, 0, 0, 2, 1, 2, 0, 0, 0040755, 0, 0, now, now, now, now, 0, 1);
    }
}
