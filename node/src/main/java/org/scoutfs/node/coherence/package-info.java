/**
 * Cache coherence between nodes: what a node does when a cluster lock leaves it, so that every
 * operation on any mount sees the latest state.
 *
 * <p>Three caches could go stale. The kernel's (attributes, names and file pages, kept for a long
 * time because locks say exactly when they stop being valid) is invalidated by
 * {@link org.scoutfs.node.coherence.LockInvalidator} when the node loses the right to read a
 * range. The node's view of the committed trees is brought forward when a lock is granted: the
 * grant names the server commit that includes its previous holder's changes, and the node reads
 * from roots at least that new. The node's own dirty items are committed when it gives up a lock
 * that allowed writing. The node keeps no other cache of items. A node that stays on after its
 * unmount (its vote still counted) has no kernel cache left: it only commits.
 */
package org.scoutfs.node.coherence;
