package org.scoutfs.lsm.txn;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Supplier;

import org.scoutfs.lsm.StaleBlockException;
import org.scoutfs.lsm.VolumeFailedException;
import org.scoutfs.lsm.alloc.NodeAllocator;
import org.scoutfs.lsm.block.MetaBlocks;
import org.scoutfs.lsm.btree.BtreeWriter;
import org.scoutfs.lsm.btree.Item;
import org.scoutfs.lsm.forest.ForestReader;
import org.scoutfs.lsm.forest.MergingIterator;
import org.scoutfs.lsm.forest.Roots;
import org.scoutfs.lsm.format.BlockHeaders;
import org.scoutfs.lsm.format.BlockRef;
import org.scoutfs.lsm.format.BloomBlocks;
import org.scoutfs.lsm.format.BtreeBlocks;
import org.scoutfs.lsm.format.Format;
import org.scoutfs.lsm.format.Key;
import org.scoutfs.lsm.format.LogTreesRecord;
import org.scoutfs.lsm.format.Zones;
import org.scoutfs.lsm.server.ServerApi;

/**
 * A node's side of the item store: its open transaction in memory, its log tree, and reads across
 * the whole forest.
 *
 * <p><b>Transactions.</b> Changes go into the open transaction's memtable under a {@link Txn}
 * hold. A transaction is opened (a sequence asked of the server) by the first hold that needs one,
 * not before: a node with nothing to change has no transaction open and does not hold back the
 * volume's last stable sequence, so what other nodes commit becomes visible to index walks at
 * once. A commit freezes the memtable (waiting for holds to end), so the next hold opens the next
 * transaction and writers continue at once, writes the frozen items copy-on-write into the node's
 * log tree in the space the server granted, forces them, and asks the server to record the new
 * root. Only when the server's commit is durable does the frozen memtable give way to the new root
 * in the read view, so readers always see every change exactly once.
 *
 * <p><b>Reads.</b> A read looks at the open and frozen memtables, then the committed forest as of
 * the view's roots, and takes the version with the highest sequence. A read that meets a reused
 * block fetches newer roots and retries; meeting the same failure with unchanged roots means the
 * device is corrupt.
 *
 * <p><b>Other nodes.</b> A node reads what others committed through the roots it holds. When it
 * is granted a cluster lock, the grant says how new its roots must be to include the previous
 * holder's commits ({@link #ensureRoots}). After the server changed (a failover), the node reports
 * its open transactions to the new one ({@link #recoveryState}) and takes the welcome's roots.
 *
 * <p>Thread-safe. Commits are serialized; holds and reads run concurrently with everything.
 */
public final class NodeStore implements AutoCloseable {
    /**
     * @param commitBytes   memtable size that starts a commit at the next hold
     * @param maxDirtyBytes memtable size at which new holds wait for a commit
     */
    public record Options(long commitBytes, long maxDirtyBytes) {
        public static Options defaults() {
            return new Options(32L << 20, 64L << 20);
        }
    }

    /** What reads see: the open transaction (null until a hold opens one), the committing one, and the roots. */
    private record View(Memtable active, Memtable frozen, Roots roots) {
    }

    private final long rid;
    private final ServerApi server;
    private final MetaBlocks blocks;
    private final ForestReader forest;
    private final Options options;
    private final NodeAllocator allocator;
    private final AtomicReference<View> view = new AtomicReference<>();
    private final ReentrantReadWriteLock gate = new ReentrantReadWriteLock();
    private final ReentrantLock commitLock = new ReentrantLock();
    /** A commit of a full memtable has been started on a thread of its own and has not finished. */
    private final AtomicBoolean backgroundCommitPending = new AtomicBoolean();
    /** Serializes opening transactions, so concurrent first holds share one. */
    private final Object opening = new Object();
    /** Numbers this node's requests for more space; a request sent again keeps its number. */
    private final java.util.concurrent.atomic.AtomicLong grantSeq;
    private LogTreesRecord tree;
    private byte[] bloom;
    private volatile Runnable beforeCommit = () -> { };
    private long committedSeq;
    private volatile Throwable failure;

    /**
     * A node's store on a volume whose server greeted it with {@code welcome} (see
     * {@link ServerApi#greet}): the log tree it writes and the roots it starts reading from.
     */
    public NodeStore(long rid, ServerApi server, MetaBlocks blocks, Options options, long metaGrantBlocks,
                     long dataGrantBlocks, ServerApi.Welcome welcome) {
        this.rid = rid;
        this.server = server;
        this.blocks = blocks;
        this.forest = new ForestReader(blocks);
        this.options = options;
        this.tree = welcome.tree();
        this.grantSeq = new java.util.concurrent.atomic.AtomicLong(tree.grantSeq());
        this.bloom = tree.bloom().isNone() ? null : blocks.read(tree.bloom(), Format.MAGIC_BLOOM).clone();
        this.allocator = new NodeAllocator(tree.metaAvail(), tree.dataAvail(),
                (m, d, forDeletion) -> {
                    // NodeAllocator asks one request at a time; a failover repeats this very call
                    ServerApi.Grant g = server.grant(rid, grantSeq.incrementAndGet(), m, d, forDeletion);
                    return new NodeAllocator.Grant(g.meta(), g.data());
                }, metaGrantBlocks, dataGrantBlocks);
        view.set(new View(null, null, welcome.roots()));
    }

    /**
     * Greets {@code server} as a new mount {@code client} and opens its store: for a process that
     * talks to its server directly (tools, tests, the embedded volume).
     */
    public static NodeStore join(org.scoutfs.lsm.format.MountedClientRecord client, ServerApi server,
                                 MetaBlocks blocks, Options options, long metaGrantBlocks, long dataGrantBlocks) {
        ServerApi.Welcome w = server.greet(new ServerApi.Greeting(client, false, List.of(), 0));
        return new NodeStore(client.rid(), server, blocks, options, metaGrantBlocks, dataGrantBlocks, w);
    }

    public long rid() {
        return rid;
    }

    NodeAllocator allocator() {
        return allocator;
    }

    /** The current log tree record (after the last commit). */
    public synchronized LogTreesRecord logTree() {
        return tree;
    }

    /**
     * Volume-wide space as this node sees it now. The server counts everything it granted this
     * node as free; the node knows how much of that it has used since, so it swaps the server's
     * figure for what its allocator holds right now (blocks it freed become free at the commit).
     */
    public ServerApi.Usage usage() {
        ServerApi.Usage u = server.usage(rid);
        long heldMeta = allocator.metaAvailable();
        long heldData = allocator.dataAvailable();
        long meta = u.freeMetaBlocks() - u.callerMetaGrants() + heldMeta;
        long data = u.freeDataBlocks() - u.callerDataGrants() + heldData;
        // the caller's grants, as the server reports them, are what this node holds unused now
        return new ServerApi.Usage(u.totalMetaBlocks(), Math.clamp(meta, 0, u.totalMetaBlocks()),
                u.totalDataBlocks(), Math.clamp(data, 0, u.totalDataBlocks()), u.inodeCount(), u.stableSeq(),
                heldMeta, heldData);
    }

    // ---------------------------------------------------------------- holds

    /**
     * Holds the open transaction for a change. May first wait for a commit if too much is dirty,
     * and may throw {@link org.scoutfs.lsm.NoSpaceException} if the volume cannot hold the
     * metadata already dirty plus this change; nothing has changed then.
     */
    public Txn hold() {
        return hold(false);
    }

    /**
     * Holds the open transaction for a change that frees space (removing files, truncating): it
     * may use the metadata the volume keeps in reserve, so that a full volume can still shrink.
     */
    public Txn holdForDeletion() {
        return hold(true);
    }

    private Txn hold(boolean forDeletion) {
        checkFailed();
        if (gate.getReadHoldCount() == 0) {
            View v = view.get();
            long dirty = v.active() == null ? 0 : v.active().bytes();
            if (dirty >= options.maxDirtyBytes()) {
                // writers outran the device: wait for a commit rather than grow memory further
                commit();
            } else if (dirty >= options.commitBytes() && v.frozen() == null) {
                commitInBackground();
            }
        }
        gate.readLock().lock();
        try {
            Memtable active = openIfNeeded();
            allocator.reserveMeta(metaBlocksToCommit(), forDeletion);
            return new Txn(this, active);
        } catch (RuntimeException e) {
            gate.readLock().unlock();
            throw e;
        }
    }

    /**
     * The open transaction, opening one if there is none. Requires a hold of the gate, so a commit
     * cannot freeze the transaction between its opening and its use.
     */
    private Memtable openIfNeeded() {
        Memtable active = view.get().active();
        if (active != null) {
            return active;
        }
        synchronized (opening) {
            View v = view.get();
            if (v.active() != null) {
                return v.active();
            }
            long committing = v.frozen() == null ? 0 : v.frozen().seq;
            Memtable fresh = new Memtable(server.openTransaction(rid, committing).transSeq());
            view.updateAndGet(now -> new View(fresh, now.frozen(), now.roots()));
            return fresh;
        }
    }

    void release() {
        gate.readLock().unlock();
    }

    /** An upper bound of the metadata blocks committing the dirty memtables takes. */
    private long metaBlocksToCommit() {
        View v = view.get();
        long need = v.active() == null ? 0 : estimate(v.active());
        if (v.frozen() != null) {
            need += estimate(v.frozen());
        }
        return need + 8;
    }

    private long estimate(Memtable m) {
        long height;
        long treeBlocks;
        synchronized (this) {
            height = tree.itemRoot().height() + 1;
            treeBlocks = tree.itemBlocks();
        }
        long touched = Math.min(m.count() * height, treeBlocks + height);
        return touched + 2 * (m.bytes() / (BtreeBlocks.CAPACITY / 2) + 1) + height + 2;
    }

    // ---------------------------------------------------------------- reads

    /** The value of {@code key}, or null if absent or deleted. */
    public byte[] get(Key key) {
        Item item = getItem(key);
        return item == null || item.deletion() ? null : item.value();
    }

    /** The newest version of {@code key} including deletion markers, or null. */
    public Item getItem(Key key) {
        return withRetry(() -> {
            View v = view.get();
            Item best = v.active() == null ? null : v.active().get(key);
            if (v.frozen() != null) {
                best = Item.newer(v.frozen().get(key), best);
            }
            return forest.get(v.roots(), key, best);
        });
    }

    /**
     * Live items with keys in [from, to] as of the server's latest commit, ignoring this node's
     * uncommitted changes, at most {@code limit} of them; with the roots they were read from (whose
     * {@link Roots#stableSeq()} says how far they are complete).
     */
    public Committed scanCommitted(Key from, Key to, int limit) {
        return withRetry(() -> {
            Roots roots = refreshRoots();
            MergingIterator it = new MergingIterator(forest.sources(roots, from, to));
            List<Item> out = new ArrayList<>();
            for (Item item = it.next(); item != null && out.size() < limit; item = it.next()) {
                if (!item.deletion()) {
                    out.add(item);
                }
            }
            return new Committed(roots, out);
        });
    }

    /** Items read from committed roots. */
    public record Committed(Roots roots, List<Item> items) {
    }

    /**
     * Runs before every commit writes its blocks: what must be durable before metadata may point
     * at it (file data on a separate data device) is forced here.
     */
    public void beforeCommit(Runnable hook) {
        this.beforeCommit = hook;
    }

    /** Live items with keys in [from, to], in key order, at most {@code limit} of them. */
    public List<Item> scan(Key from, Key to, int limit) {
        return withRetry(() -> scanOnce(from, to, limit));
    }

    private List<Item> scanOnce(Key from, Key to, int limit) {
        View v = view.get();
        List<MergingIterator.Source> sources = new ArrayList<>();
        if (v.active() != null) {
            sources.add(v.active().source(from, to));
        }
        if (v.frozen() != null) {
            sources.add(v.frozen().source(from, to));
        }
        sources.addAll(forest.sources(v.roots(), from, to));
        MergingIterator it = new MergingIterator(sources);
        List<Item> out = new ArrayList<>();
        for (Item item = it.next(); item != null && out.size() < limit; item = it.next()) {
            if (!item.deletion()) {
                out.add(item);
            }
        }
        return out;
    }

    /**
     * Runs a read; a stale block means others committed past our roots, so get newer roots and run
     * it again. If the roots did not change, the block is corrupt.
     */
    private <T> T withRetry(Supplier<T> read) {
        StaleBlockException last = null;
        while (true) {
            long tried = view.get().roots().commitSeq();
            try {
                return read.get();
            } catch (StaleBlockException e) {
                Roots fresh = refreshRoots();
                if (fresh.commitSeq() == tried) {
                    if (last != null && last.ref().equals(e.ref())) {
                        throw e.asCorruption("metadata");
                    }
                    last = e;
                }
            }
        }
    }

    /** Asks the server for its latest roots and reads from them from now on. */
    public Roots refreshRoots() {
        Roots fresh = server.getRoots();
        installRoots(fresh);
        return view.get().roots();
    }

    /** Takes newer roots that the server published (after a merge, say); older ones are ignored. */
    public void offerRoots(Roots fresh) {
        installRoots(fresh);
    }

    /**
     * Makes sure reads use roots of at least server commit {@code commitSeq}, asking the server
     * for its latest if not. A cluster lock grant names the commit that made its previous holder's
     * changes durable; reading from older roots under the lock would miss them.
     */
    public void ensureRoots(long commitSeq) {
        if (Long.compareUnsigned(view.get().roots().commitSeq(), commitSeq) < 0) {
            refreshRoots();
        }
    }

    /** What a new server must know of this node's transactions after a failover. */
    public record RecoveryState(List<Long> openSeqs, long highestSeq) {
    }

    /** The transactions this node has open (the one taking changes and the one committing). */
    public RecoveryState recoveryState() {
        View v = view.get();
        List<Long> open = new ArrayList<>(2);
        if (v.frozen() != null) {
            open.add(v.frozen().seq);
        }
        if (v.active() != null) {
            open.add(v.active().seq);
        }
        long highest = open.stream().mapToLong(Long::longValue).max().orElse(0);
        synchronized (this) {
            highest = Math.max(highest, tree.maxItemSeq());
        }
        return new RecoveryState(open, highest);
    }

    /** A server (a new one, after a failover) welcomed this node back: read from its roots on. */
    public void welcomed(ServerApi.Welcome w) {
        synchronized (this) {
            if (Long.compareUnsigned(w.tree().nr(), tree.nr()) >= 0) {
                tree = w.tree();
            }
        }
        installRoots(w.roots());
    }

    private void installRoots(Roots fresh) {
        view.updateAndGet(v -> Long.compareUnsigned(fresh.commitSeq(), v.roots().commitSeq()) > 0
                || (fresh.commitSeq() == v.roots().commitSeq() && fresh.stableSeq() > v.roots().stableSeq())
                ? new View(v.active(), v.frozen(), fresh) : v);
    }

    /** The roots reads currently use. */
    public Roots roots() {
        return view.get().roots();
    }

    // ---------------------------------------------------------------- commits

    /** Commits everything changed before this call; returns once it is durable. */
    public void sync() {
        View v = view.get();
        if (v.active() == null && v.frozen() == null) {
            return;
        }
        long target = v.active() != null ? v.active().seq : v.frozen().seq;
        commitLock.lock();
        try {
            if (Long.compareUnsigned(committedSeq, target) >= 0) {
                return;
            }
            commitLocked(false);
        } finally {
            commitLock.unlock();
        }
    }

    /** Starts a commit on a background thread, unless one is already on its way. */
    private void commitInBackground() {
        if (backgroundCommitPending.compareAndSet(false, true)) {
            Thread.ofVirtual().name("scoutfs-commit").start(() -> {
                try {
                    commit();
                } catch (RuntimeException e) {
                    System.getLogger(NodeStore.class.getName()).log(System.Logger.Level.ERROR, "background commit failed", e);
                } finally {
                    backgroundCommitPending.set(false);
                }
            });
        }
    }

    /**
     * For a change that found no space: blocks freed by this node become reusable only when the
     * transaction that freed them is durable, so if the open (or committing) transaction freed
     * any, this commits and returns true, and the change may try again.
     */
    public boolean commitToReuseFreed() {
        if (gate.getReadHoldCount() > 0) {
            return false; // inside a hold the commit would wait for ourselves
        }
        View v = view.get();
        boolean freedInOpen = v.active() != null
                && (v.active().ledger.freedDataBlocks() > 0 || v.active().ledger.freedMetaBlocks() > 0);
        if (v.frozen() == null && !freedInOpen) {
            return false;
        }
        commit();
        return true;
    }

    /** Commits the open transaction if it changed anything. */
    public void commit() {
        commitLock.lock();
        try {
            commitLocked(false);
        } finally {
            commitLock.unlock();
        }
    }

    /**
     * Commits and asks the server to finalize the log tree, so a merge can fold it into the fs
     * root. Used before merging on demand and when leaving.
     */
    public void commitAndFinalize() {
        commitLock.lock();
        try {
            commitLocked(true);
        } finally {
            commitLock.unlock();
        }
    }

    private void commitLocked(boolean finalizeTree) {
        checkFailed();
        Memtable frozen;
        gate.writeLock().lock();
        try {
            View v = view.get();
            frozen = v.active();
            boolean finalizing = finalizeTree && !treeIsEmpty();
            if (frozen == null && finalizing) {
                // finalizing needs a commit even with nothing changed, and a commit needs a transaction
                frozen = new Memtable(server.openTransaction(rid, 0).transSeq());
            } else if (frozen == null) {
                return;
            } else if (frozen.isEmpty() && !finalizing) {
                if (frozen.unused()) {
                    // a hold that changed nothing opened it: give it up rather than keep it open
                    view.set(new View(null, v.frozen(), v.roots()));
                    server.closeTransaction(rid, frozen.seq);
                }
                return;
            }
            view.set(new View(null, frozen, v.roots()));
        } finally {
            gate.writeLock().unlock();
        }
        try {
            writeAndCommit(frozen, finalizeTree);
        } catch (RuntimeException | Error e) {
            failure = e;
            throw new VolumeFailedException("commit of transaction " + frozen.seq
                    + " failed; nothing after the last commit is durable and the volume must be reopened: "
                    + e.getMessage(), e);
        }
    }

    private synchronized boolean treeIsEmpty() {
        return tree.itemRoot().isEmpty();
    }

    private void writeAndCommit(Memtable frozen, boolean finalizeTree) {
        beforeCommit.run();
        LogTreesRecord current;
        synchronized (this) {
            current = tree;
        }
        // holds reserved this much already; a shortfall now would fail the commit, so use the reserve
        allocator.reserveMeta(estimate(frozen) + 2, true);
        BtreeWriter.Allocator metaAlloc = allocator.metaAllocator(frozen.ledger);
        BtreeWriter writer = new BtreeWriter(blocks, current.itemRoot(), frozen.seq, metaAlloc);
        byte[] newBloom = bloom == null ? BloomBlocks.empty() : bloom.clone();
        boolean bloomChanged = bloom == null;
        Set<Long> groups = new HashSet<>();
        int[] bits = new int[Format.BLOOM_HASHES];
        long lastGroup = 0;
        boolean first = true;
        for (Item item : frozen.all()) {
            writer.put(item);
            long group = Zones.group(item.key());
            // items come in key order, so a group's items are mostly adjacent
            if ((first || group != lastGroup) && groups.add(group)) {
                BloomBlocks.bits(group, bits);
                for (int b : bits) {
                    bloomChanged |= BloomBlocks.set(newBloom, b);
                }
            }
            lastGroup = group;
            first = false;
        }
        BtreeWriter.Result result = writer.finish();
        List<MetaBlocks.Written> out = new ArrayList<>(result.blocks());
        BlockRef bloomRef = current.bloom();
        if (bloomChanged) {
            long blkno = metaAlloc.allocMeta();
            if (!bloomRef.isNone()) {
                metaAlloc.freeMeta(bloomRef.blkno());
            }
            BlockHeaders.seal(newBloom, Format.MAGIC_BLOOM, blocks.fsid(), blkno, frozen.seq);
            out.add(new MetaBlocks.Written(blkno, newBloom));
            bloomRef = new BlockRef(blkno, frozen.seq);
        }
        blocks.write(out);
        blocks.force();

        Memtable later = view.get().active();
        NodeAllocator.Report report = allocator.report(frozen.ledger, later == null ? List.of() : List.of(later.ledger));
        long itemBlocks = current.itemBlocks() + result.blockCountDelta();
        ServerApi.CommitReply reply = server.commitLogTree(new ServerApi.LogTreeCommit(rid, current.nr(), frozen.seq,
                result.root(), bloomRef, frozen.maxItemSeq(), itemBlocks,
                report.metaAvail(), report.dataAvail(), report.freedMeta(), report.freedData(),
                frozen.inodeCountDelta(), finalizeTree));
        synchronized (this) {
            tree = reply.tree();
            bloom = tree.nr() == current.nr() ? newBloom : null;
            committedSeq = frozen.seq;
        }
        view.updateAndGet(v -> new View(v.active(), null, newer(v.roots(), reply.roots())));
    }

    private static Roots newer(Roots a, Roots b) {
        return Long.compareUnsigned(b.commitSeq(), a.commitSeq()) >= 0 ? b : a;
    }

    private void checkFailed() {
        if (failure != null) {
            throw new VolumeFailedException("an earlier commit failed; the volume must be reopened", failure);
        }
    }

    public boolean failed() {
        return failure != null;
    }

    /** Commits what is left and tells the server this node is leaving. */
    @Override
    public void close() {
        if (failure != null) {
            return;
        }
        commit();
        server.farewell(rid);
    }
}
