package org.scoutfs.lsm.server;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.scoutfs.lsm.VolumeFailedException;
import org.scoutfs.lsm.alloc.ExtentSet;
import org.scoutfs.lsm.alloc.FreeSpace;
import org.scoutfs.lsm.block.BlockDevice;
import org.scoutfs.lsm.block.MetaBlocks;
import org.scoutfs.lsm.btree.BtreeCursor;
import org.scoutfs.lsm.btree.BtreeReader;
import org.scoutfs.lsm.btree.BtreeWriter;
import org.scoutfs.lsm.btree.Item;
import org.scoutfs.lsm.forest.LogTreeRef;
import org.scoutfs.lsm.forest.Roots;
import org.scoutfs.lsm.format.BlockRef;
import org.scoutfs.lsm.format.BtreeRoot;
import org.scoutfs.lsm.format.Extent;
import org.scoutfs.lsm.format.FreeExtentItem;
import org.scoutfs.lsm.format.Key;
import org.scoutfs.lsm.format.LogMergeRecord;
import org.scoutfs.lsm.format.LogTreesRecord;
import org.scoutfs.lsm.format.SuperBlock;
import org.scoutfs.lsm.format.Zones;

/**
 * The server role: the single writer of the super block.
 *
 * <p>It owns everything global: the sequence counter, inode numbers, free space, the record of
 * every node's log tree, and the fs root (changed only by merges). Its own bookkeeping lives in
 * the server tree, a B-tree whose items are log tree records, free extents and merge grants.
 *
 * <p><b>Commits.</b> Requests change in-memory state and then wait for a commit that includes
 * them; one commit serves every request that arrived before it (group commit). A commit writes the
 * changed server tree items copy-on-write, forces the device, writes the super block copy for its
 * sequence and forces again. The super write is the atomic switch: a crash before it leaves the
 * previous commit in place, whole.
 *
 * <p><b>Free space.</b> Blocks a commit stops referencing (the server tree's own copied blocks,
 * what nodes and merges report freed) are recorded free by that commit but handed out only after
 * it is durable, so the previous commit stays intact until the new one replaces it. The server
 * tree's own blocks come from the same free space; recording the free extents changes the tree,
 * which allocates and frees blocks, so the recording repeats until nothing changes (it converges
 * because each tree block is copied at most once per commit).
 *
 * <p><b>Sequences.</b> Transactions, server tree sessions and merges all take sequences from one
 * counter, so a block location is never written twice with the same sequence and a reader holding
 * an old reference always notices reuse. The last stable sequence is one below the oldest
 * transaction still open; nothing at or below it can appear later.
 *
 * <p>Thread-safe: all state is guarded by this object's monitor, including commit I/O. It has no
 * threads of its own.
 */
public final class VolumeServer implements ServerApi {
    /** Policy knobs; {@link #defaults(SuperBlock)} scales them to the volume. */
    public record Options(long finalizeBlocks, long metaGrantBlocks, long dataGrantBlocks) {
        public static Options defaults(SuperBlock sb) {
            long meta = sb.totalMetaBlocks();
            long data = sb.totalDataBlocks();
            return new Options(128, clamp(meta / 64, 16, 1024), clamp(data / 64, 256, 1L << 18));
        }

        private static long clamp(long v, long lo, long hi) {
            return Math.max(lo, Math.min(hi, v));
        }

        public Options withFinalizeBlocks(long v) {
            return new Options(v, metaGrantBlocks, dataGrantBlocks);
        }
    }

    private final MetaBlocks blocks;
    private final BlockDevice metaDevice;
    private final Options options;
    private final FreeSpace metaFree = new FreeSpace("metadata");
    private final FreeSpace dataFree = new FreeSpace("data");
    private final TreeMap<Key, LogTreesRecord> logTrees = new TreeMap<>();
    /** Server tree items changed since the last commit; a null value deletes the item. */
    private final TreeMap<Key, byte[]> changedItems = new TreeMap<>();
    private final Map<Long, TreeSet<Long>> openTrans = new HashMap<>();
    private final List<Consumer<Roots>> rootListeners = new CopyOnWriteArrayList<>();
    private final BtreeWriter.Allocator treeAllocator = new BtreeWriter.Allocator() {
        @Override
        public long allocMeta() {
            return metaFree.allocOne();
        }

        @Override
        public void freeMeta(long blkno) {
            metaFree.freeAfterCommit(blkno, 1);
        }
    };

    private SuperBlock durable;
    private SuperBlock.Builder next;
    /**
     * The global sequence counter, outside the monitor so that lock grants can take sequences
     * while a commit is writing; each commit records its value in the super.
     */
    private final java.util.concurrent.atomic.AtomicLong seqCounter = new java.util.concurrent.atomic.AtomicLong();
    private List<LogTreeRef> durableTrees = List.of();
    private LogMergeRecord activeMerge;
    private long changeGen;
    private long durableGen;
    private Roots roots;
    private Throwable failure;

    private VolumeServer(MetaBlocks blocks, SuperBlock sb, Options options) {
        this.blocks = blocks;
        this.metaDevice = blocks.device();
        this.options = options;
        this.durable = sb;
        this.next = sb.toBuilder();
    }

    /**
     * Starts serving a volume whose super block is {@code sb}: loads the server tree, then
     * reclaims what mounts that are not live left behind (their log trees are finalized so their
     * committed items get merged; their unused grants and any interrupted merge's space return
     * to free space) and commits that.
     *
     * @param liveRids mounts known to be alive, whose log trees stay open
     */
    public static VolumeServer start(MetaBlocks blocks, SuperBlock sb, Options options, Collection<Long> liveRids) {
        VolumeServer s = new VolumeServer(blocks, sb, options);
        synchronized (s) {
            s.load();
            s.reclaimAllBut(liveRids);
            s.commitNow();
        }
        return s;
    }

    private void load() {
        try {
            loadServerTree();
        } catch (org.scoutfs.lsm.StaleBlockException e) {
            // nothing else writes the server tree: a block that is not what the super names is damage
            throw e.asCorruption("server tree");
        }
    }

    private void loadServerTree() {
        long maxSeq = Math.max(durable.nextSeq(), durable.fsMaxSeq() + 1);
        BtreeCursor c = BtreeReader.cursor(blocks, durable.serverRoot(), Key.MIN, Key.MAX);
        for (Item item = c.next(); item != null; item = c.next()) {
            Key k = item.key();
            switch (k.zone()) {
                case Zones.LOG_TREES -> {
                    LogTreesRecord r = LogTreesRecord.decode(k, item.value());
                    logTrees.put(k, r);
                    maxSeq = Math.max(maxSeq, r.maxItemSeq() + 1);
                    maxSeq = Math.max(maxSeq, r.commitSeq() + 1);
                }
                case Zones.FREE_META -> metaFree.loadFree(FreeExtentItem.decode(k, item.value()));
                case Zones.FREE_DATA -> dataFree.loadFree(FreeExtentItem.decode(k, item.value()));
                case Zones.LOG_MERGE -> {
                    LogMergeRecord m = LogMergeRecord.decode(k, item.value());
                    m.avail().forEach(metaFree::freeAfterCommit);
                    changedItems.put(k, null);
                    maxSeq = Math.max(maxSeq, m.seq() + 1);
                }
                default -> throw new org.scoutfs.lsm.CorruptionException("server tree holds an item of unknown zone: " + k);
            }
        }
        seqCounter.set(maxSeq);
        durableTrees = logTrees.values().stream().map(LogTreeRef::of).toList();
    }

    private void reclaimAllBut(Collection<Long> liveRids) {
        for (LogTreesRecord r : List.copyOf(logTrees.values())) {
            if (!liveRids.contains(r.rid()) && !r.finalized()) {
                retire(r);
            }
        }
    }

    /** Finalizes a log tree and gives its unused grants back. */
    private void retire(LogTreesRecord r) {
        r.metaAvail().forEach(metaFree::freeAfterCommit);
        r.dataAvail().forEach(dataFree::freeAfterCommit);
        LogTreesRecord done = r.withFlags(r.flags() | LogTreesRecord.FLAG_FINALIZED).withAvail(List.of(), List.of());
        if (done.itemRoot().isEmpty()) {
            if (!done.bloom().isNone()) {
                metaFree.freeAfterCommit(done.bloom().blkno(), 1);
            }
            putRecord(null, r.key());
        } else {
            putRecord(done, r.key());
        }
    }

    private void putRecord(LogTreesRecord r, Key key) {
        if (r == null) {
            logTrees.remove(key);
            changedItems.put(key, null);
        } else {
            logTrees.put(key, r);
            changedItems.put(key, r.encode());
        }
        changeGen++;
    }

    public void addRootListener(Consumer<Roots> listener) {
        rootListeners.add(listener);
    }

    public Options options() {
        return options;
    }

    public synchronized SuperBlock durableSuper() {
        return durable;
    }

    // ---------------------------------------------------------------- requests

    @Override
    public synchronized TransOpen openTransaction(long rid) {
        checkFailed();
        LogTreesRecord r = currentRecord(rid);
        long seq = takeSeq();
        if (r == null) {
            long nr = logTrees.subMap(LogTreesRecord.key(rid, 0), true, LogTreesRecord.key(rid, -1L), true)
                    .values().stream().mapToLong(LogTreesRecord::nr).max().orElse(0) + 1;
            List<Extent> meta = allocMetaForNodes(options.metaGrantBlocks(), false);
            List<Extent> data = dataFree.alloc(options.dataGrantBlocks());
            r = new LogTreesRecord(rid, nr, BtreeRoot.EMPTY, BlockRef.NONE, seq, 0, 0, 0, 0, meta, data);
            putRecord(r, r.key());
        }
        openTrans.computeIfAbsent(rid, k -> new TreeSet<>()).add(seq);
        roots = null;
        changeGen++;
        return new TransOpen(seq, r);
    }

    private LogTreesRecord currentRecord(long rid) {
        LogTreesRecord current = null;
        for (LogTreesRecord r : logTrees.subMap(LogTreesRecord.key(rid, 0), true, LogTreesRecord.key(rid, -1L), true)
                .values()) {
            if (!r.finalized()) {
                current = r;
            }
        }
        return current;
    }

    /**
     * A fresh sequence from the global counter, for a cluster lock grant: items written under the
     * lock carry at least this sequence, so they outrank everything written before the grant.
     */
    public long newWriteSeq() {
        return takeSeq();
    }

    /** Metadata blocks only deletions may have: a full volume must still be able to shrink. */
    private long reserveForDeletes() {
        return Math.max(32, durable.totalMetaBlocks() / 256);
    }

    /** Metadata blocks nobody else gets: the server's own commits must always find room. */
    private long reserveForServer() {
        return 16 + durable.totalMetaBlocks() / 1024;
    }

    /** Free metadata blocks past the reserves (past the server's alone for deletions); may be negative. */
    private long metaBeyondReserves(boolean forDeletion) {
        return metaFree.available() - reserveForServer() - (forDeletion ? 0 : reserveForDeletes());
    }

    /** Metadata blocks for nodes, leaving the reserves alone (the deletion reserve only for deletions). */
    private List<Extent> allocMetaForNodes(long blocks, boolean forDeletion) {
        long limit = metaBeyondReserves(forDeletion);
        return limit <= 0 ? List.of() : metaFree.alloc(Math.min(blocks, limit));
    }

    private long takeSeq() {
        return seqCounter.getAndIncrement();
    }

    @Override
    public CommitReply commitLogTree(LogTreeCommit c) {
        long gen;
        synchronized (this) {
            checkFailed();
            Key key = LogTreesRecord.key(c.rid(), c.nr());
            LogTreesRecord r = logTrees.get(key);
            if (r == null || r.finalized()) {
                throw new IllegalStateException("mount " + Long.toHexString(c.rid()) + " committed to log tree " + c.nr()
                        + " which is " + (r == null ? "unknown" : "finalized"));
            }
            checkNotFree(c.freedMeta(), metaFree, "metadata");
            checkNotFree(c.freedData(), dataFree, "data");
            c.freedMeta().forEach(metaFree::freeAfterCommit);
            c.freedData().forEach(dataFree::freeAfterCommit);
            next.inodeCount(next.inodeCount() + c.inodeCountDelta());
            LogTreesRecord updated = new LogTreesRecord(r.rid(), r.nr(), c.itemRoot(), c.bloom(), r.firstSeq(),
                    Math.max(r.maxItemSeq(), c.maxItemSeq()), c.transSeq(), c.itemBlocks(), r.flags(), c.metaAvail(),
                    c.dataAvail());
            if (c.finalizeTree() || c.itemBlocks() >= options.finalizeBlocks()) {
                rotate(updated, c.transSeq());
            } else {
                putRecord(updated, key);
            }
            gen = changeGen;
        }
        awaitDurable(gen);
        synchronized (this) {
            TreeSet<Long> open = openTrans.get(c.rid());
            if (open != null) {
                open.remove(c.transSeq());
            }
            roots = null;
            return new CommitReply(rootsLocked(), currentRecord(c.rid()));
        }
    }

    /** Finalizes a node's tree at a commit and opens its next one, which inherits the grants. */
    private void rotate(LogTreesRecord r, long committingSeq) {
        putRecord(r.withFlags(r.flags() | LogTreesRecord.FLAG_FINALIZED).withAvail(List.of(), List.of()), r.key());
        long firstSeq = seqCounter.get();
        TreeSet<Long> open = openTrans.get(r.rid());
        if (open != null) {
            for (long s : open) {
                if (s != committingSeq) {
                    firstSeq = Math.min(firstSeq, s);
                }
            }
        }
        LogTreesRecord fresh = new LogTreesRecord(r.rid(), r.nr() + 1, BtreeRoot.EMPTY, BlockRef.NONE, firstSeq, 0, 0, 0,
                0, r.metaAvail(), r.dataAvail());
        putRecord(fresh, fresh.key());
    }

    /**
     * Refuses a report of blocks freed that are free already. One lookup per extent, not per
     * block: this runs under the monitor every request waits for, and a deleted 1 GiB file can be
     * a single extent of 262,144 blocks.
     */
    private static void checkNotFree(List<Extent> freed, FreeSpace space, String what) {
        for (Extent e : freed) {
            if (space.anyFreeOrPending(e.start(), e.len())) {
                throw new IllegalStateException(what + " blocks " + e.start() + "+" + e.len() + " freed twice");
            }
        }
    }

    @Override
    public synchronized Grant grant(long rid, long metaBlocks, long dataBlocks, boolean forDeletion) {
        checkFailed();
        LogTreesRecord r = currentRecord(rid);
        if (r == null) {
            throw new IllegalStateException("mount " + Long.toHexString(rid) + " asked for space without a log tree");
        }
        List<Extent> meta = metaBlocks > 0 ? allocMetaForNodes(metaBlocks, forDeletion) : List.of();
        List<Extent> data = dataBlocks > 0 ? dataFree.alloc(dataBlocks) : List.of();
        ExtentSet m = new ExtentSet(r.metaAvail());
        meta.forEach(m::add);
        ExtentSet d = new ExtentSet(r.dataAvail());
        data.forEach(d::add);
        if (m.extentCount() <= LogTreesRecord.MAX_AVAIL_EXTENTS && d.extentCount() <= LogTreesRecord.MAX_AVAIL_EXTENTS) {
            putRecord(r.withAvail(m.toList(), d.toList()), r.key());
        }
        return new Grant(meta, data);
    }

    @Override
    public synchronized Roots getRoots() {
        checkFailed();
        return rootsLocked();
    }

    private Roots rootsLocked() {
        if (roots == null) {
            roots = new Roots(durable.seq(), durable.fsRoot(), durable.fsMaxSeq(), durableTrees, stableSeqLocked());
        }
        return roots;
    }

    private long stableSeqLocked() {
        long min = Long.MAX_VALUE;
        for (TreeSet<Long> open : openTrans.values()) {
            if (!open.isEmpty()) {
                min = Math.min(min, open.first());
            }
        }
        return (min == Long.MAX_VALUE ? seqCounter.get() : min) - 1;
    }

    @Override
    public InodeRange allocInodes(long rid, long count) {
        long first;
        long gen;
        synchronized (this) {
            checkFailed();
            if (count <= 0) {
                throw new IllegalArgumentException("inode count " + count);
            }
            first = next.nextIno();
            next.nextIno(first + count);
            gen = ++changeGen;
        }
        awaitDurable(gen);
        return new InodeRange(first, count);
    }

    @Override
    public synchronized Usage usage(long rid) {
        checkFailed();
        long meta = metaFree.total();
        long data = dataFree.total();
        long callerMeta = 0;
        long callerData = 0;
        for (LogTreesRecord r : logTrees.values()) {
            long m = r.metaAvail().stream().mapToLong(Extent::len).sum();
            long d = r.dataAvail().stream().mapToLong(Extent::len).sum();
            meta += m;
            data += d;
            if (r.rid() == rid) {
                callerMeta += m;
                callerData += d;
            }
        }
        if (activeMerge != null) {
            meta += activeMerge.avail().stream().mapToLong(Extent::len).sum();
        }
        return new Usage(durable.totalMetaBlocks(), Math.min(meta, durable.totalMetaBlocks()),
                durable.totalDataBlocks(), Math.min(data, durable.totalDataBlocks()), next.inodeCount(),
                stableSeqLocked(), callerMeta, callerData);
    }

    @Override
    public void farewell(long rid) {
        long gen;
        synchronized (this) {
            checkFailed();
            for (LogTreesRecord r : List.copyOf(logTrees.values())) {
                if (r.rid() == rid && !r.finalized()) {
                    retire(r);
                }
            }
            openTrans.remove(rid);
            roots = null;
            gen = changeGen;
        }
        awaitDurable(gen);
    }

    // ---------------------------------------------------------------- merging

    /** True if finalized log trees wait to be merged and no merge is running. */
    public synchronized boolean mergeWanted() {
        return activeMerge == null && logTrees.values().stream().anyMatch(LogTreesRecord::finalized);
    }

    /** Hands out a merge of every finalized log tree, or null if there is none or one is running. */
    @Override
    public synchronized MergeJob startMerge() {
        checkFailed();
        if (activeMerge != null) {
            return null;
        }
        List<LogTreeRef> inputs = new ArrayList<>();
        long liveMin = seqCounter.get();
        long inputBlocks = 0;
        for (LogTreesRecord r : logTrees.values()) {
            if (r.finalized()) {
                inputs.add(LogTreeRef.of(r));
                inputBlocks += r.itemBlocks();
            } else {
                liveMin = Math.min(liveMin, r.firstSeq());
            }
        }
        if (inputs.isEmpty()) {
            return null;
        }
        long want = Math.max(16, inputBlocks * 2 + 2L * next.fsRoot().height() + 8);
        if (metaBeyondReserves(false) < want) {
            return null; // not enough room to merge now; the log trees keep serving reads meanwhile
        }
        long seq = takeSeq();
        List<Extent> avail = metaFree.alloc(want);
        activeMerge = new LogMergeRecord(seq, avail);
        changedItems.put(activeMerge.key(), activeMerge.encode());
        changeGen++;
        return new MergeJob(seq, next.fsRoot(), next.fsMaxSeq(), inputs, liveMin, avail);
    }

    /** More space for the running merge. */
    @Override
    public synchronized List<Extent> growMerge(long mergeSeq, long blocks) {
        checkFailed();
        if (activeMerge == null || activeMerge.seq() != mergeSeq) {
            throw new IllegalStateException("merge " + mergeSeq + " is not running");
        }
        List<Extent> more = metaFree.alloc(Math.min(blocks, Math.max(0, metaBeyondReserves(false))));
        ExtentSet all = new ExtentSet(activeMerge.avail());
        more.forEach(all::add);
        activeMerge = new LogMergeRecord(mergeSeq, all.toList());
        changedItems.put(activeMerge.key(), activeMerge.encode());
        changeGen++;
        return more;
    }

    /** Swaps in a merged fs root, drops the merged log trees and frees what they used. */
    @Override
    public void completeMerge(MergeJob.Result result) {
        long gen;
        synchronized (this) {
            checkFailed();
            if (activeMerge == null || activeMerge.seq() != result.seq()) {
                throw new IllegalStateException("merge " + result.seq() + " is not running");
            }
            next.fsRoot(result.fsRoot());
            next.fsMaxSeq(Math.max(next.fsMaxSeq(), result.fsMaxSeq()));
            for (LogTreeRef t : result.merged()) {
                putRecord(null, LogTreesRecord.key(t.rid(), t.nr()));
            }
            checkNotFree(result.freedMeta(), metaFree, "metadata");
            result.freedMeta().forEach(metaFree::freeAfterCommit);
            result.unused().forEach(metaFree::freeAfterCommit);
            changedItems.put(activeMerge.key(), null);
            activeMerge = null;
            gen = ++changeGen;
        }
        awaitDurable(gen);
    }

    /** Gives back a merge's space when it could not finish; its input trees stay for a later merge. */
    @Override
    public void abandonMerge(long mergeSeq) {
        long gen;
        synchronized (this) {
            checkFailed();
            if (activeMerge == null || activeMerge.seq() != mergeSeq) {
                return;
            }
            activeMerge.avail().forEach(metaFree::freeAfterCommit);
            changedItems.put(activeMerge.key(), null);
            activeMerge = null;
            gen = ++changeGen;
        }
        awaitDurable(gen);
    }

    // ---------------------------------------------------------------- commits

    /** Commits now if anything changed since the last commit. */
    public void sync() {
        long gen;
        synchronized (this) {
            gen = changeGen;
        }
        awaitDurable(gen);
    }

    private synchronized void awaitDurable(long gen) {
        checkFailed();
        if (durableGen < gen) {
            commitNow();
        }
    }

    private void commitNow() {
        long gen = changeGen;
        try {
            BtreeWriter tree = new BtreeWriter(blocks, durable.serverRoot(), takeSeq(), treeAllocator);
            for (Map.Entry<Key, byte[]> e : changedItems.entrySet()) {
                if (e.getValue() == null) {
                    tree.delete(e.getKey());
                } else {
                    tree.put(e.getKey(), tree.seq(), e.getValue());
                }
            }
            FreeSpaceItems.record(tree, metaFree, dataFree);
            BtreeWriter.Result r = tree.finish();
            blocks.write(r.blocks());
            blocks.force();
            SuperBlock sb = next.seq(durable.seq() + 1).nextSeq(seqCounter.get()).serverRoot(r.root())
                    .freeMetaBlocks(metaFree.total())
                    .freeDataBlocks(dataFree.total()).build();
            metaDevice.write(SuperBlock.copyOffset(sb.seq()), sb.encode());
            metaDevice.force();
            durable = sb;
            next = sb.toBuilder();
            metaFree.commitDurable();
            dataFree.commitDurable();
            changedItems.clear();
            durableTrees = logTrees.values().stream().map(LogTreeRef::of).toList();
            durableGen = gen;
            roots = null;
        } catch (RuntimeException | Error e) {
            failure = e;
            throw new VolumeFailedException("server commit failed; the volume must be reopened: " + e.getMessage(), e);
        }
        Roots published = rootsLocked();
        for (Consumer<Roots> l : rootListeners) {
            l.accept(published);
        }
    }

    /** True once a commit failed; the server then refuses everything. */
    public synchronized boolean failed() {
        return failure != null;
    }

    private void checkFailed() {
        if (failure != null) {
            throw new VolumeFailedException("an earlier server commit failed; the volume must be reopened", failure);
        }
    }
}
