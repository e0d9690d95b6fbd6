package org.scoutfs.node.fs;

import java.util.List;

import org.scoutfs.fuse.Errno;
import org.scoutfs.fuse.FuseException;
import org.scoutfs.locking.LockMode;
import org.scoutfs.locking.LockRange;
import org.scoutfs.locking.client.HeldLocks;
import org.scoutfs.locking.client.LockClient;
import org.scoutfs.locking.client.LockHandle;

/** {@link ClusterLocks} served by the node's {@link LockClient}. */
public final class LockClientLocks implements ClusterLocks {
    private final LockClient client;

    public LockClientLocks(LockClient client) {
        this.client = client;
    }

    @Override
    public Handle lock(List<LockRange> ranges, LockMode mode) {
        HeldLocks held;
        try {
            held = client.lockAll(ranges, mode);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FuseException(Errno.EINTR, "interrupted waiting for a cluster lock");
        }
        long seq = 0;
        for (LockHandle h : held.handles()) {
            seq = Math.max(seq, h.writeSeq());
        }
        long writeSeq = seq;
        return new Handle() {
            @Override
            public long writeSeq() {
                return writeSeq;
            }

            @Override
            public void close() {
                held.close();
            }
        };
    }
}
