package org.scoutfs.node.bus;

/**
 * Which server this node talks to now, and how the parts that reach it report losing it. The
 * node's server session implements it: it follows the elections, greets each new server and
 * recovers this node's state there.
 */
public interface ServerLocator {
    /** The term of the server this node is connected to; 0 while it is connected to none. */
    long term();

    /** The mount id of the node that leads {@link #term()}; meaningless while not connected. */
    long leader();

    /**
     * Reaching the server of {@code term} failed (it did not answer, or said it does not serve):
     * the node finds the current server and reconnects. Returns at once.
     */
    void lost(long term, RuntimeException cause);

    /**
     * Why lock requests fail now rather than wait: the node has had no server for longer than its
     * operations wait for one. Null while connected or still waiting.
     */
    default RuntimeException outage() {
        return null;
    }
}
