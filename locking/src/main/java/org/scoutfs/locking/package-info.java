/**
 * Cluster locks: what they are named after and what their modes allow.
 *
 * <p>scoutfs keeps nodes coherent with logical locks over ranges of item keys, decoupled from
 * device writes. A node takes a lock before it reads or changes items in the lock's range; the
 * server grants a lock only after every conflicting holder has given it up, and a holder that gives
 * up a lock it wrote under first commits its transaction and drops what it cached of the range. So
 * whoever holds a lock next reads the last holder's changes from the device, while the nodes never
 * coordinate their block writes: each writes only its own log tree.
 *
 * <p>This package holds the vocabulary both sides share: {@link org.scoutfs.locking.LockMode} with
 * its compatibility rules and {@link org.scoutfs.locking.LockRanges}, the one mapping from items to
 * lock names. It is plain Java, free of any transport, so the protocol can be tested directly.
 */
package org.scoutfs.locking;
