package org.scoutfs.lsm;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scoutfs.lsm.block.FileBlockDevice;
import org.scoutfs.lsm.btree.Item;
import org.scoutfs.lsm.format.Key;
import org.scoutfs.lsm.server.Mkfs;
import org.scoutfs.lsm.testing.Batches;
import org.scoutfs.lsm.testing.CrashWriter;
import org.scoutfs.lsm.testing.Seeds;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a writing process with SIGKILL at random moments and reopens its volume file: every batch
 * the writer reported durable is there, and of the batch after it only whole holds (transactions):
 * nothing of a hold is ever half there.
 */
class KillTest {
    @TempDir
    Path dir;

    @Test
    void killedWriterLeavesTheLastCommitWhole() throws Exception {
        long seed = Seeds.seed();
        Seeds.run(seed, "kill -9 writer", () -> {
            Random random = new Random(seed);
            Path dev = dir.resolve("volume");
            try (var ch = java.nio.channels.FileChannel.open(dev, java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE)) {
                ch.truncate(0);
                ch.write(java.nio.ByteBuffer.allocate(1), (96L << 20) - 1);
            }
            try (FileBlockDevice d = FileBlockDevice.open(dev, true)) {
                Mkfs.format(d, null, new Mkfs.Options(1, 0, false));
            }
            int lastKnown = -1;
            for (int round = 0; round < 5; round++) {
                long childSeed = seed + round;
                Path stderr = dir.resolve("writer-" + round + ".err");
                Process p = startWriter(dev, childSeed, stderr);
                List<String> out = new ArrayList<>();
                int waitFor = 1 + random.nextInt(15);
                long delayMs = random.nextInt(400);
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        out.add(line);
                        if (out.size() >= waitFor) {
                            Thread.sleep(delayMs);
                            // SIGKILL through the handle: Process.destroyForcibly would also close our pipes
                            p.toHandle().destroyForcibly();
                            break;
                        }
                    }
                    p.waitFor(30, TimeUnit.SECONDS);
                    while ((line = r.readLine()) != null) {
                        out.add(line);
                    }
                } finally {
                    p.toHandle().destroyForcibly();
                    p.waitFor(30, TimeUnit.SECONDS);
                }
                int committed = out.stream().filter(l -> l.startsWith("committed ")).mapToInt(l -> Integer.parseInt(l.substring(10)))
                        .max().orElse(-1);
                assertThat(committed).as("writer output: %s, stderr: %s", out, Files.readString(stderr))
                        .isGreaterThanOrEqualTo(0);
                // the volume holds batches 0..committed of this round, on top of earlier rounds
                TreeMap<Key, byte[]> base = replayRounds(seed, round, reached);
                TreeMap<Key, byte[]> atCommitted = new TreeMap<>(base);
                for (int b = 0; b <= committed; b++) {
                    Batches.apply(atCommitted, childSeed, b);
                }
                try (Volume v = Volume.open(dev, null, VolumeModelTest.testOptions())) {
                    TreeMap<Key, byte[]> got = new TreeMap<>();
                    for (Item item : v.store().scan(Key.MIN, Key.MAX, Integer.MAX_VALUE)) {
                        got.put(item.key(), item.value());
                    }
                    // the next batch's first holds, or all of them, may be there too: a hold is
                    // atomic, and the background commit may land between two holds of a batch
                    int holds = -1;
                    boolean more = true;
                    for (int h = 0; more && holds < 0; h++) {
                        TreeMap<Key, byte[]> model = new TreeMap<>(atCommitted);
                        more = Batches.applyHolds(model, childSeed, committed + 1, h);
                        if (same(got, model)) {
                            holds = h;
                        }
                    }
                    assertThat(holds).as("round %d: volume after kill holds batch %d and whole holds of batch %d: %s",
                            round, committed, committed + 1, difference(got, atCommitted)).isNotNegative();
                    reached.add(new Reached(committed, holds));
                }
                lastKnown = committed;
            }
            assertThat(lastKnown).isGreaterThanOrEqualTo(0);
        });
    }

    /** Where a round's volume was found: every batch up to {@code batch}, and {@code holds} holds of the next. */
    private record Reached(int batch, int holds) {
    }

    private final List<Reached> reached = new ArrayList<>();

    /** The model after every earlier round, each up to where its volume was found. */
    private static TreeMap<Key, byte[]> replayRounds(long seed, int round, List<Reached> reached) throws IOException {
        TreeMap<Key, byte[]> model = new TreeMap<>();
        model.putAll(mkfsItems());
        for (int r = 0; r < round; r++) {
            for (int b = 0; b <= reached.get(r).batch(); b++) {
                Batches.apply(model, seed + r, b);
            }
            Batches.applyHolds(model, seed + r, reached.get(r).batch() + 1, reached.get(r).holds());
        }
        return model;
    }

    private static Map<Key, byte[]> mkfsItems() throws IOException {
        Map<Key, byte[]> out = new TreeMap<>();
        org.scoutfs.lsm.block.MemoryBlockDevice dev = VolumeModelTest.freshDevice(64L << 20);
        try (Volume v = Volume.open(dev, null, VolumeModelTest.testOptions())) {
            for (Item item : v.store().scan(Key.MIN, Key.MAX, Integer.MAX_VALUE)) {
                out.put(item.key(), item.value());
            }
        }
        return out;
    }

    /** The first keys where the volume differs from the model of the last reported batch. */
    private static String difference(TreeMap<Key, byte[]> got, TreeMap<Key, byte[]> model) {
        StringBuilder out = new StringBuilder();
        int shown = 0;
        for (Map.Entry<Key, byte[]> e : got.entrySet()) {
            byte[] m = model.get(e.getKey());
            if (!java.util.Arrays.equals(e.getValue(), m) && !isRootInode(e.getKey()) && shown++ < 8) {
                out.append("\n  volume has ").append(e.getKey()).append(m == null ? " (not in the model)" : " (another value)");
            }
        }
        for (Key k : model.keySet()) {
            if (!got.containsKey(k) && shown++ < 16) {
                out.append("\n  volume lacks ").append(k);
            }
        }
        return out.toString();
    }

    private static boolean isRootInode(Key k) {
        return k.zone() == org.scoutfs.lsm.format.Zones.FS && k.first() == 1;
    }

    private static boolean same(TreeMap<Key, byte[]> a, TreeMap<Key, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<Key, byte[]> e : a.entrySet()) {
            if (isRootInode(e.getKey())) {
                continue; // the root inode's times come from mkfs
            }
            if (!java.util.Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static Process startWriter(Path dev, long seed, Path stderr) throws IOException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp",
                System.getProperty("java.class.path"), CrashWriter.class.getName(), dev.toString(), Long.toString(seed));
        return new ProcessBuilder(cmd).redirectError(stderr.toFile()).start();
    }
}
