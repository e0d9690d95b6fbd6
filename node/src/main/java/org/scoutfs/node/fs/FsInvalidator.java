package org.scoutfs.node.fs;

import org.scoutfs.fuse.FuseNotifier;
import org.scoutfs.locking.LockMode;
import org.scoutfs.locking.LockRange;
import org.scoutfs.locking.client.Invalidator;
import org.scoutfs.lsm.format.Zones;
import org.scoutfs.lsm.txn.NodeStore;

/**
 * What this node does when it gives up (part of) a cluster lock: commit what it wrote, so the
 * next holder reads it from the device, and, when it can no longer read under the lock, tell the
 * kernel to drop what it cached of the inodes in the range, so it asks again.
 */
public final class FsInvalidator implements Invalidator {
    private final NodeStore store;
    private volatile ScoutFs fs;
    private volatile FuseNotifier notifier;

    public FsInvalidator(NodeStore store) {
        this.store = store;
    }

    public void filesystem(ScoutFs fs) {
        this.fs = fs;
    }

    public void notifier(FuseNotifier notifier) {
        this.notifier = notifier;
    }

    @Override
    public void invalidate(LockRange range, LockMode from, LockMode to) {
        if (from == LockMode.WRITE || from == LockMode.WRITE_ONLY) {
            store.sync();
        }
        FuseNotifier n = notifier;
        ScoutFs f = fs;
        if (!to.canRead() && n != null && f != null && range.start().zone() == Zones.FS) {
            for (long ino : f.knownInodes(range.start().first(), range.end().first())) {
                n.invalidateInode(ino, 0, 0);
            }
        }
    }
}
