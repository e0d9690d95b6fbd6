/**
 * A node's transactions.
 *
 * <p>Operations hold the open transaction ({@link org.scoutfs.lsm.txn.Txn}) while they change
 * items, so all items of one operation commit together. {@link org.scoutfs.lsm.txn.NodeStore}
 * double-buffers: a commit freezes the open transaction and opens the next at once, writes the
 * frozen items into the node's log tree, forces them and has the server record the new root; only
 * then do readers switch from the frozen memtable to the new root. {@code sync} returns once every
 * change made before it is durable, sharing commits between concurrent callers. When the open
 * transaction reaches its commit size, a commit starts on a thread of its own and writers go on
 * into the next memtable; they wait only if that one grows to its limit before the commit is done.
 */
package org.scoutfs.lsm.txn;
