package org.scoutfs.bench.lsm;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteBatch;
import org.scoutfs.lsm.txn.NodeStore;
import org.scoutfs.lsm.txn.Txn;

/**
 * Sustained ingest of small new items, reported per item: each call writes
 * {@value #ITEMS_PER_CALL} items with increasing keys (as file creation hands out increasing inode
 * numbers) through one scoutfs hold, or through one unsynced RocksDB write batch.
 *
 * <p>Neither write is durable when it returns, and both engines do what they normally do behind
 * it, inside the measured time: scoutfs commits the memtable when it reaches its 32 MiB commit
 * threshold (in the writer's thread, at its next hold) and merges finalized log trees in its
 * background thread; RocksDB appends to its WAL, flushes 64 MiB memtables and compacts in its
 * background threads. So this is a steady-state ingest rate, not the cost of a memtable insert.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@OperationsPerInvocation(InsertBenchmark.ITEMS_PER_CALL)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 6, time = 3)
@Fork(value = 1, jvmArgsAppend = {ForkedJvm.NATIVE_ACCESS, ForkedJvm.HEAP_START, ForkedJvm.HEAP_MAX,
        ForkedJvm.PRE_TOUCH, ForkedJvm.HUGE_PAGES})
public class InsertBenchmark {
    static final int ITEMS_PER_CALL = Loader.ITEMS_PER_WRITE;

    @State(Scope.Benchmark)
    public static class ScoutfsVolume {
        ScratchVolume volume;
        NodeStore store;
        long nextItem;

        @Setup(Level.Trial)
        public void open() {
            volume = ScratchVolume.create(ScratchVolume.baseOptions().withBackgroundMerge(true));
            store = volume.store();
        }

        @TearDown(Level.Trial)
        public void close() {
            System.out.printf("%nscoutfs: %,d items inserted, %d log tree(s) not yet merged%n",
                    nextItem, volume.logTreeCount());
            volume.close();
        }
    }

    @State(Scope.Benchmark)
    public static class RocksDbDatabase {
        ScratchRocksDb rocks;
        WriteBatch batch;
        long nextItem;

        @Setup(Level.Trial)
        public void open() {
            rocks = ScratchRocksDb.create(true);
            batch = new WriteBatch();
        }

        @TearDown(Level.Trial)
        public void close() {
            System.out.printf("%nrocksdb: %,d items inserted%n", nextItem);
            batch.close();
            rocks.close();
        }
    }

    @Benchmark
    public void scoutfs(ScoutfsVolume s) {
        try (Txn txn = s.store.hold()) {
            for (int i = 0; i < ITEMS_PER_CALL; i++) {
                long item = s.nextItem++;
                txn.put(Items.key(item), Items.value(item));
            }
        }
    }

    @Benchmark
    public void rocksdb(RocksDbDatabase r) throws RocksDBException {
        // one reused batch, as a tuned RocksJava writer would keep it
        r.batch.clear();
        for (int i = 0; i < ITEMS_PER_CALL; i++) {
            long item = r.nextItem++;
            r.batch.put(Items.encodedKey(item), Items.value(item));
        }
        r.rocks.db().write(r.rocks.unsynced, r.batch);
    }
}
