/**
 * Devices and metadata block I/O.
 *
 * <p>{@link org.scoutfs.lsm.block.BlockDevice} is positional I/O on a block device, a file or
 * memory, with an explicit {@code force}: a commit's ordering (blocks, force, super, force) is
 * expressed with it. {@link org.scoutfs.lsm.block.MetaBlocks} reads a block only by reference and
 * checks the header against it, so a reused location surfaces as a stale read instead of wrong
 * data; it batches a commit's writes into large runs. The cache never needs invalidating: blocks
 * are immutable and every hit is checked against the reference's sequence.
 *
 * <p>Several processes may share a device, each with its own cache; nothing here assumes a single
 * writer.
 */
package org.scoutfs.lsm.block;
