package org.scoutfs.bench.lsm;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import org.rocksdb.RocksDBException;

/**
 * One point lookup of a random existing item among {@value LoadedScoutfs#ITEMS}: scoutfs
 * {@code NodeStore.get} (memtables, then log trees newest first, then the fs root) against
 * {@code RocksDB.get}. Both read their on-disk structures through warm caches of the same size.
 * The result is returned so that JMH consumes it.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 8, time = 2)
@Fork(value = 1, jvmArgsAppend = {ForkedJvm.NATIVE_ACCESS, ForkedJvm.HEAP_START, ForkedJvm.HEAP_MAX,
        ForkedJvm.PRE_TOUCH, ForkedJvm.HUGE_PAGES})
public class PointLookupBenchmark {
    @Benchmark
    public byte[] scoutfs(LoadedScoutfs loaded, KeyPicker picker) {
        return loaded.store().get(Items.key(picker.next(LoadedScoutfs.ITEMS)));
    }

    @Benchmark
    public byte[] rocksdb(LoadedRocksDb loaded, KeyPicker picker) throws RocksDBException {
        return loaded.db().get(Items.encodedKey(picker.next(LoadedScoutfs.ITEMS)));
    }
}
