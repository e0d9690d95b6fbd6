package org.scoutfs.lsm.block;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Recently used metadata blocks by block number. Blocks are immutable once written, so a cached
 * block is valid exactly as long as its header sequence matches the reference being read; the
 * cache never needs invalidating, only checking. Striped LRU maps keep lock hold times short.
 */
public final class BlockCache {
    private static final int STRIPES = 16;

    private final Stripe[] stripes = new Stripe[STRIPES];

    /** @param capacityBlocks blocks kept in all; at least one per stripe */
    public BlockCache(int capacityBlocks) {
        int perStripe = Math.max(1, capacityBlocks / STRIPES);
        for (int i = 0; i < STRIPES; i++) {
            stripes[i] = new Stripe(perStripe);
        }
    }

    private Stripe stripe(long blkno) {
        return stripes[(int) ((blkno ^ (blkno >>> 7)) & (STRIPES - 1))];
    }

    public byte[] get(long blkno) {
        Stripe s = stripe(blkno);
        synchronized (s) {
            return s.get(blkno);
        }
    }

    public void put(long blkno, byte[] block) {
        Stripe s = stripe(blkno);
        synchronized (s) {
            s.put(blkno, block);
        }
    }

    public void remove(long blkno) {
        Stripe s = stripe(blkno);
        synchronized (s) {
            s.remove(blkno);
        }
    }

    public void clear() {
        for (Stripe s : stripes) {
            synchronized (s) {
                s.clear();
            }
        }
    }

    private static final class Stripe extends LinkedHashMap<Long, byte[]> {
        private final int capacity;

        Stripe(int capacity) {
            super(16, 0.75f, true);
            this.capacity = capacity;
        }

        @Override
        protected boolean removeEldestEntry(Map.Entry<Long, byte[]> eldest) {
            return size() > capacity;
        }
    }
}
