package org.scoutfs.node.fs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;

import org.scoutfs.locking.LockMode;
import org.scoutfs.locking.LockRange;
import org.scoutfs.locking.LockRanges;

/**
 * What an operation locks before touching inodes: the cluster locks of their inode groups (so no
 * other node changes them) and, for changes, a local mutex per inode (so no other thread of this
 * node changes them in between the operation's read and write). Both are taken in a fixed order,
 * cluster locks first, and always before the transaction is held: a lock may have to wait for a
 * commit, and a commit waits for holders.
 */
final class InodeLocks {
    private static final int STRIPES = 1024;

    private final ClusterLocks cluster;
    private final ReentrantLock[] mutexes = new ReentrantLock[STRIPES];

    InodeLocks(ClusterLocks cluster) {
        this.cluster = cluster;
        for (int i = 0; i < STRIPES; i++) {
            mutexes[i] = new ReentrantLock();
        }
    }

    /** Locks held by one operation; closing releases them. */
    static final class Held implements AutoCloseable {
        private final ClusterLocks.Handle cluster;
        private final List<ReentrantLock> mutexes;

        private Held(ClusterLocks.Handle cluster, List<ReentrantLock> mutexes) {
            this.cluster = cluster;
            this.mutexes = mutexes;
        }

        long writeSeq() {
            return cluster.writeSeq();
        }

        @Override
        public void close() {
            for (int i = mutexes.size() - 1; i >= 0; i--) {
                mutexes.get(i).unlock();
            }
            cluster.close();
        }
    }

    /** READ locks for looking at inodes. */
    Held read(long... inos) {
        return new Held(cluster.lock(groups(inos, false), LockMode.READ), List.of());
    }

    /** WRITE locks and local mutexes for changing inodes. */
    Held write(long... inos) {
        return write(false, inos);
    }

    /** As {@link #write(long...)}, also taking the global rename lock (cross-directory renames). */
    Held writeWithRename(long... inos) {
        return write(true, inos);
    }

    private Held write(boolean rename, long... inos) {
        ClusterLocks.Handle c = cluster.lock(groups(inos, rename), LockMode.WRITE);
        int[] stripes = Arrays.stream(inos).filter(i -> i != 0).mapToInt(InodeLocks::stripe).distinct().sorted().toArray();
        List<ReentrantLock> taken = new ArrayList<>(stripes.length);
        try {
            for (int s : stripes) {
                ReentrantLock m = mutexes[s];
                m.lockInterruptibly();
                taken.add(m);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            for (int i = taken.size() - 1; i >= 0; i--) {
                taken.get(i).unlock();
            }
            c.close();
            throw new org.scoutfs.fuse.FuseException(org.scoutfs.fuse.Errno.EINTR, "interrupted waiting for an inode");
        }
        return new Held(c, taken);
    }

    private static int stripe(long ino) {
        long h = ino * 0x9E3779B97F4A7C15L;
        return (int) (h >>> 54) & (STRIPES - 1);
    }

    private static List<LockRange> groups(long[] inos, boolean rename) {
        TreeSet<LockRange> ranges = new TreeSet<>();
        for (long ino : inos) {
            if (ino != 0) {
                ranges.add(LockRanges.inodeGroup(ino));
            }
        }
        if (rename) {
            ranges.add(LockRanges.rename());
        }
        return new ArrayList<>(ranges);
    }
}
