package org.scoutfs.node;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import org.scoutfs.lsm.BadVolumeException;
import org.scoutfs.lsm.block.FileBlockDevice;
import org.scoutfs.lsm.block.QuorumArea;
import org.scoutfs.lsm.format.QuorumSlot;
import org.scoutfs.lsm.format.SuperBlock;
import org.scoutfs.lsm.server.ProcessIdentity;
import org.scoutfs.lsm.server.Supers;
import org.scoutfs.node.membership.ClusterSetup;
import org.scoutfs.node.membership.ClusterSetup.HostPort;
import org.scoutfs.node.quorum.SlotClaim;

/**
 * What a node settles before Vert.x starts, because Vert.x needs it: the devices are opened and
 * the volume checked (a wrong device or another format is refused here, before anything joins a
 * cluster), the node gets its mount id and takes a quorum slot if one is free (recording its
 * address there, see {@link SlotClaim}), and, for a node with a cluster address, the Hazelcast
 * cluster manager is made with the addresses the volume's quorum slots record as the peers to join.
 */
public final class NodeBoot implements AutoCloseable {
    private final NodeConfig config;
    private final FileBlockDevice meta;
    private final FileBlockDevice data;
    private final SuperBlock superBlock;
    private final long rid;
    private final HostPort bind;
    private final HazelcastClusterManager manager;
    private final QuorumSlot slot;

    private NodeBoot(NodeConfig config, FileBlockDevice meta, FileBlockDevice data, SuperBlock sb, long rid,
                     HostPort bind, HazelcastClusterManager manager, QuorumSlot slot) {
        this.config = config;
        this.meta = meta;
        this.data = data;
        this.superBlock = sb;
        this.rid = rid;
        this.bind = bind;
        this.manager = manager;
        this.slot = slot;
    }

    /** Opens and checks the volume of {@code config}; throws with a message for the user if it cannot be mounted. */
    public static NodeBoot prepare(NodeConfig config) {
        boolean clustered = config.cluster().clustered();
        HostPort bind = clustered ? HostPort.parse(config.cluster().serverAddr(), ClusterSetup.DEFAULT_PORT) : null;
        List<HostPort> explicitPeers = new ArrayList<>();
        for (String p : config.cluster().peers()) {
            explicitPeers.add(HostPort.parse(p, ClusterSetup.DEFAULT_PORT));
        }
        FileBlockDevice meta = clustered ? FileBlockDevice.openShared(config.metaDevice(), "mounting")
                : FileBlockDevice.openExclusive(config.metaDevice(), "mounting");
        FileBlockDevice data = null;
        try {
            if (config.dataDevice() != null) {
                data = clustered ? FileBlockDevice.openShared(config.dataDevice(), "mounting")
                        : FileBlockDevice.openExclusive(config.dataDevice(), "mounting");
            }
            SuperBlock sb = Supers.readNewest(meta);
            Supers.checkUsable(sb, meta, data);
            if (!clustered && sb.quorumCount() > 1) {
                throw new BadVolumeException(config.metaDevice() + " has a quorum of " + sb.quorumCount()
                        + ": its nodes elect their server over the network, so mount it with -o server_addr=HOST:PORT");
            }
            long rid;
            do {
                rid = new SecureRandom().nextLong();
            } while (rid == 0);
            String address = clustered ? bind.toString() : "";
            QuorumSlot slot = config.cluster().quorumSlot()
                    ? SlotClaim.claim(meta, sb.fsid(), sb.quorumSlots(), rid, ProcessIdentity.current(), address) : null;
            HazelcastClusterManager manager = null;
            if (clustered) {
                // nodes starting at the same moment record their addresses at the same moment too
                sleep(2 * SlotClaim.SETTLE_MILLIS);
                Set<HostPort> peers = new LinkedHashSet<>(explicitPeers);
                for (QuorumSlot s : QuorumArea.readAll(meta, sb.fsid())) {
                    if (!s.isFree() && !s.address().isEmpty()) {
                        peers.add(HostPort.parse(s.address(), ClusterSetup.DEFAULT_PORT));
                    }
                }
                peers.remove(bind);
                manager = ClusterSetup.manager(sb.fsid(), bind, List.copyOf(peers), rid, ClusterHash.of());
            }
            return new NodeBoot(config, meta, data, sb, rid, bind, manager, slot);
        } catch (RuntimeException e) {
            meta.close();
            if (data != null) {
                data.close();
            }
            throw e;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The quorum slot this node took, or null if it took none. */
    public QuorumSlot slot() {
        return slot;
    }

    public NodeConfig config() {
        return config;
    }

    public FileBlockDevice meta() {
        return meta;
    }

    /** The separate data device, or null. */
    public FileBlockDevice data() {
        return data;
    }

    public SuperBlock superBlock() {
        return superBlock;
    }

    public long rid() {
        return rid;
    }

    /** The cluster address, or null for a node alone on its volume. */
    public HostPort bind() {
        return bind;
    }

    /** The cluster manager, or null for a node alone on its volume. */
    public HazelcastClusterManager clusterManager() {
        return manager;
    }

    public boolean clustered() {
        return manager != null;
    }

    /** How to build this node's Vert.x: clustered over Hazelcast at the node's address, or alone. */
    public VertxBuilder vertxBuilder(VertxOptions launcherOptions) {
        if (manager == null) {
            return Vertx.builder().with(launcherOptions);
        }
        return Vertx.builder().with(ClusterSetup.vertxOptions(bind)).withClusterManager(manager);
    }

    @Override
    public void close() {
        meta.close();
        if (data != null) {
            data.close();
        }
    }
}
