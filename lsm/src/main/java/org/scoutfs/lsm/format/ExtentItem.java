package org.scoutfs.lsm.format;

import org.scoutfs.lsm.CorruptionException;

import static org.scoutfs.lsm.format.Layouts.DATA_EXTENT;
import static org.scoutfs.lsm.format.Layouts.off;

/**
 * A file data extent: {@code len} logical blocks ending at {@code lastBlock} (the key) mapped to
 * device data blocks starting at {@code blkno}.
 */
public record ExtentItem(long lastBlock, long blkno, long len, int flags) {
    /** Allocated but never written: reads as zeros (fallocate). */
    public static final int FLAG_UNWRITTEN = 2;

    private static final int BLKNO = off(DATA_EXTENT, "blkno");
    private static final int LEN = off(DATA_EXTENT, "len");
    private static final int FLAGS = off(DATA_EXTENT, "flags");
    private static final int SIZE = Layouts.size(DATA_EXTENT);

    public ExtentItem {
        if (len <= 0 || lastBlock - len + 1 < 0) {
            throw new IllegalArgumentException("bad extent of " + len + " blocks ending at " + lastBlock);
        }
    }

    public long firstBlock() {
        return lastBlock - len + 1;
    }

    public boolean unwritten() {
        return (flags & FLAG_UNWRITTEN) != 0;
    }

    public byte[] encode() {
        byte[] b = new byte[SIZE];
        Bytes.putLong(b, BLKNO, blkno);
        Bytes.putLong(b, LEN, len);
        Bytes.putU8(b, FLAGS, flags);
        return b;
    }

    public static ExtentItem decode(Key key, byte[] b) {
        if (b.length != SIZE) {
            throw new CorruptionException("data extent item " + key + ": value length " + b.length);
        }
        try {
            return new ExtentItem(key.second(), Bytes.getLong(b, BLKNO), Bytes.getLong(b, LEN), Bytes.getU8(b, FLAGS));
        } catch (IllegalArgumentException e) {
            throw new CorruptionException("data extent item " + key + ": " + e.getMessage());
        }
    }
}
