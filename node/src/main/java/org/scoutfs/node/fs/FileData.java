package org.scoutfs.node.fs;

import java.nio.ByteBuffer;
import java.util.List;

import org.scoutfs.fuse.Errno;
import org.scoutfs.fuse.FuseException;
import org.scoutfs.lsm.block.BlockDevice;
import org.scoutfs.lsm.btree.Item;
import org.scoutfs.lsm.format.Extent;
import org.scoutfs.lsm.format.ExtentItem;
import org.scoutfs.lsm.format.Format;
import org.scoutfs.lsm.format.Zones;
import org.scoutfs.lsm.txn.NodeStore;
import org.scoutfs.lsm.txn.Txn;

/**
 * File contents: extents of 4 KiB data blocks on the data device, recorded as extent items keyed
 * by their last logical block.
 *
 * <p>Writes into a hole allocate blocks from the node's data grant and write whole blocks,
 * zero-filled around the written bytes, so bytes past the end of file always read as zero. Writes
 * over allocated blocks overwrite them in place, as ordered-mode filesystems do: data reaches the
 * device before the commit that makes it reachable, and the node forces the data device before
 * every metadata commit. Blocks freed by truncation return to the server only after the commit
 * that frees them, so a crash can never leave a file pointing at reused blocks.
 */
final class FileData {
    static final int BLOCK_SHIFT = Format.DATA_BLOCK_SHIFT;
    static final int BLOCK_SIZE = Format.DATA_BLOCK_SIZE;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1 << 20).asReadOnlyBuffer();

    private final NodeStore store;
    private final BlockDevice device;

    FileData(NodeStore store, BlockDevice device) {
        this.store = store;
        this.device = device;
    }

    BlockDevice device() {
        return device;
    }

    /** The first extent that ends at or after {@code block}, or null. */
    ExtentItem extentFrom(long ino, long block) {
        List<Item> items = store.scan(Zones.extentKey(ino, block), Zones.extentKey(ino, -1L), 1);
        return items.isEmpty() ? null : ExtentItem.decode(items.getFirst().key(), items.getFirst().value());
    }

    private ExtentItem extentEndingAt(long ino, long block) {
        if (block < 0) {
            return null;
        }
        byte[] v = store.get(Zones.extentKey(ino, block));
        return v == null ? null : ExtentItem.decode(Zones.extentKey(ino, block), v);
    }

    // ---------------------------------------------------------------- read

    /** Reads up to the end of file into {@code dst}; holes and unwritten extents read as zeros. */
    void read(Inode inode, long offset, ByteBuffer dst) {
        long end = Math.min(offset + dst.remaining(), inode.size);
        long pos = offset;
        while (pos < end) {
            long block = pos >>> BLOCK_SHIFT;
            ExtentItem e = extentFrom(inode.ino, block);
            if (e == null || e.firstBlock() > block) {
                long holeEnd = e == null ? end : Math.min(end, e.firstBlock() << BLOCK_SHIFT);
                zeroFill(dst, holeEnd - pos);
                pos = holeEnd;
                continue;
            }
            long extEnd = Math.min(end, (e.lastBlock() + 1) << BLOCK_SHIFT);
            int n = (int) (extEnd - pos);
            if (e.unwritten()) {
                zeroFill(dst, n);
            } else {
                long devPos = ((e.blkno() + block - e.firstBlock()) << BLOCK_SHIFT) + (pos & (BLOCK_SIZE - 1));
                ByteBuffer slice = dst.slice(dst.position(), n);
                device.read(devPos, slice);
                dst.position(dst.position() + n);
            }
            pos = extEnd;
        }
    }

    private static void zeroFill(ByteBuffer dst, long n) {
        while (n > 0) {
            int chunk = (int) Math.min(n, ZEROS.capacity());
            dst.put(ZEROS.duplicate().limit(chunk));
            n -= chunk;
        }
    }

    // ---------------------------------------------------------------- write

    /**
     * Writes {@code src} at {@code offset}, allocating for holes, and updates the inode's size and
     * block count (the caller writes the inode).
     */
    void write(Txn txn, Inode inode, long offset, ByteBuffer src, long minSeq) {
        long end = offset + src.remaining();
        long pos = offset;
        int base = src.position();
        while (pos < end) {
            long block = pos >>> BLOCK_SHIFT;
            ExtentItem e = extentFrom(inode.ino, block);
            if (e != null && e.firstBlock() <= block && !e.unwritten()) {
                long extEnd = Math.min(end, (e.lastBlock() + 1) << BLOCK_SHIFT);
                long devPos = ((e.blkno() + block - e.firstBlock()) << BLOCK_SHIFT) + (pos & (BLOCK_SIZE - 1));
                device.write(devPos, src.slice(base + (int) (pos - offset), (int) (extEnd - pos)));
                pos = extEnd;
            } else if (e != null && e.firstBlock() <= block) {
                pos = writeUnwritten(txn, inode, e, pos, end, src, base, offset, minSeq);
            } else {
                long chunkEnd = e == null ? end : Math.min(end, e.firstBlock() << BLOCK_SHIFT);
                long lastBlock = (chunkEnd - 1) >>> BLOCK_SHIFT;
                Extent got = txn.allocData(lastBlock - block + 1);
                long written = writeBlocks(got.start(), block, got.len(), pos, chunkEnd, src, base, offset);
                addExtent(txn, inode, block, got.start(), got.len(), 0, minSeq);
                inode.onlineBlocks += got.len();
                pos = written;
            }
        }
        if (end > inode.size) {
            inode.size = end;
        }
    }

    /**
     * Writes whole blocks {@code [block, block+len)} at device block {@code blkno}: the bytes of
     * {@code src} that fall in them, zeros around. Returns the file position written up to.
     */
    private long writeBlocks(long blkno, long block, long len, long pos, long end, ByteBuffer src, int base,
                             long srcOffset) {
        long blocksStart = block << BLOCK_SHIFT;
        long blocksEnd = (block + len) << BLOCK_SHIFT;
        long dataEnd = Math.min(end, blocksEnd);
        ByteBuffer data = src.slice(base + (int) (pos - srcOffset), (int) (dataEnd - pos));
        if (pos == blocksStart && dataEnd == blocksEnd) {
            device.write(blkno << BLOCK_SHIFT, data);
        } else {
            ByteBuffer whole = ByteBuffer.allocate((int) (blocksEnd - blocksStart));
            whole.position((int) (pos - blocksStart));
            whole.put(data);
            whole.clear();
            device.write(blkno << BLOCK_SHIFT, whole);
        }
        return dataEnd;
    }

    /** Writes into a preallocated extent: the written blocks become normal, the rest stays unwritten. */
    private long writeUnwritten(Txn txn, Inode inode, ExtentItem e, long pos, long end, ByteBuffer src, int base,
                                long srcOffset, long minSeq) {
        long first = pos >>> BLOCK_SHIFT;
        long chunkEnd = Math.min(end, (e.lastBlock() + 1) << BLOCK_SHIFT);
        long last = (chunkEnd - 1) >>> BLOCK_SHIFT;
        long blkno = e.blkno() + (first - e.firstBlock());
        long written = writeBlocks(blkno, first, last - first + 1, pos, chunkEnd, src, base, srcOffset);
        txn.delete(Zones.extentKey(inode.ino, e.lastBlock()), minSeq);
        if (first > e.firstBlock()) {
            putExtent(txn, inode.ino, new ExtentItem(first - 1, e.blkno(), first - e.firstBlock(), e.flags()), minSeq);
        }
        putExtent(txn, inode.ino, new ExtentItem(last, blkno, last - first + 1, 0), minSeq);
        if (last < e.lastBlock()) {
            putExtent(txn, inode.ino, new ExtentItem(e.lastBlock(), blkno + (last - first + 1), e.lastBlock() - last,
                    e.flags()), minSeq);
        }
        return written;
    }

    private static void putExtent(Txn txn, long ino, ExtentItem e, long minSeq) {
        txn.put(Zones.extentKey(ino, e.lastBlock()), e.encode(), minSeq);
    }

    /** Records a new extent, joining the one before it when both are contiguous on the device. */
    private void addExtent(Txn txn, Inode inode, long block, long blkno, long len, int flags, long minSeq) {
        ExtentItem prev = extentEndingAt(inode.ino, block - 1);
        if (prev != null && prev.flags() == flags && prev.blkno() + prev.len() == blkno) {
            txn.delete(Zones.extentKey(inode.ino, prev.lastBlock()), minSeq);
            putExtent(txn, inode.ino, new ExtentItem(block + len - 1, prev.blkno(), prev.len() + len, flags), minSeq);
        } else {
            putExtent(txn, inode.ino, new ExtentItem(block + len - 1, blkno, len, flags), minSeq);
        }
    }

    // ---------------------------------------------------------------- truncate, punch, preallocate

    /** Sets the size, freeing blocks past the new end and zeroing the rest of its last block. */
    void truncate(Txn txn, Inode inode, long newSize, long minSeq) {
        if (newSize < inode.size) {
            long firstFree = (newSize + BLOCK_SIZE - 1) >>> BLOCK_SHIFT;
            freeBlocks(txn, inode, firstFree, Long.MAX_VALUE >>> BLOCK_SHIFT, minSeq);
            if ((newSize & (BLOCK_SIZE - 1)) != 0) {
                zeroInBlock(inode, newSize, BLOCK_SIZE - (int) (newSize & (BLOCK_SIZE - 1)));
            }
        }
        inode.size = newSize;
    }

    /** Zeroes {@code len} bytes from {@code pos}, which lie inside one block, if that block holds data. */
    private void zeroInBlock(Inode inode, long pos, int len) {
        if (len <= 0) {
            return;
        }
        long block = pos >>> BLOCK_SHIFT;
        ExtentItem e = extentFrom(inode.ino, block);
        if (e != null && e.firstBlock() <= block && !e.unwritten()) {
            long devPos = ((e.blkno() + block - e.firstBlock()) << BLOCK_SHIFT) + (pos & (BLOCK_SIZE - 1));
            device.write(devPos, ZEROS.duplicate().limit(len));
        }
    }

    /** Frees the blocks in [first, last], splitting extents that straddle the range. */
    void freeBlocks(Txn txn, Inode inode, long first, long last, long minSeq) {
        while (true) {
            ExtentItem e = extentFrom(inode.ino, first);
            if (e == null || e.firstBlock() > last) {
                return;
            }
            long from = Math.max(first, e.firstBlock());
            long to = Math.min(last, e.lastBlock());
            txn.delete(Zones.extentKey(inode.ino, e.lastBlock()), minSeq);
            if (e.firstBlock() < from) {
                putExtent(txn, inode.ino, new ExtentItem(from - 1, e.blkno(), from - e.firstBlock(), e.flags()), minSeq);
            }
            if (to < e.lastBlock()) {
                putExtent(txn, inode.ino, new ExtentItem(e.lastBlock(), e.blkno() + (to + 1 - e.firstBlock()),
                        e.lastBlock() - to, e.flags()), minSeq);
            }
            txn.freeData(new Extent(e.blkno() + (from - e.firstBlock()), to - from + 1));
            inode.onlineBlocks -= to - from + 1;
            if (to >= last) {
                return;
            }
            first = to + 1;
        }
    }

    /** Makes [offset, offset+len) read as zeros, freeing the whole blocks inside it. */
    void punch(Txn txn, Inode inode, long offset, long len, long minSeq) {
        long end = Math.min(offset + len, inode.size);
        if (offset >= end) {
            return;
        }
        long firstWhole = (offset + BLOCK_SIZE - 1) >>> BLOCK_SHIFT;
        long endWhole = end >>> BLOCK_SHIFT;
        if (firstWhole >= endWhole) {
            // no whole block inside: zero the pieces in the one or two blocks the range touches
            long split = Math.min(end, ((offset >>> BLOCK_SHIFT) + 1) << BLOCK_SHIFT);
            zeroInBlock(inode, offset, (int) (split - offset));
            if (split < end) {
                zeroInBlock(inode, split, (int) (end - split));
            }
            return;
        }
        zeroInBlock(inode, offset, (int) ((firstWhole << BLOCK_SHIFT) - offset));
        zeroInBlock(inode, endWhole << BLOCK_SHIFT, (int) (end - (endWhole << BLOCK_SHIFT)));
        freeBlocks(txn, inode, firstWhole, endWhole - 1, minSeq);
    }

    /** Allocates unwritten blocks for every hole in [offset, offset+len). */
    void preallocate(Txn txn, Inode inode, long offset, long len, long minSeq) {
        long block = offset >>> BLOCK_SHIFT;
        long last = (offset + len - 1) >>> BLOCK_SHIFT;
        while (block <= last) {
            ExtentItem e = extentFrom(inode.ino, block);
            if (e != null && e.firstBlock() <= block) {
                block = e.lastBlock() + 1;
                continue;
            }
            long holeLast = e == null ? last : Math.min(last, e.firstBlock() - 1);
            Extent got = txn.allocData(holeLast - block + 1);
            addExtent(txn, inode, block, got.start(), got.len(), ExtentItem.FLAG_UNWRITTEN, minSeq);
            inode.onlineBlocks += got.len();
            block += got.len();
        }
    }

    /** One slice of freeing a deleted file: where its scan started, what it freed, where the next one starts. */
    record FreedSlice(long fromBlock, int extents, long nextBlock, boolean done) {
    }

    /**
     * Frees up to {@code maxExtents} extents of a file that is being deleted, from the first one
     * that ends at or after {@code fromBlock}, all found by a single scan; {@code done} when no
     * extent is left after them.
     *
     * <p>The caller starts the next slice at {@code nextBlock}. Starting every slice at block 0
     * instead would walk over the deletion markers of all earlier slices, which stay in the
     * memtables and log trees until a merge drops them: a file of n extents would take n²/2 steps
     * to delete, most of them inside transaction holds that commits, and so every other
     * operation, wait for.
     */
    FreedSlice freeSlice(Txn txn, Inode inode, long fromBlock, int maxExtents, long minSeq) {
        List<Item> items = store.scan(Zones.extentKey(inode.ino, fromBlock), Zones.extentKey(inode.ino, -1L),
                maxExtents + 1);
        int freed = Math.min(items.size(), maxExtents);
        long next = fromBlock;
        for (int i = 0; i < freed; i++) {
            ExtentItem e = ExtentItem.decode(items.get(i).key(), items.get(i).value());
            txn.delete(Zones.extentKey(inode.ino, e.lastBlock()), minSeq);
            txn.freeData(new Extent(e.blkno(), e.len()));
            inode.onlineBlocks -= e.len();
            next = e.lastBlock() + 1;
        }
        return new FreedSlice(fromBlock, freed, next, items.size() <= maxExtents);
    }

    // ---------------------------------------------------------------- seek

    /** SEEK_DATA: the first offset at or after {@code offset} inside written data. */
    long seekData(Inode inode, long offset) {
        if (offset >= inode.size) {
            throw new FuseException(Errno.ENXIO);
        }
        long block = offset >>> BLOCK_SHIFT;
        while (true) {
            ExtentItem e = extentFrom(inode.ino, block);
            if (e == null) {
                throw new FuseException(Errno.ENXIO);
            }
            if (!e.unwritten()) {
                long at = Math.max(offset, e.firstBlock() << BLOCK_SHIFT);
                if (at >= inode.size) {
                    throw new FuseException(Errno.ENXIO);
                }
                return at;
            }
            block = e.lastBlock() + 1;
        }
    }

    /** SEEK_HOLE: the first offset at or after {@code offset} in a hole (end of file counts as one). */
    long seekHole(Inode inode, long offset) {
        if (offset >= inode.size) {
            throw new FuseException(Errno.ENXIO);
        }
        long block = offset >>> BLOCK_SHIFT;
        while (true) {
            ExtentItem e = extentFrom(inode.ino, block);
            if (e == null || e.firstBlock() > block || e.unwritten()) {
                return Math.min(inode.size, Math.max(offset, block << BLOCK_SHIFT));
            }
            block = e.lastBlock() + 1;
        }
    }
}
