package org.scoutfs.bench.lsm;

import java.util.Arrays;
import java.util.Locale;

import org.scoutfs.lsm.txn.NodeStore;
import org.scoutfs.lsm.txn.Txn;

/**
 * A profiling aid, not a benchmark: runs the commit and merge workloads of {@link CommitBenchmark}
 * and {@link MergeBenchmark} on a volume opened through a {@link TimedBlockDevice} and prints how
 * each operation's wall time splits between building items in memory, device writes, fdatasync
 * and the rest (B-tree work, encoding, checksums, server bookkeeping). JMH says how fast;
 * this says where the time goes, which is what decides what to optimize. Run it with
 * {@code java -cp ... org.scoutfs.bench.lsm.LsmBreakdown commit|commit-with-merge|merge|insert}, or
 * under JFR ({@code -XX:StartFlightRecording=...}) for the CPU part.
 */
public final class LsmBreakdown {
    private LsmBreakdown() {
    }

    public static void main(String[] args) {
        String what = args.length > 0 ? args[0] : "commit";
        switch (what) {
            case "commit" -> commits(false);
            case "commit-with-merge" -> commits(true);
            case "merge" -> merges();
            case "insert" -> inserts();
            default -> throw new IllegalArgumentException("commit, commit-with-merge, merge or insert, not " + what);
        }
    }

    private static void commits(boolean backgroundMerge) {
        int warmup = 100;
        int measured = 200;
        try (ScratchVolume volume = ScratchVolume.create(
                ScratchVolume.baseOptions().withBackgroundMerge(backgroundMerge), true)) {
            NodeStore store = volume.store();
            TimedBlockDevice device = volume.timedDevice();
            long nextItem = 0;
            long[] putNanos = new long[measured];
            long[] syncNanos = new long[measured];
            TimedBlockDevice.Totals before = null;
            for (int c = 0; c < warmup + measured; c++) {
                if (c == warmup) {
                    before = device.totals();
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < CommitBenchmark.ITEMS_PER_COMMIT; i++) {
                    long item = nextItem++;
                    try (Txn txn = store.hold()) {
                        txn.put(Items.key(item), Items.value(item));
                    }
                }
                long t1 = System.nanoTime();
                store.sync();
                long t2 = System.nanoTime();
                if (c >= warmup) {
                    putNanos[c - warmup] = t1 - t0;
                    syncNanos[c - warmup] = t2 - t1;
                }
            }
            TimedBlockDevice.Totals io = device.totals().minus(before);
            System.out.printf(Locale.ROOT, "%d commits of %,d items (background merge %s), per commit:%n",
                    measured, CommitBenchmark.ITEMS_PER_COMMIT, backgroundMerge ? "on" : "off");
            System.out.printf(Locale.ROOT, "  holds+puts       median %7.2f ms  mean %7.2f ms%n",
                    median(putNanos) / 1e6, mean(putNanos) / 1e6);
            System.out.printf(Locale.ROOT, "  sync()           median %7.2f ms  mean %7.2f ms%n",
                    median(syncNanos) / 1e6, mean(syncNanos) / 1e6);
            System.out.printf(Locale.ROOT, "    device writes                    mean %7.2f ms  (%.0f KiB)%n",
                    io.writeNanos() / 1e6 / measured, io.writtenBytes() / 1024.0 / measured);
            System.out.printf(Locale.ROOT, "    fdatasync                        mean %7.2f ms  (%.2f calls)%n",
                    io.forceNanos() / 1e6 / measured, io.forces() / (double) measured);
            System.out.printf(Locale.ROOT, "    rest of sync (CPU, locks)        mean %7.2f ms%n",
                    (mean(syncNanos) * measured - io.writeNanos() - io.forceNanos()) / 1e6 / measured);
            System.out.println("  (with background merge on, device totals include the merges' I/O)");
        }
    }

    private static void merges() {
        int rounds = 12;
        int warmup = 4;
        long[] mergeNanos = new long[rounds - warmup];
        TimedBlockDevice.Totals io = new TimedBlockDevice.Totals(0, 0, 0, 0);
        for (int round = 0; round < rounds; round++) {
            try (ScratchVolume volume = ScratchVolume.create(ScratchVolume.baseOptions(), true)) {
                NodeStore store = volume.store();
                int[] order = Items.shuffled(MergeBenchmark.ITEMS, 0x3E76EL);
                for (int run = 0; run < MergeBenchmark.RUNS; run++) {
                    Loader.put(store, order, run * MergeBenchmark.ITEMS_PER_RUN, (run + 1) * MergeBenchmark.ITEMS_PER_RUN);
                    store.commitAndFinalize();
                }
                TimedBlockDevice.Totals before = volume.timedDevice().totals();
                long t0 = System.nanoTime();
                volume.volume().mergeNow();
                long took = System.nanoTime() - t0;
                if (round >= warmup) {
                    mergeNanos[round - warmup] = took;
                    TimedBlockDevice.Totals d = volume.timedDevice().totals().minus(before);
                    io = new TimedBlockDevice.Totals(io.writeNanos() + d.writeNanos(),
                            io.writtenBytes() + d.writtenBytes(), io.forceNanos() + d.forceNanos(),
                            io.forces() + d.forces());
                }
            }
        }
        int n = rounds - warmup;
        System.out.printf(Locale.ROOT, "%d merges of %,d items in %d log trees, per merge:%n", n, MergeBenchmark.ITEMS,
                MergeBenchmark.RUNS);
        System.out.printf(Locale.ROOT, "  mergeNow()       median %7.2f ms  mean %7.2f ms  all %s%n",
                median(mergeNanos) / 1e6, mean(mergeNanos) / 1e6, Arrays.toString(
                        Arrays.stream(mergeNanos).map(x -> x / 1_000_000).toArray()));
        System.out.printf(Locale.ROOT, "    device writes                    mean %7.2f ms  (%.0f KiB)%n",
                io.writeNanos() / 1e6 / n, io.writtenBytes() / 1024.0 / n);
        System.out.printf(Locale.ROOT, "    fdatasync                        mean %7.2f ms  (%.2f calls)%n",
                io.forceNanos() / 1e6 / n, io.forces() / (double) n);
        System.out.printf(Locale.ROOT, "    rest (CPU)                       mean %7.2f ms%n",
                (mean(mergeNanos) * n - io.writeNanos() - io.forceNanos()) / 1e6 / n);
    }

    /**
     * The insert workload of {@link InsertBenchmark}: how much of the writer's time goes to the
     * few holds that stop to commit a full memtable, and how much to garbage collection.
     */
    private static void inserts() {
        int batches = 100_000;
        long stallNanos = 5_000_000;
        try (ScratchVolume volume = ScratchVolume.create(
                ScratchVolume.baseOptions().withBackgroundMerge(true), true)) {
            NodeStore store = volume.store();
            long nextItem = 0;
            long total = 0;
            long stalled = 0;
            int stalls = 0;
            long gcBefore = gcMillis();
            for (int b = 0; b < batches; b++) {
                long t0 = System.nanoTime();
                try (Txn txn = store.hold()) {
                    for (int i = 0; i < InsertBenchmark.ITEMS_PER_CALL; i++) {
                        long item = nextItem++;
                        txn.put(Items.key(item), Items.value(item));
                    }
                }
                long took = System.nanoTime() - t0;
                total += took;
                if (took > stallNanos) {
                    stalled += took;
                    stalls++;
                }
            }
            long gc = gcMillis() - gcBefore;
            System.out.printf(Locale.ROOT, "%,d items in %,d holds of %d (background merge on): %.0f items/s%n",
                    nextItem, batches, InsertBenchmark.ITEMS_PER_CALL, nextItem / (total / 1e9));
            System.out.printf(Locale.ROOT, "  %d holds over %d ms (commits of a full memtable): %.0f%% of the time,"
                    + " %.0f ms each%n", stalls, stallNanos / 1_000_000, 100.0 * stalled / total, stalled / 1e6 / stalls);
            System.out.printf(Locale.ROOT, "  other holds: %.0f ns per item%n",
                    (total - stalled) / (double) (nextItem - (long) stalls * InsertBenchmark.ITEMS_PER_CALL));
            System.out.printf(Locale.ROOT, "  garbage collection (all threads' pauses): %d ms, %.0f%% of the time%n",
                    gc, 100.0 * gc * 1e6 / total);
            System.out.printf(Locale.ROOT, "  log trees waiting for a merge at the end: %d%n", volume.logTreeCount());
        }
    }

    private static long gcMillis() {
        return java.lang.management.ManagementFactory.getGarbageCollectorMXBeans().stream()
                .mapToLong(java.lang.management.GarbageCollectorMXBean::getCollectionTime).sum();
    }

    private static double median(long[] values) {
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length / 2];
    }

    private static double mean(long[] values) {
        return Arrays.stream(values).average().orElse(0);
    }
}
