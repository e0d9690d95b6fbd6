package org.scoutfs.node.recovery;

import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import java.util.function.LongFunction;

import org.scoutfs.lsm.format.MountedClientRecord;
import org.scoutfs.lsm.server.ProcessIdentity;
import org.scoutfs.lsm.server.VolumeServer;
import org.scoutfs.node.fencing.FenceTarget;
import org.scoutfs.node.fencing.Fencer;

/**
 * Declares a mount gone, in the only safe order: fence it (it can no longer write), then reclaim
 * it on the volume server (its log tree finalized and merged later, its grants and merge space
 * back in free space, its mounted-client record removed) and on the lock server (its locks free
 * for others). A mount that cannot be fenced is not reclaimed; whoever asked tries again later.
 */
public final class MountReclaimer {
    private static final System.Logger LOG = System.getLogger(MountReclaimer.class.getName());

    private final VolumeServer server;
    private final Fencer fencer;
    private final LongFunction<CompletableFuture<Void>> lockServerForget;
    private final LongConsumer afterwards;

    /**
     * @param lockServerForget frees a mount's locks on the lock server
     * @param afterwards       told of each mount reclaimed (the node reaps what it left)
     */
    public MountReclaimer(VolumeServer server, Fencer fencer, LongFunction<CompletableFuture<Void>> lockServerForget,
                          LongConsumer afterwards) {
        this.server = server;
        this.fencer = fencer;
        this.lockServerForget = lockServerForget;
        this.afterwards = afterwards;
    }

    /** Fences and reclaims mount {@code rid}; false if it is not a mounted client (any more). */
    public boolean reclaim(long rid, String reason) {
        MountedClientRecord c = server.mountedClients().stream().filter(m -> m.rid() == rid).findFirst().orElse(null);
        if (c == null) {
            return false;
        }
        fencer.fence(new FenceTarget(rid, new ProcessIdentity(c.host(), c.pid(), c.startTime()), c.address(), reason));
        server.reclaim(rid);
        lockServerForget.apply(rid).join();
        LOG.log(System.Logger.Level.WARNING, "mount {0} declared gone and reclaimed: {1}", Long.toHexString(rid), reason);
        afterwards.accept(rid);
        return true;
    }
}
