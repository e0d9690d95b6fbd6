/**
 * The lock server: the one place that decides who holds which lock in which mode.
 *
 * <p><b>What it keeps.</b> For each lock range that someone holds, wants or is giving up, a
 * {@code ServerLock}: the granted holders (client → mode), the requests in arrival order, and the
 * invalidations sent for the oldest request and not yet acknowledged. A range nobody cares about
 * has no state, so the server's memory follows the locks in use, not the size of the volume.
 *
 * <p><b>How a request is served.</b> Only the oldest request of a lock is considered. If it is
 * compatible with every other holder it is granted at once, with a fresh write sequence for WRITE
 * and WRITE_ONLY; otherwise every incompatible holder gets one invalidation (a writer facing a
 * reader falls to READ, every other conflict to NULL) and the lock stands still until all of them
 * have acknowledged. Serving strictly in order means a request is delayed only by those ahead of
 * it, so no stream of compatible requests can starve an incompatible one. A NULL request is how a
 * client gives a lock up; it is served in order like any other and always granted.
 *
 * <p><b>Invariants.</b>
 * <ul>
 *   <li>Granted modes on one lock are pairwise compatible, across clients.</li>
 *   <li>A grant is sent only when no invalidation of that lock is in flight; hence each client has
 *       at most one invalidation per lock outstanding, and a client never sees a grant of a lock
 *       while it works on an invalidation of the same lock.</li>
 *   <li>The server's idea of a client's mode is never weaker than the client's own: a client
 *       falls before it acknowledges, and learns of a grant after the server recorded it. This
 *       is what makes the first invariant hold for the modes clients actually use.</li>
 *   <li>Write sequences come from the volume's global counter at grant time, so successive
 *       writers of a range carry increasing sequences and their items order correctly across
 *       log trees.</li>
 * </ul>
 *
 * <p><b>Threading.</b> {@link org.scoutfs.locking.server.LockServer} is a plain single-threaded
 * state machine. Its owner drives it from one context: in a node, the lock-server verticle's own
 * thread; in tests, the simulation's scheduler. Outbound messages go through a narrow
 * {@link org.scoutfs.locking.server.LockServer.Outbox} that only queues, so the server never
 * blocks and never re-enters itself.
 *
 * <p><b>What it deliberately does not do yet.</b> It does not survive its own node: after a
 * server failover the new server starts empty. Rebuilding is the cluster work's (scoutfs asks every
 * client to report its granted locks before serving requests). The state is shaped for it: a lock is
 * fully described by its holders' modes, which clients know, and requests and invalidations in flight
 * are simply re-sent by clients (duplicates are tolerated on both sides). It also never reacts to
 * memory pressure or decides that a client is dead: locks go away only through conflicts, NULL
 * requests and {@link org.scoutfs.locking.server.LockServer#clientGone}, which its caller may use
 * only once the client can no longer write (farewell or fencing).
 */
package org.scoutfs.locking.server;
