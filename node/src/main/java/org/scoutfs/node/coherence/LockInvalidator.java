package org.scoutfs.node.coherence;

import java.util.ArrayList;
import java.util.List;

import org.scoutfs.fuse.Errno;
import org.scoutfs.fuse.FuseException;
import org.scoutfs.fuse.FuseNotifier;
import org.scoutfs.locking.LockMode;
import org.scoutfs.locking.LockRange;
import org.scoutfs.locking.client.Invalidator;
import org.scoutfs.lsm.format.Zones;
import org.scoutfs.lsm.txn.NodeStore;
import org.scoutfs.node.fs.ScoutFs;

/**
 * What this node does when it gives up (part of) a cluster lock, so that the next holder, on any
 * node, sees the latest state and this node does not keep a stale one.
 *
 * <ol>
 *   <li>If the lock allowed writing, commit: the next holder reads this node's changes from the
 *       device, through roots at least as new as the commit (the grant carries its sequence).</li>
 *   <li>If the node can no longer read under the lock, drop what the kernel cached of the range:
 *       the attributes of every inode in it (so the next stat, open or read asks again; with
 *       automatic data invalidation the kernel drops a file's cached pages itself once it sees the
 *       new size or mtime), and, if the range holds a directory the kernel knows, every cached
 *       name (the FUSE dentry epoch: a name could have moved, appeared or gone). The node has no
 *       item cache of its own to drop: its reads go to the item store every time.</li>
 *   <li>Afterwards, without waiting, drop cached pages of the range's files, for mappings, which
 *       see no reads.</li>
 * </ol>
 *
 * <p>Why these notifications and no others: an invalidation may run while requests of this very
 * node wait for the lock, holding kernel locks (a directory's, a file's pages) that a name or page
 * invalidation would wait for. Attribute invalidation and the epoch take no such locks, so they
 * are done before the lock is given up; page invalidations are queued to run after.
 */
public final class LockInvalidator implements Invalidator {
    private final NodeStore store;
    private volatile ScoutFs fs;
    private volatile FuseNotifier notifier;

    public LockInvalidator(NodeStore store) {
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
        if (to.canRead() || n == null || f == null || range.start().zone() != Zones.FS) {
            return;
        }
        try {
            dropKernelCaches(n, f, range);
        } catch (FuseException e) {
            if (e.errno() != Errno.ENOTCONN) {
                throw e;
            }
            // unmounted while the node stays on (its vote still counts): no kernel cache is left
        }
    }

    private static void dropKernelCaches(FuseNotifier n, ScoutFs f, LockRange range) {
        long first = range.start().first();
        long last = range.end().first();
        boolean names = first <= Zones.ROOT_INO && Zones.ROOT_INO <= last;
        List<Long> files = new ArrayList<>();
        for (ScoutFs.CachedInode c : f.knownInodes(first, last)) {
            n.invalidateAttributes(c.ino());
            names |= c.directory();
            if (!c.directory()) {
                files.add(c.ino());
            }
        }
        if (names) {
            n.incrementEpoch();
        }
        if (!files.isEmpty()) {
            n.runAsync(later -> {
                for (long ino : files) {
                    later.invalidateInode(ino, 0, 0);
                }
            });
        }
    }
}
