package org.scoutfs.bench.lsm;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.RocksDBException;
import org.scoutfs.lsm.txn.NodeStore;

/**
 * Folding {@value #ITEMS} items that sit in {@value #RUNS} overlapping sorted runs into one sorted
 * structure, durably.
 *
 * <p>Every measured call starts from a fresh store built in the untimed setup: the same shuffled
 * items, {@value #RUNS} runs of {@value #ITEMS_PER_RUN}. scoutfs commits and finalizes each run as
 * a log tree; RocksDB, with automatic compaction off, flushes each run to a level-0 table. The
 * measured call is {@code Volume.mergeNow()} (merge every finalized log tree into the fs root, write
 * and fdatasync the new blocks, commit the new root at the server) against
 * {@code RocksDB.compactRange()} (merge every table into the bottom level, fdatasync the new
 * tables, update the MANIFEST). One call is one sample, hence single-shot mode.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {ForkedJvm.NATIVE_ACCESS, ForkedJvm.HEAP_START, ForkedJvm.HEAP_MAX,
        ForkedJvm.PRE_TOUCH, ForkedJvm.HUGE_PAGES})
public class MergeBenchmark {
    static final int ITEMS = 100_000;
    static final int RUNS = 5;
    static final int ITEMS_PER_RUN = ITEMS / RUNS;
    private static final long SEED = 0x3E76EL;

    @State(Scope.Benchmark)
    public static class ScoutfsLogTrees {
        ScratchVolume volume;

        @Setup(Level.Iteration)
        public void writeFinalizedLogTrees() {
            volume = ScratchVolume.create(ScratchVolume.baseOptions());
            NodeStore store = volume.store();
            int[] order = Items.shuffled(ITEMS, SEED);
            for (int run = 0; run < RUNS; run++) {
                Loader.put(store, order, run * ITEMS_PER_RUN, (run + 1) * ITEMS_PER_RUN);
                store.commitAndFinalize();
            }
            if (volume.logTreeCount() != RUNS) {
                throw new IllegalStateException("expected " + RUNS + " finalized log trees, found " + volume.logTreeCount());
            }
        }

        @TearDown(Level.Iteration)
        public void close() {
            if (volume.logTreeCount() != 0) {
                throw new IllegalStateException(volume.logTreeCount() + " log trees left after the merge");
            }
            volume.close();
        }
    }

    @State(Scope.Benchmark)
    public static class RocksDbTables {
        ScratchRocksDb rocks;

        @Setup(Level.Iteration)
        public void writeLevelZeroTables() {
            rocks = ScratchRocksDb.create(false);
            int[] order = Items.shuffled(ITEMS, SEED);
            for (int run = 0; run < RUNS; run++) {
                Loader.put(rocks, order, run * ITEMS_PER_RUN, (run + 1) * ITEMS_PER_RUN);
                rocks.flush();
            }
            String tables = level0Tables();
            if (!tables.equals(Integer.toString(RUNS))) {
                throw new IllegalStateException("expected " + RUNS + " level-0 tables, found " + tables);
            }
        }

        private String level0Tables() {
            try {
                return rocks.db().getProperty("rocksdb.num-files-at-level0");
            } catch (RocksDBException e) {
                throw new IllegalStateException(e);
            }
        }

        @TearDown(Level.Iteration)
        public void close() {
            if (!level0Tables().equals("0")) {
                throw new IllegalStateException(level0Tables() + " level-0 tables left after the compaction");
            }
            rocks.close();
        }
    }

    @Benchmark
    public void scoutfs(ScoutfsLogTrees s) {
        s.volume.volume().mergeNow();
    }

    @Benchmark
    public void rocksdb(RocksDbTables r) {
        r.rocks.compactAll();
    }
}
