package org.scoutfs.lsm.testing;

import java.util.Random;
import java.util.TreeMap;

import org.scoutfs.lsm.format.Key;
import org.scoutfs.lsm.format.Zones;
import org.scoutfs.lsm.txn.NodeStore;
import org.scoutfs.lsm.txn.Txn;

/**
 * Deterministic batches of changes: batch {@code i} of a seed is the same in every process, so a
 * writer that is killed can be checked against a model replayed up to any batch.
 */
public final class Batches {
    private Batches() {
    }

    public static final int KEY_SPACE = 2000;

    private static Random random(long seed, int batch) {
        return new Random(seed * 1_000_003L + batch);
    }

    /** Applies batch {@code batch} to the store, spread over a few holds. */
    public static void apply(NodeStore store, long seed, int batch) {
        Random r = random(seed, batch);
        int ops = 1 + r.nextInt(300);
        int done = 0;
        while (done < ops) {
            int inHold = Math.min(ops - done, 1 + r.nextInt(20));
            try (Txn t = store.hold()) {
                for (int i = 0; i < inHold; i++) {
                    Op op = next(r);
                    if (op.value == null) {
                        t.delete(op.key);
                    } else {
                        t.put(op.key, op.value);
                    }
                }
            }
            done += inHold;
        }
    }

    /** Applies batch {@code batch} to a model. */
    public static void apply(TreeMap<Key, byte[]> model, long seed, int batch) {
        applyHolds(model, seed, batch, Integer.MAX_VALUE);
    }

    /** Applies the first {@code holds} holds of batch {@code batch} to a model; false if it has fewer. */
    public static boolean applyHolds(TreeMap<Key, byte[]> model, long seed, int batch, int holds) {
        Random r = random(seed, batch);
        int ops = 1 + r.nextInt(300);
        int done = 0;
        int applied = 0;
        while (done < ops) {
            if (applied++ == holds) {
                return true;
            }
            int inHold = Math.min(ops - done, 1 + r.nextInt(20));
            for (int i = 0; i < inHold; i++) {
                Op op = next(r);
                if (op.value == null) {
                    model.remove(op.key);
                } else {
                    model.put(op.key, op.value);
                }
            }
            done += inHold;
        }
        return applied >= holds;
    }

    private record Op(Key key, byte[] value) {
    }

    private static Op next(Random r) {
        int k = r.nextInt(KEY_SPACE);
        Key key = new Key(k % 3 == 0 ? Zones.INODE_INDEX : Zones.FS, 10_000 + k, 4, k % 5, 0);
        if (r.nextInt(5) == 0) {
            return new Op(key, null);
        }
        byte[] v = new byte[r.nextInt(300)];
        r.nextBytes(v);
        return new Op(key, v);
    }
}
