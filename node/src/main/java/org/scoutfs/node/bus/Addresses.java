package org.scoutfs.node.bus;

/**
 * Event-bus addresses. Every address carries the volume's fsid so that nodes of two volumes on one
 * bus never talk to each other.
 */
public final class Addresses {
    private Addresses() {
    }

    private static String prefix(long fsid) {
        return String.format("scoutfs.%016x.", fsid);
    }

    /** The server's request address for one operation, e.g. {@code scoutfs.<fsid>.server.commitLogTree}. */
    public static String server(long fsid, String operation) {
        return prefix(fsid) + "server." + operation;
    }

    /** The lock server's address for one operation, e.g. {@code scoutfs.<fsid>.lock.request}. */
    public static String lockServer(long fsid, String operation) {
        return prefix(fsid) + "lock." + operation;
    }

    /**
     * Where the lock server sends one mount's grants and invalidations:
     * {@code scoutfs.<fsid>.client.<rid>.lock}.
     */
    public static String lockClient(long fsid, long rid) {
        return prefix(fsid) + String.format("client.%016x.lock", rid);
    }
}
