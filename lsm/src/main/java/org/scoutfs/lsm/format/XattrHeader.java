package org.scoutfs.lsm.format;

import org.scoutfs.lsm.CorruptionException;

import static org.scoutfs.lsm.format.Layouts.XATTR_HEADER;
import static org.scoutfs.lsm.format.Layouts.off;

/** The header at the start of an extended attribute's first item part. */
public record XattrHeader(int nameLen, int valueLen) {
    public static final int SIZE = Layouts.size(XATTR_HEADER);
    private static final int NAME_LEN = off(XATTR_HEADER, "name_len");
    private static final int VALUE_LEN = off(XATTR_HEADER, "value_len");

    public void encode(byte[] b) {
        Bytes.putU8(b, NAME_LEN, nameLen);
        Bytes.putInt(b, VALUE_LEN, valueLen);
    }

    public static XattrHeader decode(Key key, byte[] b) {
        if (b.length < SIZE) {
            throw new CorruptionException("xattr item " + key + ": value length " + b.length);
        }
        int valueLen = Bytes.getInt(b, VALUE_LEN);
        if (valueLen < 0) {
            throw new CorruptionException("xattr item " + key + ": value length " + valueLen);
        }
        return new XattrHeader(Bytes.getU8(b, NAME_LEN), valueLen);
    }
}
