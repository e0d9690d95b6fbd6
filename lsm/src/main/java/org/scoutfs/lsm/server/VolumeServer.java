package org.scoutfs.lsm.server;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.scoutfs.lsm.CorruptionException;
import org.scoutfs.lsm.FencedException;
import org.scoutfs.lsm.NotServingException;
import org.scoutfs.lsm.StaleBlockException;
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
import org.scoutfs.lsm.format.MountedClientRecord;
import org.scoutfs.lsm.format.SuperBlock;
import org.scoutfs.lsm.format.Zones;

/**
 * The server role: the single writer of the super block, for one election term.
 *
 * <p>It owns everything global: the sequence counter, inode numbers, free space, the record of
 * every node's log tree and of every mounted client, and the fs root (changed only by merges). Its
 * own bookkeeping lives in the server tree, a B-tree whose items are log tree records, mounted
 * clients, free extents and merge grants.
 *
 * <p><b>Commits.</b> Requests change in-memory state and then wait for a commit that includes
 * them; one commit serves every request that arrived before it (group commit). A commit first
 * checks that this server's {@link Leadership} still holds, then writes the changed server tree
 * items copy-on-write, forces the device, writes the super block copy for its sequence (stamped
 * with the term) and forces again. The super write is the atomic switch: a crash before it leaves
 * the previous commit in place, whole.
 *
 * <p><b>Free space.</b> Blocks a commit stops referencing (the server tree's own copied blocks,
 * what nodes and merges report freed) are recorded free by that commit but handed out only after
 * it is durable, so the previous commit stays intact until the new one replaces it. The server
 * tree's own blocks come from the same free space; recording the free extents changes the tree,
 * which allocates and frees blocks, so the recording repeats until nothing changes (it converges
 * because each tree block is copied at most once per commit). Everything handed out (grants,
 * merge space, new log trees) is durable before the answer leaves, so a server that takes over
 * after a crash knows of all of it.
 *
 * <p><b>Recovery.</b> A starting server finalizes the log trees of mounts it has no record of and
 * gives back any interrupted merge's space. Then it waits until every mounted client has come back
 * ({@link #greet}) or been declared gone ({@link #reclaim}, after it was fenced); until then it
 * serves only greetings and reads, so a mount that comes back finds nothing of its own handed to
 * someone else. Returning mounts report their open transactions and highest sequence, and the
 * counter moves past them.
 *
 * <p><b>Sequences.</b> Transactions, server tree sessions and merges all take sequences from one
 * counter, so a block location is never written twice with the same sequence and a reader holding
 * an old reference always notices reuse. The last stable sequence is one below the oldest
 * transaction still open (a mount not yet back after a failover counts as holding one open just
 * after its last commit); nothing at or below it can appear later.
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
    private final Leadership leadership;
    private final FreeSpace metaFree = new FreeSpace("metadata");
    private final FreeSpace dataFree = new FreeSpace("data");
    private final TreeMap<Key, LogTreesRecord> logTrees = new TreeMap<>();
    private final TreeMap<Long, MountedClientRecord> mountedClients = new TreeMap<>();
    /** Mounted clients of the last server that have neither come back nor been declared gone. */
    private final Set<Long> awaiting = new LinkedHashSet<>();
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
    /** The sequence of the last durable super, readable without the monitor (a commit holds it while writing). */
    private volatile long durableCommitSeq;
    private SuperBlock.Builder next;
    /**
     * The global sequence counter, outside the monitor so that lock grants can take sequences
     * while a commit is writing; each commit records its value in the super.
     */
    private final AtomicLong seqCounter = new AtomicLong();
    private List<LogTreeRef> durableTrees = List.of();
    private LogMergeRecord activeMerge;
    private MergeJob activeMergeJob;
    private long activeMergeOwner;
    private long changeGen;
    private long durableGen;
    private Roots roots;
    private Throwable failure;
    private String notServing;

    private VolumeServer(MetaBlocks blocks, SuperBlock sb, Options options, Leadership leadership) {
        this.blocks = blocks;
        this.metaDevice = blocks.device();
        this.options = options;
        this.leadership = leadership;
        this.durable = sb;
        this.durableCommitSeq = sb.seq();
        this.next = sb.toBuilder();
    }

    /**
     * Starts serving a volume whose super block is {@code sb} for {@code leadership}'s term: loads
     * the server tree, finalizes the log trees of mounts that are not mounted clients, gives back
     * the space of interrupted merges, and commits that. Mounted clients of the last server are
     * then awaited (see {@link #awaitingRecovery()}).
     *
     * @throws NotServingException if the volume was last written by a server of a newer term
     */
    public static VolumeServer start(MetaBlocks blocks, SuperBlock sb, Options options, Leadership leadership) {
        if (Long.compareUnsigned(sb.serverTerm(), leadership.term()) > 0) {
            throw new NotServingException("the volume was last written by the server of term " + sb.serverTerm()
                    + ", newer than this server's term " + leadership.term());
        }
        VolumeServer s = new VolumeServer(blocks, sb, options, leadership);
        synchronized (s) {
            s.load();
            s.retireOrphanedTrees();
            s.commitNow();
        }
        return s;
    }

    /** Starts serving a volume this process holds to itself; every earlier mount is declared gone. */
    public static VolumeServer startExclusive(MetaBlocks blocks, SuperBlock sb, Options options) {
        VolumeServer s = start(blocks, sb, options, Leadership.exclusive(sb.serverTerm()));
        for (long rid : s.awaitingRecovery()) {
            s.reclaim(rid);
        }
        return s;
    }

    private void load() {
        try {
            loadServerTree();
        } catch (StaleBlockException e) {
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
                case Zones.MOUNTED_CLIENT -> {
                    MountedClientRecord m = MountedClientRecord.decode(k, item.value());
                    mountedClients.put(m.rid(), m);
                    awaiting.add(m.rid());
                }
                case Zones.FREE_META -> metaFree.loadFree(FreeExtentItem.decode(k, item.value()));
                case Zones.FREE_DATA -> dataFree.loadFree(FreeExtentItem.decode(k, item.value()));
                case Zones.LOG_MERGE -> {
                    // its merger stopped, or stops before it greets this server: nothing writes there now
                    LogMergeRecord m = LogMergeRecord.decode(k, item.value());
                    m.avail().forEach(metaFree::freeAfterCommit);
                    changedItems.put(k, null);
                    maxSeq = Math.max(maxSeq, m.seq() + 1);
                }
                default -> throw new CorruptionException("server tree holds an item of unknown zone: " + k);
            }
        }
        seqCounter.set(maxSeq);
        durableTrees = logTrees.values().stream().map(LogTreeRef::of).toList();
    }

    /** Log trees still open for mounts that are not mounted clients (a crash between the two records). */
    private void retireOrphanedTrees() {
        for (LogTreesRecord r : List.copyOf(logTrees.values())) {
            if (!r.finalized() && !mountedClients.containsKey(r.rid())) {
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

    private void putClient(long rid, MountedClientRecord c) {
        if (c == null) {
            mountedClients.remove(rid);
            changedItems.put(MountedClientRecord.key(rid), null);
        } else {
            mountedClients.put(rid, c);
            changedItems.put(c.key(), c.encode());
        }
        changeGen++;
    }

    public void addRootListener(Consumer<Roots> listener) {
        rootListeners.add(listener);
    }

    public Options options() {
        return options;
    }

    /** The election term this server serves. */
    public long term() {
        return leadership.term();
    }

    public synchronized SuperBlock durableSuper() {
        return durable;
    }

    /**
     * The commit sequence of the last durable super. A lock grant carries it: whoever is granted a
     * lock reads from roots at least this new, which include the commits of the lock's previous holder.
     */
    public long durableCommitSeq() {
        return durableCommitSeq;
    }

    // ---------------------------------------------------------------- clients and recovery

    @Override
    public Welcome greet(Greeting g) {
        MountedClientRecord client = g.client();
        long rid = client.rid();
        long gen;
        synchronized (this) {
            checkFailed();
            checkNotDeposed();
            boolean known = mountedClients.containsKey(rid);
            if (g.returning()) {
                if (!known) {
                    throw new FencedException("mount " + Long.toHexString(rid)
                            + " was declared gone and its log tree reclaimed; it cannot come back");
                }
                awaiting.remove(rid);
                TreeSet<Long> open = new TreeSet<>(g.openSeqs());
                openTrans.put(rid, open);
                long highest = Math.max(g.highestSeq(), open.isEmpty() ? 0 : open.last());
                seqCounter.accumulateAndGet(highest + 1, Math::max);
                roots = null;
            } else {
                if (known) {
                    throw new IllegalStateException("mount id " + Long.toHexString(rid) + " is already mounted");
                }
                checkServing();
                putClient(rid, client);
                if (currentRecord(rid) == null) {
                    long nr = logTrees.subMap(LogTreesRecord.key(rid, 0), true, LogTreesRecord.key(rid, -1L), true)
                            .values().stream().mapToLong(LogTreesRecord::nr).max().orElse(0) + 1;
                    List<Extent> meta = allocMetaForNodes(options.metaGrantBlocks(), false);
                    List<Extent> data = dataFree.alloc(options.dataGrantBlocks());
                    long first = seqCounter.get();
                    LogTreesRecord r = new LogTreesRecord(rid, nr, BtreeRoot.EMPTY, BlockRef.NONE, first, 0, 0, 0, 0,
                            meta, data);
                    putRecord(r, r.key());
                }
            }
            gen = changeGen;
        }
        awaitDurable(gen);
        synchronized (this) {
            return new Welcome(leadership.term(), currentRecord(rid), rootsLocked());
        }
    }

    /** Mounted clients of the last server that have not come back yet. */
    public synchronized List<Long> awaitingRecovery() {
        return List.copyOf(awaiting);
    }

    /** Every mount this server counts as mounted, with where it runs. */
    public synchronized List<MountedClientRecord> mountedClients() {
        return List.copyOf(mountedClients.values());
    }

    /** True while mounts of the last server are still awaited; only greetings and reads are served then. */
    public synchronized boolean recovering() {
        return !awaiting.isEmpty();
    }

    /**
     * Declares mount {@code rid} gone: its open log tree is finalized (its committed items are kept
     * and merged), its unused grants and any merge it was running go back to free space, and it is
     * no longer a mounted client, so it can never come back. Durable on return.
     *
     * <p>Requires: the mount can no longer write (it was fenced). Nothing here can check that.
     */
    public void reclaim(long rid) {
        long gen;
        synchronized (this) {
            checkFailed();
            checkNotDeposed();
            awaiting.remove(rid);
            for (LogTreesRecord r : List.copyOf(logTrees.values())) {
                if (r.rid() == rid && !r.finalized()) {
                    retire(r);
                }
            }
            if (mountedClients.containsKey(rid)) {
                putClient(rid, null);
            }
            openTrans.remove(rid);
            if (activeMerge != null && activeMergeOwner == rid) {
                dropActiveMerge();
            }
            roots = null;
            gen = ++changeGen;
        }
        awaitDurable(gen);
    }

    // ---------------------------------------------------------------- requests

    @Override
    public synchronized TransOpen openTransaction(long rid, long committingSeq) {
        checkServing();
        if (currentRecord(rid) == null) {
            throw new IllegalStateException("mount " + Long.toHexString(rid) + " opened a transaction without a log tree");
        }
        long seq = takeSeq();
        TreeSet<Long> open = openTrans.computeIfAbsent(rid, k -> new TreeSet<>());
        boolean committing = committingSeq != 0 && open.contains(committingSeq);
        open.clear();
        if (committing) {
            open.add(committingSeq);
        }
        open.add(seq);
        roots = null;
        changeGen++;
        return new TransOpen(seq);
    }

    @Override
    public synchronized void closeTransaction(long rid, long transSeq) {
        checkFailed();
        checkNotDeposed();
        TreeSet<Long> open = openTrans.get(rid);
        if (open != null && open.remove(transSeq)) {
            roots = null;
        }
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
            checkServing();
            Key key = LogTreesRecord.key(c.rid(), c.nr());
            LogTreesRecord r = logTrees.get(key);
            if (alreadyCommitted(r, c)) {
                gen = changeGen;
            } else {
                if (r == null || r.finalized()) {
                    throw new IllegalStateException("mount " + Long.toHexString(c.rid()) + " committed to log tree "
                            + c.nr() + " which is " + (r == null ? "unknown" : "finalized"));
                }
                checkNotFree(c.freedMeta(), metaFree, "metadata");
                checkNotFree(c.freedData(), dataFree, "data");
                c.freedMeta().forEach(metaFree::freeAfterCommit);
                c.freedData().forEach(dataFree::freeAfterCommit);
                next.inodeCount(next.inodeCount() + c.inodeCountDelta());
                LogTreesRecord updated = new LogTreesRecord(r.rid(), r.nr(), c.itemRoot(), c.bloom(), r.firstSeq(),
                        Math.max(r.maxItemSeq(), c.maxItemSeq()), c.transSeq(), c.itemBlocks(), r.flags(),
                        c.metaAvail(), c.dataAvail(), r.grantSeq(), r.grantMeta(), r.grantData());
                if (c.finalizeTree() || c.itemBlocks() >= options.finalizeBlocks()) {
                    rotate(updated, c.transSeq());
                } else {
                    putRecord(updated, key);
                }
                gen = changeGen;
            }
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

    /**
     * True if {@code c} is a commit sent again whose first sending took effect: its tree already
     * records the commit, or was finalized after it (and perhaps merged) and replaced by a newer one.
     * A node commits one transaction at a time, so a tree's last commit is the one being repeated.
     */
    private boolean alreadyCommitted(LogTreesRecord r, LogTreeCommit c) {
        if (r != null) {
            return r.commitSeq() == c.transSeq() && r.itemRoot().equals(c.itemRoot());
        }
        LogTreesRecord current = currentRecord(c.rid());
        return current != null && Long.compareUnsigned(current.nr(), c.nr()) > 0 && mountedClients.containsKey(c.rid());
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
                0, r.metaAvail(), r.dataAvail(), r.grantSeq(), r.grantMeta(), r.grantData());
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
    public Grant grant(long rid, long grantSeq, long metaBlocks, long dataBlocks, boolean forDeletion) {
        Grant given;
        long gen;
        synchronized (this) {
            checkServing();
            LogTreesRecord r = currentRecord(rid);
            if (r == null) {
                throw new IllegalStateException("mount " + Long.toHexString(rid) + " asked for space without a log tree");
            }
            if (grantSeq == r.grantSeq()) {
                given = new Grant(r.grantMeta(), r.grantData()); // asked again: the same answer
            } else if (grantSeq != r.grantSeq() + 1) {
                throw new IllegalStateException("mount " + Long.toHexString(rid) + " sent space request " + grantSeq
                        + " after " + r.grantSeq());
            } else {
                given = grantWithin(r, grantSeq, metaBlocks, dataBlocks, forDeletion);
            }
            gen = changeGen;
        }
        awaitDurable(gen);
        return given;
    }

    /**
     * Allocates a grant and records it in the node's log tree record. What the record cannot hold
     * is not granted: a grant the record does not show would be free again after a failover while
     * the node still writes into it. Extents are dropped smallest first until the record fits.
     */
    private Grant grantWithin(LogTreesRecord r, long grantSeq, long metaBlocks, long dataBlocks, boolean forDeletion) {
        List<Extent> meta = new ArrayList<>(metaBlocks > 0 ? allocMetaForNodes(metaBlocks, forDeletion) : List.of());
        List<Extent> data = new ArrayList<>(dataBlocks > 0 ? dataFree.alloc(dataBlocks) : List.of());
        ExtentSet m = fitted(r.metaAvail(), meta, metaFree);
        ExtentSet d = fitted(r.dataAvail(), data, dataFree);
        putRecord(r.withGrant(grantSeq, meta, data, m.toList(), d.toList()), r.key());
        return new Grant(meta, data);
    }

    private static ExtentSet fitted(List<Extent> held, List<Extent> granted, FreeSpace space) {
        granted.sort((a, b) -> Long.compare(b.len(), a.len()));
        while (true) {
            ExtentSet all = new ExtentSet(held);
            granted.forEach(all::add);
            if (all.extentCount() <= LogTreesRecord.MAX_AVAIL_EXTENTS && granted.size() <= LogTreesRecord.MAX_AVAIL_EXTENTS) {
                return all;
            }
            space.giveBack(granted.removeLast());
        }
    }

    @Override
    public synchronized Roots getRoots() {
        checkFailed();
        checkNotDeposed();
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
        for (long rid : awaiting) {
            // a mount not back yet may hold any transaction opened after its last commit
            LogTreesRecord r = currentRecord(rid);
            if (r != null) {
                min = Math.min(min, Math.max(r.commitSeq(), r.firstSeq() - 1) + 1);
            }
        }
        return (min == Long.MAX_VALUE ? seqCounter.get() : min) - 1;
    }

    @Override
    public InodeRange allocInodes(long rid, long count) {
        long first;
        long gen;
        synchronized (this) {
            checkServing();
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
        checkNotDeposed();
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
            checkServing();
            for (LogTreesRecord r : List.copyOf(logTrees.values())) {
                if (r.rid() == rid && !r.finalized()) {
                    retire(r);
                }
            }
            if (mountedClients.containsKey(rid)) {
                putClient(rid, null);
            }
            openTrans.remove(rid);
            if (activeMerge != null && activeMergeOwner == rid) {
                dropActiveMerge();
            }
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
    public MergeJob startMerge(long rid) {
        MergeJob job;
        long gen;
        synchronized (this) {
            checkServing();
            if (activeMerge != null) {
                return activeMergeOwner == rid ? activeMergeJob : null;
            }
            job = newMerge(rid);
            if (job == null) {
                return null;
            }
            gen = changeGen;
        }
        awaitDurable(gen);
        return job;
    }

    private MergeJob newMerge(long rid) {
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
        activeMergeOwner = rid;
        activeMergeJob = new MergeJob(seq, next.fsRoot(), next.fsMaxSeq(), inputs, liveMin, avail);
        changedItems.put(activeMerge.key(), activeMerge.encode());
        changeGen++;
        return activeMergeJob;
    }

    /** More space for the running merge. */
    @Override
    public List<Extent> growMerge(long mergeSeq, long blocks) {
        List<Extent> more;
        long gen;
        synchronized (this) {
            checkServing();
            if (activeMerge == null || activeMerge.seq() != mergeSeq) {
                throw new IllegalStateException("merge " + mergeSeq + " is not running");
            }
            more = metaFree.alloc(Math.min(blocks, Math.max(0, metaBeyondReserves(false))));
            ExtentSet all = new ExtentSet(activeMerge.avail());
            more.forEach(all::add);
            activeMerge = new LogMergeRecord(mergeSeq, all.toList());
            changedItems.put(activeMerge.key(), activeMerge.encode());
            gen = ++changeGen;
        }
        awaitDurable(gen);
        return more;
    }

    /** Swaps in a merged fs root, drops the merged log trees and frees what they used. */
    @Override
    public void completeMerge(MergeJob.Result result) {
        long gen;
        synchronized (this) {
            checkServing();
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
            activeMergeJob = null;
            gen = ++changeGen;
        }
        awaitDurable(gen);
    }

    /** Gives back a merge's space when it could not finish; its input trees stay for a later merge. */
    @Override
    public void abandonMerge(long mergeSeq) {
        long gen;
        synchronized (this) {
            checkServing();
            if (activeMerge == null || activeMerge.seq() != mergeSeq) {
                return;
            }
            dropActiveMerge();
            gen = ++changeGen;
        }
        awaitDurable(gen);
    }

    private void dropActiveMerge() {
        activeMerge.avail().forEach(metaFree::freeAfterCommit);
        changedItems.put(activeMerge.key(), null);
        activeMerge = null;
        activeMergeJob = null;
        changeGen++;
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
        checkNotDeposed();
        if (durableGen < gen) {
            commitNow();
        }
    }

    private void commitNow() {
        long gen = changeGen;
        try {
            leadership.checkStillLeader();
        } catch (NotServingException e) {
            notServing = e.getMessage();
            throw e;
        }
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
                    .serverTerm(leadership.term()).freeMetaBlocks(metaFree.total())
                    .freeDataBlocks(dataFree.total()).build();
            metaDevice.write(SuperBlock.copyOffset(sb.seq()), sb.encode());
            metaDevice.force();
            durable = sb;
            durableCommitSeq = sb.seq();
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

    /**
     * Stops serving: every later request is refused with {@link NotServingException}. For a
     * leader stepping down; what is durable stays, nothing more is written.
     */
    public synchronized void stopServing(String why) {
        if (notServing == null) {
            notServing = why;
        }
    }

    /** True once a commit failed; the server then refuses everything. */
    public synchronized boolean failed() {
        return failure != null;
    }

    /** True once the server stopped serving: it was deposed or asked to stop. */
    public synchronized boolean stopped() {
        return notServing != null;
    }

    private void checkFailed() {
        if (failure != null) {
            throw new VolumeFailedException("an earlier server commit failed; the volume must be reopened", failure);
        }
    }

    private void checkNotDeposed() {
        if (notServing != null) {
            throw new NotServingException("the server of term " + leadership.term() + " no longer serves: " + notServing);
        }
    }

    /** Requests that change state wait until every mount of the last server is back or declared gone. */
    private void checkServing() {
        checkFailed();
        checkNotDeposed();
        if (!awaiting.isEmpty()) {
            throw new NotServingException("the server of term " + leadership.term() + " is recovering: waiting for "
                    + awaiting.size() + " mount(s) of the last server to come back", true);
        }
    }
}
