package org.scoutfs.node.fs;

import java.util.List;
import java.util.function.LongConsumer;

import org.scoutfs.fuse.Errno;
import org.scoutfs.fuse.FuseException;
import org.scoutfs.locking.LockMode;
import org.scoutfs.locking.LockRange;
import org.scoutfs.locking.client.HeldLocks;
import org.scoutfs.locking.client.LockClient;
import org.scoutfs.locking.client.LockHandle;

/**
 * {@link ClusterLocks} served by the node's {@link LockClient}. Before the caller reads under the
 * locks, the node's view of the committed trees is brought up to the server commit the grants
 * named, so it includes everything the locks' previous holders wrote.
 */
public final class LockClientLocks implements ClusterLocks {
    private final LockClient client;
    private final LongConsumer rootsAtLeast;

    /** @param rootsAtLeast brings reads up to a server commit (the store's {@code ensureRoots}) */
    public LockClientLocks(LockClient client, LongConsumer rootsAtLeast) {
        this.client = client;
        this.rootsAtLeast = rootsAtLeast;
    }

    @Override
    public Handle lock(List<LockRange> ranges, LockMode mode) {
        List<LockHandle> handles;
        Runnable release;
        try {
            if (ranges.size() == 1) {
                // most operations lock one inode group; the ordered multi-lock acquisition (a
                // sorted copy and a chain of futures) is bookkeeping they need not pay
                LockHandle one = client.lock(ranges.get(0), mode);
                handles = List.of(one);
                release = one::close;
            } else {
                HeldLocks held = client.lockAll(ranges, mode);
                handles = held.handles();
                release = held::close;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FuseException(Errno.EINTR, "interrupted waiting for a cluster lock");
        } catch (RuntimeException e) {
            // no server to grant it (a lost quorum), or the lock client failed: not the caller's fault
            throw new FuseException(Errno.EIO, "cluster lock: " + e.getMessage(), e);
        }
        long seq = 0;
        long commit = 0;
        for (LockHandle h : handles) {
            seq = Math.max(seq, h.writeSeq());
            commit = Math.max(commit, h.commitSeq());
        }
        try {
            rootsAtLeast.accept(commit);
        } catch (RuntimeException e) {
            release.run();
            throw e;
        }
        long writeSeq = seq;
        return new Handle() {
            @Override
            public long writeSeq() {
                return writeSeq;
            }

            @Override
            public void close() {
                release.run();
            }
        };
    }
}
