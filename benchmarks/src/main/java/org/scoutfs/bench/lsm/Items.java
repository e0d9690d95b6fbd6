package org.scoutfs.bench.lsm;

import java.util.SplittableRandom;

import org.scoutfs.lsm.format.Key;
import org.scoutfs.lsm.format.Zones;

/**
 * The items every benchmark writes, identical for both engines: item {@code i} has the scoutfs key
 * {@code (FS, FIRST_INODE + i, INODE_TYPE)} and a 16-byte value derived from {@code i}. RocksDB
 * stores the same key in its 27-byte encoded form, which sorts in the same order, so both engines
 * compare, cache and lay out exactly the same byte strings.
 */
final class Items {
    /** Small like an inode's index entry or a directory entry's fixed part. */
    static final int VALUE_BYTES = 16;

    /**
     * Item numbers start where mkfs stops handing out inode numbers, so that no benchmark item
     * collides with the root directory's items that mkfs already wrote.
     */
    private static final long FIRST_INODE = Zones.FIRST_ALLOC_INO;

    /** The end of the FS zone: a range scan's upper bound when only its item limit should stop it. */
    static final Key LAST_FS_KEY = new Key(Zones.FS, -1L, 255, -1L, -1L, 255);

    private Items() {
    }

    static Key key(long index) {
        return new Key(Zones.FS, FIRST_INODE + index, Zones.INODE_TYPE);
    }

    static byte[] encodedKey(long index) {
        return key(index).encode();
    }

    /** Not all zeros and different per item, so neither engine gets an unrealistically easy value. */
    static byte[] value(long index) {
        byte[] v = new byte[VALUE_BYTES];
        long a = index * 0x9E3779B97F4A7C15L;
        long b = Long.rotateLeft(a, 29) ^ index;
        for (int i = 0; i < 8; i++) {
            v[i] = (byte) (a >>> (8 * i));
            v[8 + i] = (byte) (b >>> (8 * i));
        }
        return v;
    }

    /** A permutation of {@code 0..count-1}: load orders that touch the whole key range at once. */
    static int[] shuffled(int count, long seed) {
        int[] order = new int[count];
        for (int i = 0; i < count; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = count - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
