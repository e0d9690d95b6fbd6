package org.scoutfs.lsm.format;

import org.scoutfs.lsm.CorruptionException;

/**
 * Free space in the server tree: one item per free extent, keyed {@code (FREE_META|FREE_DATA,
 * start)} with the extent's length as its value.
 */
public final class FreeExtentItem {
    private FreeExtentItem() {
    }

    public static Key key(int zone, long start) {
        return new Key(zone, start, 0);
    }

    public static byte[] encodeLength(long len) {
        byte[] b = new byte[Layouts.size(Layouts.FREE_EXTENT)];
        Bytes.putLong(b, 0, len);
        return b;
    }

    public static Extent decode(Key key, byte[] value) {
        if (value.length != Layouts.size(Layouts.FREE_EXTENT)) {
            throw new CorruptionException("free extent item " + key + ": value length " + value.length);
        }
        long len = Bytes.getLong(value, 0);
        if (len <= 0 || key.first() < 0) {
            throw new CorruptionException("free extent item " + key + ": bad length " + len);
        }
        return new Extent(key.first(), len);
    }
}
