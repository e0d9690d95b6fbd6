package org.scoutfs.node.bus;

/**
 * Event-bus addresses. Every address carries the volume's fsid so that nodes of two volumes on one
 * bus never talk to each other, and the mount id of the node that serves it.
 *
 * <p>Addresses are fixed for a node's life: every node registers its own when it mounts, while the
 * cluster is healthy, and warms up the others' ({@link #PING}), so that none has to be looked up
 * in the cluster manager's shared maps during a failover, when a frozen member can stall such a
 * lookup until it is declared dead. Which election term a request is for travels in a header
 * ({@link #TERM}); a node that does not serve that term refuses it.
 */
public final class Addresses {
    private Addresses() {
    }

    /** Header naming the operation of a request to a node's server endpoint. */
    public static final String OP = "scoutfs-op";
    /** Header naming the election term a request to a server or lock server is meant for. */
    public static final String TERM = "scoutfs-term";
    /** The operation every endpoint answers, to keep the cluster's routing of its address warm. */
    public static final String PING = "ping";

    private static String prefix(long fsid) {
        return String.format("scoutfs.%016x.", fsid);
    }

    private static String node(long fsid, long rid) {
        return prefix(fsid) + String.format("node.%016x.", rid);
    }

    /** The server endpoint of the node of mount {@code rid}: the volume server, while it leads. */
    public static String server(long fsid, long rid) {
        return node(fsid, rid) + "server";
    }

    /** The lock server endpoint of the node of mount {@code rid}, while it leads. */
    public static String lockServer(long fsid, long rid) {
        return node(fsid, rid) + "lockServer";
    }

    /** Where the lock server sends one mount's grants and invalidations. */
    public static String lockClient(long fsid, long rid) {
        return node(fsid, rid) + "lock";
    }

    /** One mount's own services, e.g. {@code scoutfs.<fsid>.node.<rid>.inodesOpen}. */
    public static String node(long fsid, long rid, String operation) {
        return node(fsid, rid) + operation;
    }

    /** Election messages to the node of mount {@code rid}, between nodes of one process. */
    public static String quorumNode(long fsid, long rid) {
        return node(fsid, rid) + "quorum";
    }
}
