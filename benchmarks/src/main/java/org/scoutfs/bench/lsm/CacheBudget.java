package org.scoutfs.bench.lsm;

import org.scoutfs.lsm.format.Format;

/**
 * The memory each engine may use to cache its on-disk structures: the same number of bytes for
 * both. scoutfs caches whole 64 KiB metadata blocks, uncompressed; RocksDB gets an LRU block cache
 * of the same size and writes uncompressed tables, so neither caches more items per byte because
 * of compression. 256 MiB holds the whole ~1M-item read data set of either engine, so the read
 * benchmarks measure lookups in warm caches, not device reads. The OS page cache sits under both.
 */
final class CacheBudget {
    static final long BYTES = 256L << 20;

    private CacheBudget() {
    }

    static int scoutfsBlocks() {
        return (int) (BYTES / Format.META_BLOCK_SIZE);
    }
}
