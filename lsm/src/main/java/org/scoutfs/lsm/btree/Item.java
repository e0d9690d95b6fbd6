package org.scoutfs.lsm.btree;

import org.scoutfs.lsm.format.Key;

/**
 * One version of an item: its key, the sequence of the write that made it, and either a value or,
 * for a deletion marker, nothing. Among versions of a key the one with the highest sequence wins.
 */
public record Item(Key key, long seq, boolean deletion, byte[] value) {
    private static final byte[] NO_VALUE = new byte[0];

    public static Item put(Key key, long seq, byte[] value) {
        return new Item(key, seq, false, value);
    }

    public static Item deletion(Key key, long seq) {
        return new Item(key, seq, true, NO_VALUE);
    }

    /** The newer of two versions of the same key; on equal sequences the second (later) wins. */
    public static Item newer(Item a, Item b) {
        if (a == null) {
            return b;
        }
        if (b == null) {
            return a;
        }
        return Long.compareUnsigned(a.seq, b.seq) > 0 ? a : b;
    }

    @Override
    public String toString() {
        return key + "@" + seq + (deletion ? " deleted" : " " + value.length + "B");
    }
}
