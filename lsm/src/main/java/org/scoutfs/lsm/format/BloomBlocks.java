package org.scoutfs.lsm.format;

/**
 * The bloom block of a log tree: a bit array with {@link Format#BLOOM_HASHES} bits set per lock
 * group the tree holds items in. Readers skip a log tree whose bloom lacks any bit of the group
 * they read.
 */
public final class BloomBlocks {
    private BloomBlocks() {
    }

    public static final int NR_BITS = (Format.META_BLOCK_SIZE - Layouts.BLOOM_HEADER_SIZE) * 8;

    public static byte[] empty() {
        byte[] b = new byte[Format.META_BLOCK_SIZE];
        Bytes.putInt(b, Layouts.BLOOM_NR_BITS, NR_BITS);
        return b;
    }

    /** The bit positions of a group hash. */
    public static void bits(long groupHash, int[] out) {
        long h = groupHash;
        for (int i = 0; i < Format.BLOOM_HASHES; i++) {
            out[i] = (int) Long.remainderUnsigned(h, NR_BITS);
            h = Long.rotateLeft(h * 0x9E3779B97F4A7C15L + i, 21);
        }
    }

    public static boolean test(byte[] b, int bit) {
        int off = Layouts.BLOOM_HEADER_SIZE + (bit >>> 3);
        return (b[off] & (1 << (bit & 7))) != 0;
    }

    /** Sets a bit; returns true if it was clear. */
    public static boolean set(byte[] b, int bit) {
        int off = Layouts.BLOOM_HEADER_SIZE + (bit >>> 3);
        int mask = 1 << (bit & 7);
        boolean wasClear = (b[off] & mask) == 0;
        b[off] |= (byte) mask;
        return wasClear;
    }

    public static boolean mayContain(byte[] b, long groupHash) {
        int[] bits = new int[Format.BLOOM_HASHES];
        bits(groupHash, bits);
        for (int bit : bits) {
            if (!test(b, bit)) {
                return false;
            }
        }
        return true;
    }

    public static int nrBits(byte[] b) {
        return Bytes.getInt(b, Layouts.BLOOM_NR_BITS);
    }
}
