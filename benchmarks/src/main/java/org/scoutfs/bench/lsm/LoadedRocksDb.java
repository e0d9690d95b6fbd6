package org.scoutfs.bench.lsm;

import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;

/**
 * RocksDB holding the same {@value LoadedScoutfs#ITEMS} items as {@link LoadedScoutfs}, loaded in
 * the same order, then flushed and fully compacted so that reads come from table files (through
 * the block cache) rather than the memtable — the counterpart of scoutfs's merged layout. Setup
 * reads every item once to warm the block cache.
 */
@State(Scope.Benchmark)
public class LoadedRocksDb {
    private ScratchRocksDb rocks;

    @Setup(Level.Trial)
    public void load() throws RocksDBException {
        rocks = ScratchRocksDb.create(true);
        int[] order = Items.shuffled(LoadedScoutfs.ITEMS, LoadedScoutfs.LOAD_SEED);
        long started = System.nanoTime();
        Loader.put(rocks, order, 0, order.length);
        rocks.flush();
        long loaded = System.nanoTime();
        rocks.compactAll();
        long compacted = System.nanoTime();
        for (int i = 0; i < LoadedScoutfs.ITEMS; i++) {
            if (rocks.db().get(Items.encodedKey(i)) == null) {
                throw new IllegalStateException("item " + i + " is missing after the load");
            }
        }
        System.out.printf("%nrocksdb: loaded and flushed %,d items in %.1f s, compacted in %.1f s, warmed in %.1f s;"
                        + " %s%n",
                LoadedScoutfs.ITEMS, (loaded - started) / 1e9, (compacted - loaded) / 1e9,
                (System.nanoTime() - compacted) / 1e9, rocks.db().getProperty("rocksdb.num-files-at-level0") + " L0 files, "
                        + rocks.db().getProperty("rocksdb.estimate-num-keys") + " keys estimated, "
                        + (Long.parseLong(rocks.db().getProperty("rocksdb.block-cache-usage")) >> 20)
                        + " MiB in the block cache");
    }

    RocksDB db() {
        return rocks.db();
    }

    @TearDown(Level.Trial)
    public void close() {
        if (rocks != null) {
            rocks.close();
        }
    }
}
