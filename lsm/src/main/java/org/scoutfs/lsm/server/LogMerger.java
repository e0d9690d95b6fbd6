package org.scoutfs.lsm.server;

import java.util.ArrayList;
import java.util.List;
import java.util.function.LongFunction;

import org.scoutfs.lsm.NoSpaceException;
import org.scoutfs.lsm.alloc.ExtentSet;
import org.scoutfs.lsm.block.MetaBlocks;
import org.scoutfs.lsm.btree.BtreeReader;
import org.scoutfs.lsm.btree.BtreeWriter;
import org.scoutfs.lsm.btree.Item;
import org.scoutfs.lsm.forest.LogTreeRef;
import org.scoutfs.lsm.forest.MergingIterator;
import org.scoutfs.lsm.format.Extent;
import org.scoutfs.lsm.format.Key;

/**
 * Runs a {@link MergeJob}: a pure function from the finalized log trees and the fs root to a new
 * fs root, written copy-on-write into the job's granted space. It reads only committed blocks and
 * writes only blocks no one references yet, so nodes keep reading and committing meanwhile; the
 * server swaps the new root in with one commit.
 *
 * <p>For each key the newest version across the inputs is folded into the fs root unless the fs
 * root already holds a newer one. A deletion removes the key from the fs root, and is kept as a
 * marker only while some live log tree might still hold an older version it must hide.
 */
public final class LogMerger {
    private LogMerger() {
    }

    /**
     * @param moreSpace asked for more blocks when the grant runs out; returns what it could give
     */
    public static MergeJob.Result run(MetaBlocks blocks, MergeJob job, LongFunction<List<Extent>> moreSpace) {
        ExtentSet avail = new ExtentSet(job.avail());
        List<Extent> granted = new ArrayList<>(job.avail());
        ExtentSet freed = new ExtentSet();
        BtreeWriter.Allocator alloc = new BtreeWriter.Allocator() {
            @Override
            public long allocMeta() {
                if (avail.isEmpty()) {
                    List<Extent> more = moreSpace.apply(Math.max(64, granted.stream().mapToLong(Extent::len).sum()));
                    if (more.isEmpty()) {
                        throw new NoSpaceException("no metadata space left to merge log trees");
                    }
                    more.forEach(avail::add);
                    granted.addAll(more);
                }
                return avail.takeFirst(1).start();
            }

            @Override
            public void freeMeta(long blkno) {
                freed.add(blkno, 1);
            }
        };
        BtreeWriter writer = new BtreeWriter(blocks, job.fsRoot(), job.seq(), alloc);
        List<MergingIterator.Source> sources = new ArrayList<>();
        long maxSeq = job.fsMaxSeq();
        for (LogTreeRef t : job.inputs()) {
            var cursor = BtreeReader.cursor(blocks, t.root(), Key.MIN, Key.MAX);
            sources.add(new MergingIterator.Source() {
                @Override
                public Item peek() {
                    return cursor.peek();
                }

                @Override
                public Item next() {
                    return cursor.next();
                }
            });
            maxSeq = Math.max(maxSeq, t.maxItemSeq());
        }
        MergingIterator merged = new MergingIterator(sources);
        long count = 0;
        for (Item item = merged.next(); item != null; item = merged.next()) {
            count++;
            // a deletion must stay a marker while a live log tree may hold an older version to hide
            writer.merge(item, Long.compareUnsigned(job.liveMinSeq(), item.seq()) < 0);
        }
        for (LogTreeRef t : job.inputs()) {
            BtreeReader.visitBlocks(blocks, t.root(), ref -> freed.add(ref.blkno(), 1));
            if (!t.bloom().isNone()) {
                freed.add(t.bloom().blkno(), 1);
            }
        }
        BtreeWriter.Result result = writer.finish();
        blocks.write(result.blocks());
        blocks.force();
        return new MergeJob.Result(job.seq(), result.root(), maxSeq, job.inputs(), freed.toList(), avail.toList(),
                count);
    }
}
