package org.scoutfs.lsm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Random;
import java.util.TreeMap;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.scoutfs.lsm.block.MemoryBlockDevice;
import org.scoutfs.lsm.btree.Item;
import org.scoutfs.lsm.format.Key;
import org.scoutfs.lsm.format.Zones;
import org.scoutfs.lsm.server.Mkfs;
import org.scoutfs.lsm.testing.Seeds;
import org.scoutfs.lsm.txn.NodeStore;
import org.scoutfs.lsm.txn.Txn;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random inserts, deletes, commits, merges and reopens against a {@link TreeMap} model. A failure
 * names its seed; {@code -Dscoutfs.seed=N} replays it.
 */
class VolumeModelTest {
    static final int[] ZONES = {Zones.INODE_INDEX, Zones.ORPHAN, Zones.FS};

    static Volume.Options testOptions() {
        return Volume.Options.defaults().withCommitInterval(Duration.ZERO).withBackgroundMerge(false)
                .withFinalizeBlocks(3).withCacheBlocks(256);
    }

    static MemoryBlockDevice freshDevice(long bytes) {
        MemoryBlockDevice dev = new MemoryBlockDevice("mem", bytes);
        Mkfs.format(dev, null, new Mkfs.Options(1, 0, false));
        return dev;
    }

    static Key randomKey(Random r, int keySpace) {
        int zone = ZONES[r.nextInt(ZONES.length)];
        long first = r.nextInt(keySpace);
        return new Key(zone, first, 4 + r.nextInt(3) * 4, r.nextInt(4), first * 31 % 7, r.nextInt(2));
    }

    static byte[] randomValue(Random r) {
        int len = r.nextInt(20) == 0 ? r.nextInt(4097) : r.nextInt(200);
        byte[] v = new byte[len];
        r.nextBytes(v);
        return v;
    }

    @RepeatedTest(3)
    void randomOperationsMatchTheModel() {
        long seed = Seeds.seed();
        Seeds.run(seed, "model run", () -> runModel(seed, 6000, 3000));
    }

    @Test
    void manySmallKeysAcrossManyCommitsAndMerges() {
        long seed = Seeds.seed();
        Seeds.run(seed, "dense model run", () -> runModel(seed, 20000, 400));
    }

    static void runModel(long seed, int ops, int keySpace) {
        Random r = new Random(seed);
        MemoryBlockDevice dev = freshDevice(256L << 20);
        TreeMap<Key, byte[]> model = new TreeMap<>();
        Volume v = Volume.open(dev, null, testOptions());
        for (Item item : v.store().scan(Key.MIN, Key.MAX, Integer.MAX_VALUE)) {
            model.put(item.key(), item.value()); // what mkfs made: the root inode and its index entry
        }
        try {
            for (int op = 0; op < ops; op++) {
                int dice = r.nextInt(1000);
                String step = "op " + op;
                try {
                    if (dice < 600) {
                        Key k = randomKey(r, keySpace);
                        byte[] val = randomValue(r);
                        try (Txn t = v.store().hold()) {
                            t.put(k, val);
                        }
                        model.put(k, val);
                    } else if (dice < 800) {
                        Key k = r.nextBoolean() || model.isEmpty() ? randomKey(r, keySpace)
                                : model.ceilingKey(randomKey(r, keySpace));
                        if (k == null) {
                            k = model.firstKey();
                        }
                        try (Txn t = v.store().hold()) {
                            t.delete(k);
                        }
                        model.remove(k);
                    } else if (dice < 900) {
                        Key k = randomKey(r, keySpace);
                        assertThat(v.store().get(k)).as("get %s", k).isEqualTo(model.get(k));
                    } else if (dice < 950) {
                        checkRange(v.store(), model, randomKey(r, keySpace), randomKey(r, keySpace), 1 + r.nextInt(50));
                    } else if (dice < 980) {
                        v.store().sync();
                    } else if (dice < 993) {
                        v.mergeNow();
                    } else {
                        v.close();
                        v = Volume.open(dev, null, testOptions());
                    }
                } catch (Throwable t) {
                    throw new AssertionError(step + ": " + t, t);
                }
            }
            checkAll(v.store(), model);
            v.close();
            v = Volume.open(dev, null, testOptions());
            checkAll(v.store(), model);
            v.mergeNow();
            checkAll(v.store(), model);
        } finally {
            v.close();
        }
    }

    static void checkRange(NodeStore store, NavigableMap<Key, byte[]> model, Key a, Key b, int limit) {
        Key from = a.compareTo(b) <= 0 ? a : b;
        Key to = a.compareTo(b) <= 0 ? b : a;
        List<Item> got = store.scan(from, to, limit);
        List<Map.Entry<Key, byte[]>> want = new ArrayList<>();
        for (Map.Entry<Key, byte[]> e : model.subMap(from, true, to, true).entrySet()) {
            if (want.size() == limit) {
                break;
            }
            want.add(e);
        }
        assertThat(got).as("scan %s..%s", from, to).hasSize(want.size());
        for (int i = 0; i < want.size(); i++) {
            assertThat(got.get(i).key()).isEqualTo(want.get(i).getKey());
            assertThat(got.get(i).value()).isEqualTo(want.get(i).getValue());
        }
    }

    static void checkAll(NodeStore store, TreeMap<Key, byte[]> model) {
        checkRange(store, model, Key.MIN, Key.MAX, Integer.MAX_VALUE);
        for (Map.Entry<Key, byte[]> e : model.entrySet()) {
            assertThat(store.get(e.getKey())).as("get %s", e.getKey()).isEqualTo(e.getValue());
        }
    }
}
