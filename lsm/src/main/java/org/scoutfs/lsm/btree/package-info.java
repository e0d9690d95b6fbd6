/**
 * Copy-on-write B-trees of items.
 *
 * <p>{@link org.scoutfs.lsm.btree.BtreeReader} and {@link org.scoutfs.lsm.btree.BtreeCursor} read
 * committed trees without locks: a committed block never changes. {@link org.scoutfs.lsm.btree.BtreeWriter}
 * is one editing session: the first change under a committed block copies it into memory at a new
 * location; the session ends by encoding its dirty nodes, all stamped with its sequence. Keys
 * arriving in order (commits, merges) reuse the last descent instead of walking from the root. A
 * node that overflows at its end keeps its left half full and starts a new right sibling, so
 * ascending inserts leave full blocks; elsewhere it splits at half its bytes. Leaves join a
 * neighbour below a quarter, so trees stay dense under deletes. Every tree of the volume (log trees, the fs root, the server tree) uses this code.
 */
package org.scoutfs.lsm.btree;
