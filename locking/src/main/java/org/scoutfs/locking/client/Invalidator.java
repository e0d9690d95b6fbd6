package org.scoutfs.locking.client;

import org.scoutfs.locking.LockMode;
import org.scoutfs.locking.LockRange;

/**
 * What the filesystem does when its node gives up some of a lock, supplied to {@link LockClient}.
 *
 * <p>Called after every user of the modes being given up has closed its handle, and before the
 * server hears that the node gave them up. When it returns, the next holder must be able to read
 * everything this node did under the lock from the device, and this node must not keep anything it
 * could not re-validate later:
 * <ul>
 *   <li>if {@code from} allowed writing and the node wrote under the lock in its open
 *       transaction, commit that transaction;</li>
 *   <li>if {@code to} cannot read ({@link LockMode#canRead()} is false), drop the items of
 *       {@code range} from the item cache and tell the kernel to forget cached inodes, dentries
 *       and pages in the range. A WRITE to READ downgrade keeps the cache: after the commit it
 *       matches the device.</li>
 * </ul>
 *
 * <p>Runs on the client's executor (a virtual thread in a node), never on an event loop, and may
 * block, but must not take cluster locks: other nodes may be waiting for this one. It must not
 * fail: a node that cannot commit cannot hand its writes over, so the client then stops
 * acknowledging and refuses new users (see {@link LockClient#failure()}) until the node is taken
 * out of the cluster.
 */
@FunctionalInterface
public interface Invalidator {
    void invalidate(LockRange range, LockMode from, LockMode to);
}
