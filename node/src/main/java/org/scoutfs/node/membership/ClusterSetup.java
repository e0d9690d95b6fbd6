package org.scoutfs.node.membership;

import java.util.List;

import com.hazelcast.config.Config;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MemberAttributeConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.config.TcpIpConfig;
import io.vertx.core.VertxOptions;
import io.vertx.spi.cluster.hazelcast.ConfigUtil;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import org.scoutfs.lsm.server.ProcessIdentity;

/**
 * The Hazelcast configuration of a node that has a cluster address: the volume's nodes form one
 * cluster named after the volume, joining over TCP to the addresses recorded in the quorum slots
 * (and any given explicitly), never by multicast. Each member carries its mount id and its
 * cluster hash as attributes, so others can tell who it is and whether it speaks their protocol.
 *
 * <p>Tuned for failure detection, not safety (see {@link Membership}): a killed process is seen
 * within a second because its connections reset; a frozen one only by heartbeats, after
 * {@code max.no.heartbeat}, which stays at 10 s because shorter settings made healthy members of a
 * loaded small machine remove each other.
 */
public final class ClusterSetup {
    static final String RID = "scoutfs.rid";
    static final String CLUSTER_HASH = "scoutfs.clusterHash";
    static final String HOST = "scoutfs.host";
    static final String PID = "scoutfs.pid";
    static final String START = "scoutfs.start";
    static final String ADDRESS = "scoutfs.address";

    private ClusterSetup() {
    }

    /** A host and port, parsed from {@code host:port}. */
    public record HostPort(String host, int port) {
        public static HostPort parse(String text, int defaultPort) {
            String t = text.trim();
            int colon = t.lastIndexOf(':');
            if (colon < 0) {
                return new HostPort(t, defaultPort);
            }
            try {
                int port = Integer.parseInt(t.substring(colon + 1));
                if (port <= 0 || port > 65535) {
                    throw new NumberFormatException();
                }
                return new HostPort(t.substring(0, colon), port);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad cluster address \"" + text + "\": expected HOST:PORT");
            }
        }

        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** The port a cluster address without one uses. */
    public static final int DEFAULT_PORT = 7710;

    public static HazelcastClusterManager manager(long fsid, HostPort bind, List<HostPort> peers, long rid,
                                                  long clusterHash) {
        Config c = ConfigUtil.loadConfig();
        c.setClusterName(String.format("scoutfs-%016x", fsid));
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.logging.type", "jdk");
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        c.setProperty("hazelcast.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.max.wait.seconds.before.join", "0");
        c.setProperty("hazelcast.socket.connect.timeout.seconds", "1");
        c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        c.setProperty("hazelcast.max.no.heartbeat.seconds", "10");
        c.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
        c.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
        NetworkConfig n = c.getNetworkConfig();
        n.setPort(bind.port()).setPortAutoIncrement(false).setPublicAddress(bind.toString());
        n.getInterfaces().setEnabled(true).addInterface(bind.host());
        JoinConfig j = n.getJoin();
        j.getMulticastConfig().setEnabled(false);
        j.getAutoDetectionConfig().setEnabled(false);
        TcpIpConfig tcp = j.getTcpIpConfig().setEnabled(true).setConnectionTimeoutSeconds(1);
        for (HostPort p : peers) {
            if (!p.equals(bind)) {
                tcp.addMember(p.toString());
            }
        }
        ProcessIdentity self = ProcessIdentity.current();
        MemberAttributeConfig attrs = c.getMemberAttributeConfig();
        attrs.setAttribute(RID, Long.toString(rid));
        attrs.setAttribute(CLUSTER_HASH, Long.toString(clusterHash));
        attrs.setAttribute(HOST, self.host());
        attrs.setAttribute(PID, Long.toString(self.pid()));
        attrs.setAttribute(START, Long.toString(self.startTime()));
        attrs.setAttribute(ADDRESS, bind.toString());
        return new HazelcastClusterManager(c);
    }

    /** The event bus of a clustered node listens on the node's own address, on a port of its choosing. */
    public static VertxOptions vertxOptions(HostPort bind) {
        VertxOptions o = new VertxOptions();
        o.getEventBusOptions().setHost(bind.host()).setPort(0).setClusterPublicHost(bind.host());
        return o;
    }
}
