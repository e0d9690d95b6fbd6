/**
 * The storage engine: every piece of metadata of a scoutfs volume is an item in a log-structured
 * forest of copy-on-write B-trees on one shared device.
 *
 * <p><b>The shape.</b> Each node writes only its own log tree, in space the server granted it. A
 * shared fs root holds merged items. A reader looks in the fs root and every log tree and takes
 * the version of a key with the highest sequence; deletions are markers until a merge drops them.
 * Finalized log trees are merged into the fs root in the background, while nodes keep reading and
 * writing.
 *
 * <p><b>Atomicity.</b> Nothing committed is ever overwritten: changes go to newly allocated
 * blocks, a block freed by a commit is reused only after that commit is durable, and the super
 * block, written last with two alternating copies, switches from one commit to the next. A crash
 * at any instant leaves the last commit whole.
 *
 * <p><b>Roles.</b> {@link org.scoutfs.lsm.server.VolumeServer} is the single writer of the super
 * block; {@link org.scoutfs.lsm.txn.NodeStore} is a node's side; they talk only through
 * {@link org.scoutfs.lsm.server.ServerApi}, so they can run in one process ({@link Volume}) or,
 * once quorum election arbitrates between mounts, in many that share the device (for now a mount
 * claims its device whole). This module depends on the JDK alone.
 *
 * <p><b>Failures.</b> Everything reported is a {@link StorageException} subtype that says what the
 * caller can do. Damage is reported naming the block and what was wrong; nothing is repaired.
 */
package org.scoutfs.lsm;
