/**
 * The server role: the single writer of the super block.
 *
 * <p>{@link org.scoutfs.lsm.server.VolumeServer} hands out transaction sequences, grants and inode
 * numbers, records nodes' log tree commits and merges, and commits its own tree and the super with
 * group commits. {@link org.scoutfs.lsm.server.LogMerger} is the merge itself, a pure function of
 * committed trees that any process holding a {@link org.scoutfs.lsm.server.MergeJob} can run.
 * {@link org.scoutfs.lsm.server.Mkfs} writes a new volume. {@link org.scoutfs.lsm.server.ServerApi}
 * is the whole contract between a node and the server.
 *
 * <p>When a server starts it reclaims what dead mounts left: their log trees are finalized so their
 * committed items get merged, and their grants and any interrupted merge's space go back to free
 * space.
 *
 * <p>The server keeps metadata in reserve for its own commits and for deletions (see
 * {@code org.scoutfs.lsm.alloc}); a merge that would eat into the reserves is not started, and
 * the log trees keep serving reads until there is room.
 */
package org.scoutfs.lsm.server;
