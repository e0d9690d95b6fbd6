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
    private static final int EXTENTS_PER_TXN = 512;
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

    Reaper(FsCore fs) {
        this.fs = fs;
    }

    void lifetimes(Lifetimes l) {
        this.lifetimes = l;
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

    /** Deletes {@code ino} now, in the caller's thread, if it has no links and nothing uses it. */
    void reap(long ino) {
        boolean done = false;
        while (!done) {
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
                try (Txn t = fs.store.holdForDeletion()) {
                    done = !inode.isRegular() || fs.data.freeAll(t, inode, EXTENTS_PER_TXN, seq);
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
                }
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
