package org.scoutfs.lsm.format;

/** A run of {@code len} blocks starting at {@code start}, in metadata or data block units. */
public record Extent(long start, long len) {
    public Extent {
        if (start < 0 || len <= 0) {
            throw new IllegalArgumentException("bad extent start " + start + " len " + len);
        }
    }

    public long end() {
        return start + len;
    }

    public boolean contains(long blkno) {
        return blkno >= start && blkno < end();
    }

    @Override
    public String toString() {
        return start + "+" + len;
    }
}
