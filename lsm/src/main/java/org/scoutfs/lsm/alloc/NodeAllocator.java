package org.scoutfs.lsm.alloc;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.scoutfs.lsm.NoSpaceException;
import org.scoutfs.lsm.btree.BtreeWriter;
import org.scoutfs.lsm.format.Extent;
import org.scoutfs.lsm.format.LogTreesRecord;

/**
 * A node's private allocator: the metadata and data extents the server granted it, used without
 * asking anyone, and a ledger per open transaction of what it allocated and freed.
 *
 * <p>Freed blocks never come back here: they are reported with the commit that stops using them
 * and the server frees them once that commit is durable. Blocks allocated for a transaction that
 * has not committed are still listed as available in every report, so a crash gives them back.
 * When the grants run short the node asks the server for more through {@link Granter}.
 */
public final class NodeAllocator {
    /** Asks the server for more space; returns what it could grant (possibly nothing). */
    public interface Granter {
        Grant grant(long metaBlocks, long dataBlocks, boolean forDeletion);
    }

    public record Grant(List<Extent> meta, List<Extent> data) {
    }

    /** What one transaction allocated and freed. */
    public static final class Ledger {
        private final ExtentSet allocatedMeta = new ExtentSet();
        private final ExtentSet allocatedData = new ExtentSet();
        private final ExtentSet freedMeta = new ExtentSet();
        private final ExtentSet freedData = new ExtentSet();

        public List<Extent> freedMeta() {
            return freedMeta.toList();
        }

        public List<Extent> freedData() {
            return freedData.toList();
        }

        public long freedMetaBlocks() {
            return freedMeta.total();
        }

        public long freedDataBlocks() {
            return freedData.total();
        }

        /** Nothing allocated or freed. */
        public boolean isEmpty() {
            return allocatedMeta.isEmpty() && allocatedData.isEmpty() && freedMeta.isEmpty() && freedData.isEmpty();
        }
    }

    /** What a commit reports: remaining grants and what the committed transaction freed. */
    public record Report(List<Extent> metaAvail, List<Extent> dataAvail, List<Extent> freedMeta,
                         List<Extent> freedData) {
    }

    private final ExtentSet metaAvail;
    private final ExtentSet dataAvail;
    private final Granter granter;
    private final long metaGrantBlocks;
    private final long dataGrantBlocks;

    public NodeAllocator(List<Extent> metaAvail, List<Extent> dataAvail, Granter granter, long metaGrantBlocks,
                         long dataGrantBlocks) {
        this.metaAvail = new ExtentSet(metaAvail);
        this.dataAvail = new ExtentSet(dataAvail);
        this.granter = granter;
        this.metaGrantBlocks = metaGrantBlocks;
        this.dataGrantBlocks = dataGrantBlocks;
    }

    public synchronized long metaAvailable() {
        return metaAvail.total();
    }

    public synchronized long dataAvailable() {
        return dataAvail.total();
    }

    /**
     * Makes sure at least {@code metaBlocks} metadata blocks are on hand, asking the server if
     * not; a deletion may use the volume's reserve. Throws {@link NoSpaceException} if the volume
     * cannot provide them.
     */
    public synchronized void reserveMeta(long metaBlocks, boolean forDeletion) {
        if (metaAvail.total() >= metaBlocks) {
            return;
        }
        Grant g = granter.grant(Math.max(metaGrantBlocks, metaBlocks - metaAvail.total()), 0, forDeletion);
        g.meta().forEach(metaAvail::add);
        g.data().forEach(dataAvail::add);
        if (metaAvail.total() < metaBlocks) {
            throw new NoSpaceException("metadata space exhausted: need " + metaBlocks + " blocks, have "
                    + metaAvail.total());
        }
    }

    public synchronized long allocMeta(Ledger ledger) {
        if (metaAvail.isEmpty()) {
            reserveMeta(1, true);
        }
        Extent e = metaAvail.takeFirst(1);
        ledger.allocatedMeta.add(e);
        return e.start();
    }

    public synchronized void freeMeta(Ledger ledger, long blkno) {
        ledger.freedMeta.add(blkno, 1);
    }

    /** Up to {@code maxBlocks} contiguous data blocks; throws {@link NoSpaceException} if none. */
    public synchronized Extent allocData(Ledger ledger, long maxBlocks) {
        if (dataAvail.isEmpty()) {
            Grant g = granter.grant(0, Math.max(dataGrantBlocks, maxBlocks), false);
            g.meta().forEach(metaAvail::add);
            g.data().forEach(dataAvail::add);
            if (dataAvail.isEmpty()) {
                throw new NoSpaceException("data space exhausted");
            }
        }
        Extent e = dataAvail.takeBestFit(maxBlocks);
        ledger.allocatedData.add(e);
        return e;
    }

    public synchronized void freeData(Ledger ledger, Extent e) {
        ledger.freedData.add(e);
    }

    /** Extents {@code ledger} has freed so far, counted as its commit will report them (coalesced). */
    public synchronized int freedExtents(Ledger ledger) {
        return ledger.freedMeta.extentCount() + ledger.freedData.extentCount();
    }

    /** A metadata allocator for a B-tree session writing on behalf of {@code ledger}. */
    public BtreeWriter.Allocator metaAllocator(Ledger ledger) {
        return new BtreeWriter.Allocator() {
            @Override
            public long allocMeta() {
                return NodeAllocator.this.allocMeta(ledger);
            }

            @Override
            public void freeMeta(long blkno) {
                NodeAllocator.this.freeMeta(ledger, blkno);
            }
        };
    }

    /**
     * The report for committing {@code committing}: everything still available, counting as
     * available what later, uncommitted transactions took, and what {@code committing} freed.
     *
     * <p>A record holds a bounded number of extents. If the grants are more fragmented than that,
     * the smallest unused extents are given back with the freed blocks; if blocks taken by later
     * transactions alone exceed it, the smallest of those are left out of the report, which can
     * only leak them if the node crashes before they commit.
     *
     * <p>Only the grants need this allocator's monitor, which every hold of the open transaction
     * waits for. The freed extents are listed outside it: after a large deletion they are
     * thousands, and the committing ledger no longer changes (its holds ended before it was
     * frozen, and the commit has written its tree).
     */
    public Report report(Ledger committing, List<Ledger> later) {
        List<Extent> metaGivenBack = new ArrayList<>();
        List<Extent> dataGivenBack = new ArrayList<>();
        List<Extent> meta;
        List<Extent> data;
        synchronized (this) {
            meta = reportAvail(metaAvail, later.stream().map(l -> l.allocatedMeta).toList(), metaGivenBack);
            data = reportAvail(dataAvail, later.stream().map(l -> l.allocatedData).toList(), dataGivenBack);
        }
        return new Report(meta, data, freedAnd(committing.freedMeta, metaGivenBack),
                freedAnd(committing.freedData, dataGivenBack));
    }

    /** {@code freed} with the unused extents given back, coalesced. */
    private static List<Extent> freedAnd(ExtentSet freed, List<Extent> givenBack) {
        if (givenBack.isEmpty()) {
            return freed.toList();
        }
        ExtentSet all = new ExtentSet(freed.toList());
        givenBack.forEach(all::add);
        return all.toList();
    }

    private static List<Extent> reportAvail(ExtentSet avail, List<ExtentSet> takenLater, List<Extent> freed) {
        int limit = LogTreesRecord.MAX_AVAIL_EXTENTS;
        ExtentSet later = new ExtentSet();
        takenLater.forEach(later::addAll);
        while (avail.extentCount() > 0 && union(avail, later).extentCount() > limit) {
            Extent smallest = avail.toList().stream().min(Comparator.comparingLong(Extent::len)).orElseThrow();
            avail.remove(smallest.start(), smallest.len());
            freed.add(smallest);
        }
        List<Extent> all = union(avail, later).toList();
        if (all.size() > limit) {
            all = new ArrayList<>(all);
            all.sort(Comparator.comparingLong(Extent::len).reversed());
            all = new ArrayList<>(all.subList(0, limit));
            all.sort(Comparator.comparingLong(Extent::start));
        }
        return all;
    }

    private static ExtentSet union(ExtentSet a, ExtentSet b) {
        ExtentSet u = new ExtentSet(a.toList());
        u.addAll(b);
        return u;
    }
}
