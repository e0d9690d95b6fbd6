package org.scoutfs.lsm.format;

import java.util.List;

/** Encoding of extent arrays inside item values. */
final class Extents {
    private Extents() {
    }

    static int encode(List<Extent> extents, byte[] b, int off) {
        for (Extent e : extents) {
            Bytes.putLong(b, off, e.start());
            Bytes.putLong(b, off + 8, e.len());
            off += Layouts.EXTENT_SIZE;
        }
        return off;
    }

    static int decode(byte[] b, int off, int count, List<Extent> out) {
        for (int i = 0; i < count; i++) {
            out.add(new Extent(Bytes.getLong(b, off), Bytes.getLong(b, off + 8)));
            off += Layouts.EXTENT_SIZE;
        }
        return off;
    }
}
