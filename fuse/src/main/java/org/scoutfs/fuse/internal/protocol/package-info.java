/**
 * The FUSE wire format: the one home of kernel struct layouts, opcodes and flag bits.
 *
 * <h2>What it is for</h2>
 * {@link org.scoutfs.fuse.internal.protocol.KernelAbi} names every constant and field offset of
 * {@code <linux/fuse.h>} that the session uses, one nested class per struct.
 * {@link org.scoutfs.fuse.internal.protocol.RequestMessage} gives bounds-checked access to one
 * request, and {@link org.scoutfs.fuse.internal.protocol.KernelCodec} turns request bodies into
 * Java values and Java values into reply and notification structs. No other package reads or
 * writes a kernel struct field.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>The ABI is append-only and versioned by the protocol minor: a field never moves, a
 *       struct only grows where both sides speak the minor that grew it. Where a struct has two
 *       sizes (setxattr_in, init_in, init_out) the codec is told which one applies.</li>
 *   <li>Decoding never trusts lengths: reading past a body is {@code EINVAL}, not a crash, and
 *       request extensions ({@code total_extlen}) are cut off before the body is looked at.</li>
 *   <li>Integers are host byte order; segments may be heap arrays, so every access is
 *       unaligned-safe.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Stateless static functions and an immutable message view: safe from any thread.
 *
 * <h2>What it deliberately does not do</h2>
 * No I/O, no native memory allocation, no policy (which flags to negotiate lives in the session).
 * Structs of operations the session answers with ENOSYS (locks, ioctl, poll, bmap,
 * copy_file_range, statx, DAX mapping) are not decoded at all.
 */
package org.scoutfs.fuse.internal.protocol;
