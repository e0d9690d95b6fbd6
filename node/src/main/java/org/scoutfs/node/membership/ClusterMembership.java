package org.scoutfs.node.membership;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongConsumer;

import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;

import org.scoutfs.lsm.server.ProcessIdentity;

/** Membership from the Hazelcast cluster the node's Vert.x joined (see {@link ClusterSetup}). */
public final class ClusterMembership implements Membership {
    private static final System.Logger LOG = System.getLogger(ClusterMembership.class.getName());

    private final Vertx vertx;
    private final HazelcastInstance hazelcast;
    private final Member self;
    private final List<LongConsumer> listeners = new CopyOnWriteArrayList<>();
    private final java.util.UUID registration;

    public ClusterMembership(Vertx vertx, HazelcastClusterManager manager) {
        this.vertx = vertx;
        this.hazelcast = manager.getHazelcastInstance();
        this.self = toMember(hazelcast.getCluster().getLocalMember());
        this.registration = hazelcast.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent e) {
                LOG.log(System.Logger.Level.INFO, "cluster member joined: {0}", e.getMember().getAddress());
            }

            @Override
            public void memberRemoved(MembershipEvent e) {
                Member gone = toMember(e.getMember());
                LOG.log(System.Logger.Level.INFO, "cluster member left: mount {0} at {1}", Long.toHexString(gone.rid()),
                        gone.address());
                for (LongConsumer l : listeners) {
                    l.accept(gone.rid());
                }
            }
        });
    }

    private static Member toMember(com.hazelcast.cluster.Member m) {
        ProcessIdentity p = new ProcessIdentity(attr(m, ClusterSetup.HOST, ""), Long.parseLong(attr(m, ClusterSetup.PID, "0")),
                Long.parseLong(attr(m, ClusterSetup.START, "0")));
        return new Member(Long.parseLong(attr(m, ClusterSetup.RID, "0")), p, attr(m, ClusterSetup.ADDRESS, ""),
                Long.parseLong(attr(m, ClusterSetup.CLUSTER_HASH, "0")));
    }

    private static String attr(com.hazelcast.cluster.Member m, String name, String otherwise) {
        String v = m.getAttribute(name);
        return v == null ? otherwise : v;
    }

    @Override
    public Member self() {
        return self;
    }

    @Override
    public List<Member> members() {
        List<Member> out = new ArrayList<>();
        for (com.hazelcast.cluster.Member m : hazelcast.getCluster().getMembers()) {
            out.add(toMember(m));
        }
        return out;
    }

    @Override
    public void onLeft(LongConsumer gone) {
        listeners.add(gone);
    }

    @Override
    public void close() {
        try {
            hazelcast.getCluster().removeMembershipListener(registration);
        } catch (RuntimeException e) {
            // the instance is already shutting down
        }
    }
}
