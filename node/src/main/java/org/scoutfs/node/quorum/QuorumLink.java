package org.scoutfs.node.quorum;

import java.util.function.Consumer;

/**
 * How election messages travel between nodes: one way, addressed by mount id, lost at times.
 * The election needs nothing more (it retries and times out on its own) and must depend on
 * nothing less robust than this: votes and heartbeats have to get through exactly when the rest
 * of the cluster is in trouble. So nodes with a cluster address send them as UDP datagrams to the
 * address their quorum slot or cluster membership records ({@link UdpQuorumLink}), never through
 * the cluster manager's shared maps, which a frozen member can stall until it is declared dead;
 * nodes in one process use the local event bus ({@link BusQuorumLink}).
 */
public interface QuorumLink extends AutoCloseable {
    /** Calls {@code receiver} with every message that arrives, on some thread of the link's. */
    void receive(Consumer<Object> receiver);

    /** Sends {@code message} to the node of mount {@code rid}, if the link knows where it is. */
    void send(long rid, Object message);

    /** Mount {@code rid}'s node has the cluster address {@code address} (for links that need to know). */
    default void knownAt(long rid, String address) {
    }

    @Override
    void close();
}
