package org.scoutfs.node.recovery;

import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.scoutfs.lsm.format.MountedClientRecord;
import org.scoutfs.lsm.server.VolumeServer;
import org.scoutfs.node.fencing.FenceFailedException;

/**
 * The leader's watch over its mounts once recovery is over. A mount is declared gone (fenced and
 * reclaimed, see {@link MountReclaimer}) when the cluster says its process left, or when it has
 * sent no keepalive for {@code silence}: a frozen process or one cut off from the network keeps
 * its locks otherwise, and everyone waiting for them waits forever.
 */
public final class ClientWatch {
    private static final System.Logger LOG = System.getLogger(ClientWatch.class.getName());

    private final VolumeServer server;
    private final MountReclaimer reclaimer;
    private final Duration silence;
    private final Map<Long, Long> lastHeard = new ConcurrentHashMap<>();
    private final Set<Long> leaving = ConcurrentHashMap.newKeySet();

    public ClientWatch(VolumeServer server, MountReclaimer reclaimer, Duration silence) {
        this.server = server;
        this.reclaimer = reclaimer;
        this.silence = silence;
    }

    /** Mount {@code rid} sent a keepalive. */
    public void heard(long rid) {
        lastHeard.put(rid, System.nanoTime());
    }

    /** The cluster lost the process of mount {@code rid}. */
    public void left(long rid) {
        leaving.add(rid);
    }

    /** One round: declares gone the mounts that left or went silent. Call every few hundred ms. */
    public void check() {
        long now = System.nanoTime();
        Set<Long> mounted = new HashSet<>();
        for (MountedClientRecord c : server.mountedClients()) {
            mounted.add(c.rid());
            Long heard = lastHeard.putIfAbsent(c.rid(), now);
            String why = null;
            if (leaving.contains(c.rid())) {
                why = "its process left the cluster";
            } else if (heard != null && now - heard > silence.toNanos()) {
                why = "it sent no keepalive for " + (now - heard) / 1_000_000 + " ms";
            }
            if (why != null) {
                try {
                    reclaimer.reclaim(c.rid(), why);
                } catch (FenceFailedException e) {
                    LOG.log(System.Logger.Level.ERROR, "cannot declare mount " + Long.toHexString(c.rid()) + " gone: "
                            + e.getMessage());
                } catch (RuntimeException e) {
                    LOG.log(System.Logger.Level.ERROR, "declaring mount " + Long.toHexString(c.rid()) + " gone failed", e);
                }
            }
        }
        lastHeard.keySet().retainAll(mounted);
        leaving.retainAll(mounted);
    }
}
