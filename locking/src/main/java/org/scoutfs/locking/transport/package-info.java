/**
 * Lock transports that need no network: {@link org.scoutfs.locking.transport.InMemoryLockNetwork}
 * joins one lock server and several clients through in-process queues, for tests, the
 * deterministic simulation and lock benchmarks.
 *
 * <p>It states what every lock transport must provide: messages between the server and one client
 * arrive in the order they were sent, in both directions, and nothing more (messages of different
 * clients may interleave in any order); the server is driven from one context; and a departed
 * client's messages are dropped before the server is told it left. The event-bus transport in the
 * node module provides the same.
 *
 * <p>Nothing moves on its own: a test chooses each delivery, which is what lets the simulation
 * reproduce a run from its seed. It does not drop, duplicate or delay individual messages; those
 * faults belong with server failover, which is not built yet.
 */
package org.scoutfs.locking.transport;
