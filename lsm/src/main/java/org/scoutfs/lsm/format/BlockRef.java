package org.scoutfs.lsm.format;

/**
 * A reference to a metadata block: where it is and which write of that location is meant. A
 * block location is reused after it is freed, so a reader that holds an old reference finds a
 * different {@code seq} in the header and knows it raced with a newer commit (a stale read), not
 * that the device is corrupt.
 */
public record BlockRef(long blkno, long seq) {
    public static final BlockRef NONE = new BlockRef(0, 0);

    public boolean isNone() {
        return blkno == 0;
    }

    @Override
    public String toString() {
        return isNone() ? "none" : blkno + "@" + seq;
    }
}
