/**
 * Reading the forest: the fs root plus every log tree, as of one set of committed
 * {@link org.scoutfs.lsm.forest.Roots}.
 *
 * <p>For each key the version with the highest sequence wins, wherever it is. A log tree whose
 * bloom block lacks the key's lock group, or whose sequences are all older than a version already
 * found, is skipped. Range reads merge sorted sources ({@link org.scoutfs.lsm.forest.MergingIterator}),
 * including a node's in-memory transactions.
 */
package org.scoutfs.lsm.forest;
