/**
 * One FUSE session: reading requests, running them against the filesystem, answering, and
 * ending cleanly.
 *
 * <h2>What it is for</h2>
 * {@link org.scoutfs.fuse.internal.session.Session} owns a mounted connection from the kernel's
 * INIT to the end. Its {@link org.scoutfs.fuse.internal.session.ReaderPool} runs platform
 * threads blocked in {@code read(2)}; each request is routed by opcode: INIT, FORGET,
 * BATCH_FORGET, INTERRUPT, NOTIFY_REPLY and DESTROY inline, everything else through the
 * {@link org.scoutfs.fuse.internal.session.Dispatcher}, which calls the filesystem and replies
 * via {@link org.scoutfs.fuse.internal.session.Replies}, the single place where exceptions
 * become errno replies. {@link org.scoutfs.fuse.internal.session.Notifier} writes unsolicited
 * notifications.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>Exactly one reply per request (none for FORGET, BATCH_FORGET, INTERRUPT that matched,
 *       NOTIFY_REPLY), written with one {@code write(2)} to the device the request came from.</li>
 *   <li>A request is in the {@link org.scoutfs.fuse.internal.session.InFlightTable} from the
 *       moment it is read until its reply is written, so an INTERRUPT always finds a running
 *       target; one for an unknown target gets EAGAIN and comes back later.</li>
 *   <li>A reply the kernel refuses hands back what it carried: lookups through forget, file
 *       handles through release.</li>
 *   <li>While operations run on reader threads, at least one other reader is free to read
 *       unless the pool is at its maximum.</li>
 *   <li>When the first reader sees ENODEV, every running operation is interrupted (nobody
 *       waits for its reply). The session ends when every reader has exited; then remaining
 *       operations are awaited (bounded), destroy runs once, and the devices are closed.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Reader threads are platform threads (a thread blocked in a foreign call would pin a virtual
 * thread's carrier); they run operations themselves by default, or hand them to virtual threads
 * or a custom executor. Notifications are written by the calling thread, moved to a platform
 * thread when the caller is virtual. Native memory has one owner at a time: each reader owns
 * its read buffer, each reply its own short-lived block, freed when the reply is written.
 *
 * <h2>Recovery</h2>
 * There is none to do: if the connection breaks, the kernel fails the outstanding requests and
 * the session ends. Malformed requests are answered EINVAL (or dropped if even the header is
 * broken) without ending the session.
 *
 * <h2>What it deliberately does not do</h2>
 * No retries, no request reordering or batching, no caching, no splice; locks, ioctl, poll and
 * the other unsupported operations are answered ENOSYS so the kernel handles them itself.
 */
package org.scoutfs.fuse.internal.session;
