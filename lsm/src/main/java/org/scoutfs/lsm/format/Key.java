package org.scoutfs.lsm.format;

import java.util.Arrays;

/**
 * The one key shape of every item: {@code (zone, first, type, second, third, fourth)}, compared
 * field by field as unsigned numbers in that order.
 *
 * <p>Zones partition the key space by purpose (inode index, orphans, filesystem items, server
 * bookkeeping); {@code first} is usually an inode number, so all items of an inode sort together;
 * {@code type} says what the item is. On disk a key is {@value #ENCODED_BYTES} big-endian bytes in
 * the same field order, so two encoded keys compare with one unsigned byte comparison.
 */
public record Key(int zone, long first, int type, long second, long third, int fourth) implements Comparable<Key> {
    public static final int ENCODED_BYTES = 27;
    public static final Key MIN = new Key(0, 0, 0, 0, 0, 0);
    public static final Key MAX = new Key(255, -1L, 255, -1L, -1L, 255);

    public Key {
        checkU8("zone", zone);
        checkU8("type", type);
        checkU8("fourth", fourth);
    }

    public Key(int zone, long first, int type, long second, long third) {
        this(zone, first, type, second, third, 0);
    }

    public Key(int zone, long first, int type, long second) {
        this(zone, first, type, second, 0, 0);
    }

    public Key(int zone, long first, int type) {
        this(zone, first, type, 0, 0, 0);
    }

    private static void checkU8(String name, int v) {
        if ((v & ~0xff) != 0) {
            throw new IllegalArgumentException("key " + name + " must be 0..255: " + v);
        }
    }

    @Override
    public int compareTo(Key o) {
        int c = Integer.compare(zone, o.zone);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(first, o.first);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(type, o.type);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(second, o.second);
        if (c != 0) {
            return c;
        }
        c = Long.compareUnsigned(third, o.third);
        if (c != 0) {
            return c;
        }
        return Integer.compare(fourth, o.fourth);
    }

    /** The smallest key greater than this one, or null if this is {@link #MAX}. */
    public Key successor() {
        if (fourth < 255) {
            return new Key(zone, first, type, second, third, fourth + 1);
        }
        if (third != -1L) {
            return new Key(zone, first, type, second, third + 1, 0);
        }
        if (second != -1L) {
            return new Key(zone, first, type, second + 1, 0, 0);
        }
        if (type < 255) {
            return new Key(zone, first, type + 1, 0, 0, 0);
        }
        if (first != -1L) {
            return new Key(zone, first + 1, 0, 0, 0, 0);
        }
        if (zone < 255) {
            return new Key(zone + 1, 0, 0, 0, 0, 0);
        }
        return null;
    }

    public void encode(byte[] dst, int off) {
        dst[off] = (byte) zone;
        Bytes.putLong(dst, off + 1, first);
        dst[off + 9] = (byte) type;
        Bytes.putLong(dst, off + 10, second);
        Bytes.putLong(dst, off + 18, third);
        dst[off + 26] = (byte) fourth;
    }

    public byte[] encode() {
        byte[] b = new byte[ENCODED_BYTES];
        encode(b, 0);
        return b;
    }

    public static Key decode(byte[] src, int off) {
        return new Key(src[off] & 0xff, Bytes.getLong(src, off + 1), src[off + 9] & 0xff,
                Bytes.getLong(src, off + 10), Bytes.getLong(src, off + 18), src[off + 26] & 0xff);
    }

    /** Compares an encoded key in {@code block} at {@code off} with an encoded key. */
    public static int compareEncoded(byte[] block, int off, byte[] key) {
        return Arrays.compareUnsigned(block, off, off + ENCODED_BYTES, key, 0, ENCODED_BYTES);
    }

    @Override
    public String toString() {
        return zone + "." + Long.toUnsignedString(first) + "." + type + "." + Long.toUnsignedString(second) + "."
                + Long.toUnsignedString(third) + "." + fourth;
    }
}
