package org.scoutfs.node.bus;

/**
 * Event-bus addresses. Every address carries the volume's fsid so that nodes of two volumes on one
 * bus never talk to each other. The server's and the lock server's addresses also carry the
 * election term they serve: a deposed server that has not noticed yet still listens on its old
 * term's addresses, and nobody who knows the new term sends there.
 */
public final class Addresses {
    private Addresses() {
    }

    private static String prefix(long fsid) {
        return String.format("scoutfs.%016x.", fsid);
    }

    /** The server's request address for one operation, e.g. {@code scoutfs.<fsid>.t7.server.commitLogTree}. */
    public static String server(long fsid, long term, String operation) {
        return prefix(fsid) + "t" + term + ".server." + operation;
    }

    /** The lock server's address for one operation, e.g. {@code scoutfs.<fsid>.t7.lock.request}. */
    public static String lockServer(long fsid, long term, String operation) {
        return prefix(fsid) + "t" + term + ".lock." + operation;
    }

    /** The leader's own services of one term (keepalives of mounts), e.g. {@code scoutfs.<fsid>.t7.leader.keepalive}. */
    public static String leader(long fsid, long term, String operation) {
        return prefix(fsid) + "t" + term + ".leader." + operation;
    }

    /**
     * Where the lock server sends one mount's grants and invalidations:
     * {@code scoutfs.<fsid>.client.<rid>.lock}.
     */
    public static String lockClient(long fsid, long rid) {
        return prefix(fsid) + String.format("client.%016x.lock", rid);
    }

    /** One mount's own services, e.g. {@code scoutfs.<fsid>.client.<rid>.inodesInUse}. */
    public static String node(long fsid, long rid, String operation) {
        return prefix(fsid) + String.format("client.%016x.", rid) + operation;
    }

    /** The owner of quorum slot {@code slot}, for election messages. */
    public static String quorumSlot(long fsid, int slot) {
        return prefix(fsid) + "quorum.slot." + slot;
    }

    /** Where the leader publishes its heartbeats, to every node. */
    public static String heartbeats(long fsid) {
        return prefix(fsid) + "quorum.heartbeat";
    }
}
