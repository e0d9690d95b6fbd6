package org.scoutfs.node.fs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.scoutfs.lsm.btree.Item;
import org.scoutfs.lsm.format.Key;
import org.scoutfs.lsm.format.Zones;
import org.scoutfs.lsm.txn.Txn;

/**
 * Deletes inodes that have no links left once nothing uses them. An inode whose last link goes
 * away gets an orphan item in the same transaction; the orphan item goes away with the inode. A
 * node that crashes leaves orphan items behind, and the next mount deletes those inodes.
 *
 * <p>Deletion runs on its own thread because it is triggered from places that must not block
 * (the kernel forgetting an inode). A file with many extents is freed over several transactions.
 * Requests are gathered for a moment and deleted in a batch: waking the deleting thread once per
 * {@code rm} of a small file costs more, on a small machine, than deleting the file.
 */
final class Reaper implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(Reaper.class.getName());
    /**
     * Extents a deleted file gives up per transaction hold. A commit waits for every hold to end,
     * and operations that want a hold wait for a commit that is waiting, so one slice must stay
     * short: 512 extents, found by one scan, take about half a millisecond here.
     */
    static final int EXTENTS_PER_SLICE = 512;
    /**
     * Freed extents after which the reaper commits before its next slice. The server checks and
     * records every freed extent in its own commit, under the monitor all its requests wait for,
     * and the node's next commit waits for that; bounding the extents per commit bounds the work.
     * It also makes a large file's space reusable while it is being deleted, not at the end.
     */
    static final int FREED_EXTENTS_PER_COMMIT = 4096;
    /** How long requests gather before the worker deletes them. */
    private static final long GATHER_MILLIS = 5;

    private final FsCore fs;
    private Lifetimes lifetimes;
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("scoutfs-reaper").factory());
    /** Inodes asked about and not yet looked at; guarded by itself. */
    private final ArrayDeque<Long> pending = new ArrayDeque<>();
    /** A worker task that will drain {@link #pending} is queued or running; guarded by pending. */
    private boolean drainQueued;
    private volatile Consumer<Slice> sliceObserver = s -> { };

    /**
     * One slice of a deletion: {@code extents} freed by a scan from {@code fromBlock}, the
     * block the next slice starts from, whether the inode is gone, and how many freed extents the
     * open transaction holds now.
     */
    record Slice(long ino, long fromBlock, int extents, long nextBlock, boolean done, int freedInTransaction) {
    }

    Reaper(FsCore fs) {
        this.fs = fs;
    }

    void lifetimes(Lifetimes l) {
        this.lifetimes = l;
    }

    /** Tells {@code observer} about every slice of every deletion (tests). */
    void observeSlices(Consumer<Slice> observer) {
        this.sliceObserver = observer;
    }

    /** Deletes {@code ino} soon if it has no links and nothing uses it. */
    void maybeDelete(long ino) {
        synchronized (pending) {
            pending.add(ino);
            if (drainQueued) {
                return;
            }
            drainQueued = true;
        }
        try {
            worker.execute(this::gatherAndDrain);
        } catch (RejectedExecutionException e) {
            // closing: the orphan item stays, and the final orphan pass or the next mount deletes it
            synchronized (pending) {
                drainQueued = false;
            }
        }
    }

    private void gatherAndDrain() {
        try {
            Thread.sleep(GATHER_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        boolean drained = false;
        try {
            drain(true);
            drained = true;
        } finally {
            if (!drained) {
                // drain failed outright (an Error): the next request schedules a fresh one
                synchronized (pending) {
                    drainQueued = false;
                }
            }
        }
    }

    /** Deletes what is pending until nothing is; the worker also gives up its queued mark. */
    private void drain(boolean onWorker) {
        while (true) {
            Long[] batch;
            synchronized (pending) {
                if (pending.isEmpty()) {
                    if (onWorker) {
                        drainQueued = false;
                    }
                    return;
                }
                batch = pending.toArray(Long[]::new);
                pending.clear();
            }
            Set<Long> openElsewhere = openElsewhere(List.of(batch));
            for (long ino : batch) {
                if (openElsewhere.contains(ino)) {
                    continue; // the orphan item stays; an orphan scan deletes it once nobody has it open
                }
                try {
                    reap(ino);
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "deleting unlinked inode " + ino + " failed; the next mount retries", e);
                }
            }
        }
    }

    /** Waits until the deletions asked for so far are done. */
    void awaitIdle() {
        drain(false);
        try {
            // deletions the worker had already taken may still be running
            worker.submit(() -> { }).get();
        } catch (ExecutionException | RejectedExecutionException e) {
            // nothing pending can finish on a closed worker
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Deletes {@code ino} now, in the caller's thread, if it has no links and nothing uses it. A
     * regular file goes in slices of at most {@link #EXTENTS_PER_SLICE} extents, each in a hold
     * of its own under the inode's lock taken afresh, so whatever waits for a commit or for the
     * lock waits for one slice at most. A commit has all of a slice or none of it, so a crash
     * leaves the file shorter but consistent, and the next mount's reaper finishes it.
     */
    void reap(long ino) {
        boolean done = false;
        // extents are freed from the front: those before this block went in earlier slices
        long nextBlock = 0;
        while (!done) {
            boolean commitFirst = false;
            try (InodeLocks.Held l = fs.locks.write(ino)) {
                Inode inode = fs.inodes.readOrNull(ino);
                long seq = l.writeSeq();
                if (inode == null) {
                    // already deleted: only a stray orphan item can be left
                    if (fs.store.get(Zones.orphanKey(ino)) != null) {
                        try (Txn t = fs.store.holdForDeletion()) {
                            t.delete(Zones.orphanKey(ino), seq);
                        }
                    }
                    return;
                }
                // in use again (a lookup raced the unlink): its last use ends in another try
                if (inode.nlink > 0 || lifetimes.markUnlinked(ino)) {
                    return;
                }
                long fromBlock = nextBlock;
                int extents = 0;
                int freedInTxn;
                try (Txn t = fs.store.holdForDeletion()) {
                    if (inode.isRegular()) {
                        FileData.FreedSlice slice = fs.data.freeSlice(t, inode, nextBlock, EXTENTS_PER_SLICE, seq);
                        fromBlock = slice.fromBlock();
                        extents = slice.extents();
                        nextBlock = slice.nextBlock();
                        done = slice.done();
                    } else {
                        done = true;
                    }
                    if (done) {
                        for (Xattrs.Stored x : fs.xattrs.all(inode)) {
                            fs.xattrs.remove(t, ino, x, seq);
                        }
                        if (inode.isSymlink()) {
                            deleteAll(t, Zones.symlinkKey(ino, 0), Zones.symlinkKey(ino, 255), seq);
                        }
                        fs.inodes.delete(t, inode, seq);
                        t.delete(Zones.orphanKey(ino), seq);
                        t.addInodeCount(-1);
                    } else {
                        fs.inodes.write(t, inode, true, seq);
                    }
                    freedInTxn = t.freedExtents();
                }
                commitFirst = !done && freedInTxn >= FREED_EXTENTS_PER_COMMIT;
                sliceObserver.accept(new Slice(ino, fromBlock, extents, nextBlock, done, freedInTxn));
            }
            if (commitFirst) {
                // outside the locks, so that nothing waiting for them waits for this commit too
                fs.store.commit();
            }
        }
    }

    private void deleteAll(Txn t, Key from, Key to, long seq) {
        for (Item item : fs.store.scan(from, to, Integer.MAX_VALUE)) {
            t.delete(item.key(), seq);
        }
    }

    /**
     * Deletes every orphaned inode that nothing on this node uses and no other node has open (at
     * mount, at clean unmount, and now and then, for the orphans other nodes leave).
     */
    void reapOrphans() {
        fs.store.refreshRoots();
        long from = 0;
        while (true) {
            List<Item> orphans = fs.store.scan(Zones.orphanKey(from), Zones.orphanKey(-1L), 256);
            List<Long> candidates = new ArrayList<>();
            for (Item item : orphans) {
                long ino = item.key().second();
                if (!lifetimes.inUse(ino)) {
                    candidates.add(ino);
                }
            }
            Set<Long> openElsewhere = openElsewhere(candidates);
            for (long ino : candidates) {
                if (!openElsewhere.contains(ino)) {
                    reap(ino);
                }
            }
            if (orphans.size() < 256) {
                return;
            }
            from = orphans.getLast().key().second() + 1;
        }
    }

    private Set<Long> openElsewhere(List<Long> inos) {
        try {
            return fs.elsewhere.openElsewhere(inos);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "could not ask other nodes which inodes they have open; keeping them", e);
            return new java.util.HashSet<>(inos);
        }
    }

    @Override
    public void close() {
        worker.shutdown();
        try {
            worker.awaitTermination(1, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
