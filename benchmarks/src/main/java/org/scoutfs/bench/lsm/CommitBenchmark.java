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
import org.rocksdb.WriteBatch;
import org.scoutfs.lsm.txn.NodeStore;
import org.scoutfs.lsm.txn.Txn;

/**
 * One durable commit of {@value #ITEMS_PER_COMMIT} new small items, from the first put until the
 * items would survive a power cut.
 *
 * <p>scoutfs: {@value #ITEMS_PER_COMMIT} holds of one put each (every filesystem operation takes
 * its own hold), then {@code NodeStore.sync()}: the log tree blocks are written and fdatasynced,
 * then the server commits the new log tree root (server tree blocks, fdatasync, super block,
 * fdatasync). RocksDB: one write batch of the same puts written with {@code sync=true}: one WAL
 * append and one fdatasync, the tables come later from background flushes.
 *
 * <p>Both engines run with their background work on (scoutfs merges finalized log trees, RocksDB
 * flushes and compacts), as they would in service, so the store stays in a steady state however
 * many commits a run makes.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 3)
@Measurement(iterations = 8, time = 3)
@Fork(value = 1, jvmArgsAppend = {ForkedJvm.NATIVE_ACCESS, ForkedJvm.HEAP_START, ForkedJvm.HEAP_MAX,
        ForkedJvm.PRE_TOUCH, ForkedJvm.HUGE_PAGES})
public class CommitBenchmark {
    static final int ITEMS_PER_COMMIT = 10_000;

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
            System.out.printf("%nscoutfs: %,d commits, %d log tree(s) not yet merged%n",
                    nextItem / ITEMS_PER_COMMIT, volume.logTreeCount());
            volume.close();
        }
    }

    @State(Scope.Benchmark)
    public static class RocksDbDatabase {
        ScratchRocksDb rocks;
        long nextItem;

        @Setup(Level.Trial)
        public void open() {
            rocks = ScratchRocksDb.create(true);
        }

        @TearDown(Level.Trial)
        public void close() {
            System.out.printf("%nrocksdb: %,d commits%n", nextItem / ITEMS_PER_COMMIT);
            rocks.close();
        }
    }

    @Benchmark
    public void scoutfs(ScoutfsVolume s) {
        for (int i = 0; i < ITEMS_PER_COMMIT; i++) {
            long item = s.nextItem++;
            try (Txn txn = s.store.hold()) {
                txn.put(Items.key(item), Items.value(item));
            }
        }
        s.store.sync();
    }

    @Benchmark
    public void rocksdb(RocksDbDatabase r) throws RocksDBException {
        try (WriteBatch batch = new WriteBatch()) {
            for (int i = 0; i < ITEMS_PER_COMMIT; i++) {
                long item = r.nextItem++;
                batch.put(Items.encodedKey(item), Items.value(item));
            }
            r.rocks.db().write(r.rocks.synced, batch);
        }
    }
}
