/**
 * A node's lock cache: the filesystem's way to take cluster locks, and the node's half of the lock
 * protocol.
 *
 * <p><b>Use.</b> Every filesystem operation takes the locks covering the items it touches, all at
 * once and in range order ({@link org.scoutfs.locking.client.LockClient#lockAll}, or
 * {@link org.scoutfs.locking.client.LockClient#lock} when one lock covers them), reads and writes
 * items only while its handles are open, and closes them when done. A handle keeps the node's lock
 * in a mode that satisfies the handle's mode; closing it leaves the lock cached, so the next
 * operation on the same inodes needs no message at all.
 *
 * <p><b>Per lock</b> the client keeps ({@code ClientLock}): the mode granted, open handles per mode,
 * waiters, the one exchange with the server in progress (a request, or the two phases of dropping
 * an idle lock) and the one invalidation being worked on. The rules:
 * <ul>
 *   <li>A user is admitted only if the granted mode satisfies its mode, no invalidation is about
 *       to take that mode away, and the lock is not being dropped.</li>
 *   <li>A request asks for the weakest mode satisfying both what is held and what waiters want
 *       (a READ holder wanting WRITE asks for WRITE; WRITE_ONLY and READ together ask for WRITE).
 *       So a grant only ever adds to what users may do; modes shrink only through invalidations,
 *       and those wait for the users they affect.</li>
 *   <li>An invalidation first blocks new users of the modes it takes away, then waits for the
 *       current ones to close, then runs the filesystem's
 *       {@link org.scoutfs.locking.client.Invalidator} (commit if written, drop caches), then sets
 *       the new mode, and only then acknowledges. Invalidations of locks not held, or already given
 *       up, are acknowledged at once; a duplicate is answered when the one in progress finishes.</li>
 *   <li>Idle locks beyond {@link org.scoutfs.locking.client.LockClient.Options#maxIdleLocks} are
 *       given back oldest first: the invalidator runs as for an invalidation to NULL, and only then
 *       is the NULL request sent.</li>
 * </ul>
 *
 * <p><b>Deadlock.</b> An operation waits only for locks later in range order than any it holds,
 * and an invalidation waits only for users of that lock; so every chain of waiting climbs in range
 * order and cannot close into a cycle. That holds only if threads never ask for a lock (or a
 * stronger mode) at or before one they hold, and if invalidators take no cluster locks.
 *
 * <p><b>Threading.</b> The client is thread-safe behind one mutex, which is never held while
 * calling out. User threads block in {@code lock}; transports call the inbound methods from any
 * thread, event loops included, because those never block; the invalidator runs on the executor
 * given to the client, a virtual thread per task in a node and the simulation's scheduler in tests.
 *
 * <p><b>Failover.</b> After the server moved, the node reports what it holds
 * ({@link org.scoutfs.locking.client.LockClient#recoveryReport}) and sends its open requests again
 * ({@link org.scoutfs.locking.client.LockClient#resendRequests}); a node that has no server for
 * longer than it waits fails the waiting requests
 * ({@link org.scoutfs.locking.client.LockClient#failRequests}), and later calls ask again.
 *
 * <p><b>Not done here.</b> The refresh of VFS inodes by lock generation; non-blocking try-locks.
 * A failing invalidator stops the client from serving and acknowledging; the lock server keeps
 * asking, and nothing yet takes such a node out of the cluster by itself.
 */
package org.scoutfs.locking.client;
