package org.scoutfs.bench.lsm;

import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.rocksdb.RocksIterator;
import org.scoutfs.lsm.btree.Item;

/**
 * Reads {@value #SCAN_ITEMS} consecutive items from a random existing key, as a readdir of a
 * large directory does: scoutfs {@code NodeStore.scan} with an item limit and no useful upper
 * bound, against a RocksDB iterator's {@code seek} and {@value #SCAN_ITEMS} {@code next} calls.
 * Both hand every key and value to the caller as Java objects, and both set up a fresh
 * scan/iterator per operation, as independent requests would.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 8, time = 2)
@Fork(value = 1, jvmArgsAppend = {ForkedJvm.NATIVE_ACCESS, ForkedJvm.HEAP_START, ForkedJvm.HEAP_MAX,
        ForkedJvm.PRE_TOUCH, ForkedJvm.HUGE_PAGES})
public class RangeScanBenchmark {
    static final int SCAN_ITEMS = 100;

    @Benchmark
    public List<Item> scoutfs(LoadedScoutfs loaded, KeyPicker picker) {
        int start = picker.next(LoadedScoutfs.ITEMS - SCAN_ITEMS);
        return loaded.store().scan(Items.key(start), Items.LAST_FS_KEY, SCAN_ITEMS);
    }

    @Benchmark
    public void rocksdb(LoadedRocksDb loaded, KeyPicker picker, Blackhole sink) {
        int start = picker.next(LoadedScoutfs.ITEMS - SCAN_ITEMS);
        try (RocksIterator it = loaded.db().newIterator()) {
            it.seek(Items.encodedKey(start));
            for (int n = 0; n < SCAN_ITEMS && it.isValid(); n++, it.next()) {
                sink.consume(it.key());
                sink.consume(it.value());
            }
        }
    }
}
