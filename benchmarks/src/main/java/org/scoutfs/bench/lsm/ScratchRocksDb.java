package org.scoutfs.bench.lsm;

import java.nio.file.Path;

import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.FlushOptions;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;

/**
 * A fresh RocksDB in a directory of its own, configured as a careful user would for this
 * comparison; closing it closes every native handle and deletes the directory.
 *
 * <p>Only what must match scoutfs is changed from RocksDB's defaults: the block cache gets
 * {@link CacheBudget#BYTES}, tables are uncompressed (scoutfs does not compress), and tables carry
 * the usual 10-bits-per-key bloom filter (scoutfs log trees carry a bloom block too). Everything
 * else — 64 MiB memtables, two background jobs, WAL on, fdatasync — is as RocksDB ships.
 */
final class ScratchRocksDb implements AutoCloseable {
    static {
        RocksDB.loadLibrary();
    }

    private final Path directory;
    private final LRUCache cache;
    private final BloomFilter filter;
    private final Options options;
    private final RocksDB db;
    /** WAL written but not synced: the write is in the page cache, like a scoutfs hold in memory. */
    final WriteOptions unsynced;
    /** WAL synced before the write returns: RocksDB's durable commit. */
    final WriteOptions synced;

    private ScratchRocksDb(Path directory, LRUCache cache, BloomFilter filter, Options options, RocksDB db) {
        this.directory = directory;
        this.cache = cache;
        this.filter = filter;
        this.options = options;
        this.db = db;
        this.unsynced = new WriteOptions();
        this.synced = new WriteOptions().setSync(true);
    }

    /**
     * @param autoCompactions false to keep every flushed table where it is until
     *                        {@link #compactAll()}, so a merge benchmark finds its inputs intact
     */
    static ScratchRocksDb create(boolean autoCompactions) {
        Path directory = ScratchSpace.newDirectory("rocksdb");
        LRUCache cache = null;
        BloomFilter filter = null;
        Options options = null;
        try {
            cache = new LRUCache(CacheBudget.BYTES);
            filter = new BloomFilter(10);
            options = new Options()
                    .setCreateIfMissing(true)
                    .setCompressionType(CompressionType.NO_COMPRESSION)
                    .setDisableAutoCompactions(!autoCompactions)
                    .setTableFormatConfig(new BlockBasedTableConfig().setBlockCache(cache).setFilterPolicy(filter));
            RocksDB db = RocksDB.open(options, directory.toString());
            return new ScratchRocksDb(directory, cache, filter, options, db);
        } catch (RocksDBException | RuntimeException e) {
            closeQuietly(options);
            closeQuietly(filter);
            closeQuietly(cache);
            ScratchSpace.deleteRecursively(directory);
            throw e instanceof RuntimeException re ? re : new IllegalStateException("cannot open RocksDB", e);
        }
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (Exception ignored) {
            // already failing; the first exception is the one worth reporting
        }
    }

    RocksDB db() {
        return db;
    }

    /** Writes the memtable out as a table file and waits for it, as a commit of scoutfs writes a log tree. */
    void flush() {
        try (FlushOptions wait = new FlushOptions().setWaitForFlush(true)) {
            db.flush(wait);
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB flush failed", e);
        }
    }

    /** Compacts every table into the last level: RocksDB's counterpart of merging everything into the fs root. */
    void compactAll() {
        try {
            db.compactRange();
        } catch (RocksDBException e) {
            throw new IllegalStateException("RocksDB compaction failed", e);
        }
    }

    @Override
    public void close() {
        try {
            db.close();
            synced.close();
            unsynced.close();
            options.close();
            filter.close();
            cache.close();
        } finally {
            ScratchSpace.deleteRecursively(directory);
        }
    }
}
