package org.scoutfs.node.fs;

import java.util.List;

import org.scoutfs.locking.LockMode;
import org.scoutfs.locking.LockRange;

/**
 * The cluster locks the filesystem takes before it reads or changes items: a node-wide view of
 * the lock service. Ranges are locked in their natural order, so operations that need several
 * never deadlock against each other.
 */
public interface ClusterLocks {
    /** Blocks until this node holds {@code mode} (or a stronger mode) on every range. */
    Handle lock(List<LockRange> ranges, LockMode mode);

    /** Locks held by one operation. */
    interface Handle extends AutoCloseable {
        /** The highest write sequence of the held locks: items written under them carry at least this. */
        long writeSeq();

        @Override
        void close();
    }
}
