package org.scoutfs.lsm.block;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;

import org.scoutfs.lsm.StaleBlockException;
import org.scoutfs.lsm.format.BlockHeaders;
import org.scoutfs.lsm.format.BlockRef;
import org.scoutfs.lsm.format.Format;

/**
 * Verified reads and batched writes of 64 KiB metadata blocks on one device.
 *
 * <p>A read names the block it wants by reference (location and sequence) and gets it only if the
 * header says so; anything else is a {@link StaleBlockException} that the caller resolves by
 * refreshing its roots. Blocks returned are shared with the cache and must not be modified.
 *
 * <p>Writes come in batches from a commit: sorted by location and written in runs so that a
 * commit's freshly allocated, mostly contiguous blocks go out in few large writes.
 */
public final class MetaBlocks {
    private static final int MAX_RUN_BYTES = 4 << 20;

    private final BlockDevice device;
    private final long fsid;
    private final BlockCache cache;
    private final LongAdder reads = new LongAdder();
    private final LongAdder cacheHits = new LongAdder();
    private final LongAdder writes = new LongAdder();

    public MetaBlocks(BlockDevice device, long fsid, BlockCache cache) {
        this.device = device;
        this.fsid = fsid;
        this.cache = cache;
    }

    public BlockDevice device() {
        return device;
    }

    public long fsid() {
        return fsid;
    }

    /** A sealed block ready to be written at {@code blkno}. */
    public record Written(long blkno, byte[] block) {
    }

    public byte[] read(BlockRef ref, int magic) {
        return read(ref, magic, null);
    }

    /**
     * Reads a block and, when it comes from the device rather than the cache, also checks its body
     * with {@code validator} (null or a problem sentence), so damage inside a block with a valid
     * checksum is caught once, before anyone trusts its contents.
     */
    public byte[] read(BlockRef ref, int magic, Function<byte[], String> validator) {
        byte[] cached = cache.get(ref.blkno());
        if (cached != null && BlockHeaders.seq(cached) == ref.seq() && BlockHeaders.magic(cached) == magic) {
            cacheHits.increment();
            return cached;
        }
        byte[] block = new byte[Format.META_BLOCK_SIZE];
        device.read(ref.blkno() << Format.META_BLOCK_SHIFT, block);
        reads.increment();
        String problem = BlockHeaders.problem(block, magic, fsid, ref.blkno(), ref.seq());
        if (problem == null && validator != null) {
            problem = validator.apply(block);
        }
        if (problem != null) {
            throw new StaleBlockException(ref, problem);
        }
        cache.put(ref.blkno(), block);
        return block;
    }

    /** Writes sealed blocks (not yet durable: call {@link #force()}), and caches them. */
    public void write(List<Written> blocks) {
        if (blocks.isEmpty()) {
            return;
        }
        List<Written> sorted = new ArrayList<>(blocks);
        sorted.sort(Comparator.comparingLong(Written::blkno));
        int maxRun = MAX_RUN_BYTES / Format.META_BLOCK_SIZE;
        ByteBuffer run = ByteBuffer.allocateDirect(Math.min(sorted.size(), maxRun) * Format.META_BLOCK_SIZE);
        int i = 0;
        while (i < sorted.size()) {
            int j = i + 1;
            while (j < sorted.size() && j - i < maxRun && sorted.get(j).blkno() == sorted.get(j - 1).blkno() + 1) {
                j++;
            }
            run.clear();
            for (int k = i; k < j; k++) {
                run.put(sorted.get(k).block());
            }
            run.flip();
            device.write(sorted.get(i).blkno() << Format.META_BLOCK_SHIFT, run);
            i = j;
        }
        for (Written w : sorted) {
            cache.put(w.blkno(), w.block());
        }
        writes.add(sorted.size());
    }

    public void force() {
        device.force();
    }

    public BlockCache cache() {
        return cache;
    }

    public long deviceReads() {
        return reads.sum();
    }

    public long cacheHits() {
        return cacheHits.sum();
    }

    public long blocksWritten() {
        return writes.sum();
    }
}
