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
 * <p>Nothing in the I/O assumes a single writer: the format lets several processes share a device,
 * each with its own cache. Until quorum election arbitrates between mounts, a process that mounts
 * or formats a device claims it whole with a POSIX record lock
 * ({@link org.scoutfs.lsm.block.FileBlockDevice#claimExclusive}), so a second mount or an mkfs of a
 * live volume is refused instead of writing over it.
 */
package org.scoutfs.lsm.block;
