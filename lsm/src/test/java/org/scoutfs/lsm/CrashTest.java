package org.scoutfs.lsm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;
import org.scoutfs.lsm.block.MemoryBlockDevice;
import org.scoutfs.lsm.btree.Item;
import org.scoutfs.lsm.format.Key;
import org.scoutfs.lsm.testing.Batches;
import org.scoutfs.lsm.testing.FaultyBlockDevice;
import org.scoutfs.lsm.testing.Seeds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Fails every write of a commit in turn, then reopens what a power cut would leave (forced
 * writes, plus any mix of unforced and torn ones): the volume holds the last committed state or,
 * if the commit's super block made it, the new one; never anything in between.
 */
class CrashTest {
    private static TreeMap<Key, byte[]> contents(Volume v) {
        TreeMap<Key, byte[]> out = new TreeMap<>();
        for (Item item : v.store().scan(Key.MIN, Key.MAX, Integer.MAX_VALUE)) {
            out.put(item.key(), item.value());
        }
        return out;
    }

    private static boolean sameContents(Map<Key, byte[]> a, Map<Key, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<Key, byte[]> e : a.entrySet()) {
            if (!java.util.Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    /** A volume with a few committed batches (and merges) already on it. */
    private static MemoryBlockDevice prepared(long seed, int batches) {
        MemoryBlockDevice dev = VolumeModelTest.freshDevice(96L << 20);
        try (Volume v = Volume.open(dev, null, VolumeModelTest.testOptions())) {
            for (int b = 0; b < batches; b++) {
                Batches.apply(v.store(), seed, b);
                v.store().sync();
                if (b % 3 == 2) {
                    v.mergeNow();
                }
            }
        }
        return dev;
    }

    private void failEveryWrite(String what, Consumer<Volume> change) {
        long seed = Seeds.seed();
        Seeds.run(seed, what, () -> {
            Random random = new Random(seed);
            MemoryBlockDevice base = prepared(seed, 6);
            TreeMap<Key, byte[]> before;
            TreeMap<Key, byte[]> after;
            long writesOfChange;
            {
                FaultyBlockDevice dry = new FaultyBlockDevice(base);
                try (Volume v = Volume.open(dry, null, VolumeModelTest.testOptions())) {
                    before = contents(v);
                    long w0 = dry.writes();
                    change.accept(v);
                    writesOfChange = dry.writes() - w0;
                    after = contents(v);
                }
            }
            assertThat(writesOfChange).isPositive();
            int sawOld = 0;
            int sawNew = 0;
            for (long k = 1; k <= writesOfChange; k++) {
                FaultyBlockDevice dev = new FaultyBlockDevice(base);
                Volume v = Volume.open(dev, null, VolumeModelTest.testOptions());
                dev.failAtWrite(dev.writes() + k);
                try {
                    assertThatThrownBy(() -> change.accept(v)).isInstanceOf(StorageException.class);
                } finally {
                    v.close();
                }
                for (int image = 0; image < 3; image++) {
                    MemoryBlockDevice crashed = image == 0 ? dev.currentImage() : dev.crashImage(random);
                    try (Volume reopened = Volume.open(crashed, null, VolumeModelTest.testOptions())) {
                        TreeMap<Key, byte[]> got = contents(reopened);
                        if (sameContents(got, before)) {
                            sawOld++;
                        } else {
                            assertThat(sameContents(got, after)).as("failure at write %d of %d, image %d: "
                                    + "contents are neither the last commit nor the new one", k, writesOfChange, image)
                                    .isTrue();
                            sawNew++;
                        }
                        // the reopened volume keeps working
                        Batches.apply(reopened.store(), seed, 1000 + image);
                        reopened.store().sync();
                    }
                }
            }
            assertThat(sawOld).isPositive();
        });
    }

    @Test
    void failureAtEveryWriteOfANodeCommit() {
        failEveryWrite("node commit", v -> {
            Batches.apply(v.store(), 77, 1);
            Batches.apply(v.store(), 77, 2);
            v.store().sync();
        });
    }

    @Test
    void failureAtEveryWriteOfAMerge() {
        failEveryWrite("merge", v -> {
            Batches.apply(v.store(), 78, 1);
            v.mergeNow();
        });
    }

    @Test
    void failureDuringOpenRecoveryLeavesTheVolumeOpenable() {
        long seed = Seeds.seed();
        Seeds.run(seed, "open recovery", () -> {
            MemoryBlockDevice base = prepared(seed, 4);
            TreeMap<Key, byte[]> want;
            try (Volume v = Volume.open(base.copy("probe"), null, VolumeModelTest.testOptions())) {
                want = contents(v);
            }
            FaultyBlockDevice dry = new FaultyBlockDevice(base);
            long openWrites;
            try (Volume probe = Volume.open(dry, null, VolumeModelTest.testOptions())) {
                openWrites = dry.writes();
            }
            assertThat(openWrites).isPositive();
            for (long k = 1; k <= openWrites; k++) {
                FaultyBlockDevice dev = new FaultyBlockDevice(base);
                dev.failAtWrite(k);
                assertThatThrownBy(() -> Volume.open(dev, null, VolumeModelTest.testOptions()))
                        .isInstanceOf(StorageException.class);
                try (Volume v = Volume.open(dev.crashImage(new Random(seed + k)), null, VolumeModelTest.testOptions())) {
                    assertThat(sameContents(contents(v), want)).isTrue();
                }
            }
        });
    }

    static List<String> lines(String s) {
        return new ArrayList<>(List.of(s.split("\n")));
    }
}
