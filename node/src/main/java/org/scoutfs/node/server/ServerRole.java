package org.scoutfs.node.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongConsumer;
import java.util.stream.Collectors;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import org.scoutfs.lsm.block.BlockDevice;
import org.scoutfs.lsm.block.MetaBlocks;
import org.scoutfs.lsm.block.QuorumArea;
import org.scoutfs.lsm.format.MountedClientRecord;
import org.scoutfs.lsm.format.QuorumSlot;
import org.scoutfs.lsm.format.SuperBlock;
import org.scoutfs.lsm.server.ProcessIdentity;
import org.scoutfs.lsm.server.Supers;
import org.scoutfs.lsm.server.VolumeServer;
import org.scoutfs.node.fencing.FenceTarget;
import org.scoutfs.node.fencing.Fencer;
import org.scoutfs.node.membership.Membership;
import org.scoutfs.node.quorum.DeviceLeadership;
import org.scoutfs.node.quorum.QuorumMember;
import org.scoutfs.node.recovery.ClientWatch;
import org.scoutfs.node.recovery.FarewellGate;
import org.scoutfs.node.recovery.MountReclaimer;
import org.scoutfs.node.recovery.RecoveryCoordinator;
import org.scoutfs.node.recovery.RecoveryMessages;
import org.scoutfs.node.verticle.LockServerVerticle;
import org.scoutfs.node.verticle.ServerEndpointVerticle;

/**
 * What a node does while it leads: run the volume's server for its term.
 *
 * <p>Taking over, in this order, each step only once the one before is done: fence every
 * predecessor that may still be serving (a leader elected before this term that never recorded
 * that it stopped) and record that on the device; load the volume as the last server left it,
 * with a leadership that every commit checks against the quorum slots; start the server and the
 * lock server for the term (the lock server recovering if mounts of the last server are
 * recorded) behind the node's endpoints ({@link ServerEndpointVerticle}); then wait for those mounts to come back or declare them gone
 * ({@link RecoveryCoordinator}), and from then on watch the mounts ({@link ClientWatch}).
 *
 * <p>A leader that cannot fence a predecessor does not serve: it resigns, and the election goes
 * on. Stopping (the lease ran out, a newer term was seen, the node leaves) stops the server
 * before anything else, so a deposed leader refuses requests from then on.
 */
public final class ServerRole implements QuorumMember.Role {
    private static final System.Logger LOG = System.getLogger(ServerRole.class.getName());

    /**
     * @param recoveryTimeout how long a new server waits for the mounts of the last one
     * @param recoveryGrace   how long it waits for those the cluster no longer counts as members
     * @param clientSilence   how long a mount may go without a keepalive before it is declared gone
     * @param lockServer      the lock server's options
     */
    public record Options(Duration recoveryTimeout, Duration recoveryGrace, Duration clientSilence,
                          LockServerVerticle.Options lockServer) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(8), Duration.ofSeconds(2), Duration.ofSeconds(8),
                    LockServerVerticle.Options.defaults());
        }
    }

    /** One term's running server. */
    private final class Term {
        final long term;
        final VolumeServer server;
        final List<String> deployments = new ArrayList<>();
        ClientWatch watch;
        long watchTimer = -1;

        Term(long term, VolumeServer server) {
            this.term = term;
            this.server = server;
        }
    }

    private final Vertx vertx;
    private final long fsid;
    private final long rid;
    private final BlockDevice device;
    private final MetaBlocks blocks;
    private final Fencer fencer;
    private final Membership membership;
    private final Options options;
    private final LongConsumer reclaimed;
    private final ServerEndpointVerticle endpoint;
    private QuorumMember member;
    private int slot;
    private volatile Term running;
    private volatile boolean up;
    /** The term this node was last elected for and has not stepped down from; 0 if none. */
    private volatile long wanted;
    /**
     * Held while a term's server starts and while one stops, so that a step-down never records a
     * term as stopped while its server could still commit (a successor relies on that record).
     */
    private final Object startStop = new Object();

    /**
     * @param reclaimed told of every mount declared gone, so the node can delete the orphans it left
     */
    public ServerRole(Vertx vertx, long fsid, long rid, BlockDevice device, MetaBlocks blocks, Fencer fencer,
                      Membership membership, Options options, LongConsumer reclaimed, ServerEndpointVerticle endpoint) {
        this.vertx = vertx;
        this.fsid = fsid;
        this.rid = rid;
        this.device = device;
        this.blocks = blocks;
        this.fencer = fencer;
        this.membership = membership;
        this.options = options;
        this.reclaimed = reclaimed;
        this.endpoint = endpoint;
        membership.onLeft(gone -> {
            Term t = running;
            if (t != null && t.watch != null) {
                t.watch.left(gone);
            }
        });
        RecoveryMessages.registerCodecs(vertx.eventBus());
    }

    /** The quorum member this role serves; set once, before the member starts. */
    public void member(QuorumMember m) {
        this.member = m;
        this.slot = m.slot();
    }

    @Override
    public boolean serverUp() {
        return up;
    }

    /** The server of the term this node leads, or null. */
    public VolumeServer server() {
        Term t = running;
        return t == null ? null : t.server;
    }

    @Override
    public void lead(long term) {
        wanted = term;
        long started = System.nanoTime();
        Term t = null;
        try {
            Set<Long> fenced = fencePredecessors(term);
            member.recordFenced(term - 1);
            RecoveryCoordinator coordinator;
            synchronized (startStop) {
                if (wanted != term) {
                    return; // stepped down while fencing
                }
                SuperBlock sb = Supers.readNewest(device);
                VolumeServer server = VolumeServer.start(blocks, sb, VolumeServer.Options.defaults(sb),
                        new DeviceLeadership(device, fsid, slot, rid, term));
                t = new Term(term, server);
                running = t;
                RecoveryCoordinator[] holder = new RecoveryCoordinator[1];
                LockServerVerticle locks = new LockServerVerticle(fsid, term, server::newWriteSeq,
                        server::durableCommitSeq, server.recovering(), r -> {
                            RecoveryCoordinator c = holder[0];
                            if (c != null) {
                                c.reported(r);
                            }
                        }, options.lockServer());
                MountReclaimer reclaimer = new MountReclaimer(server, fencer, locks::clientGone, reclaimed);
                coordinator = new RecoveryCoordinator(server, reclaimer, locks::finishRecovery,
                        options.recoveryTimeout(), options.recoveryGrace(), r -> member.heardFrom(r, 1500), fenced);
                holder[0] = coordinator;
                t.deployments.add(await(vertx.deployVerticle(locks)));
                t.watch = new ClientWatch(server, reclaimer, options.clientSilence());
                endpoint.serve(new ServerEndpointVerticle.Serving(term, server, locks, t.watch::heard,
                        farewellGate(server, locks, sb)));
                up = true;
            }
            member.heartbeatNow();
            LOG.log(System.Logger.Level.INFO, "server of term {0} started in {1} ms{2}", term,
                    (System.nanoTime() - started) / 1_000_000,
                    coordinator.needed() ? "; waiting for " + t.server.awaitingRecovery().size() + " mount(s) to come back"
                            : "");
            Term term0 = t;
            Thread.ofVirtual().name("scoutfs-recovery").start(() -> recoverThenWatch(term0, coordinator));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot serve term " + term + ": " + e.getMessage(), e);
            stopLeading(term, "it could not start");
            Thread.ofVirtual().start(() -> member.resignLeadership("the server of term " + term + " did not start: "
                    + e.getMessage()));
        }
    }

    /** Lets mounts leave while enough votes stay (see {@link FarewellGate}). */
    private FarewellGate farewellGate(VolumeServer server, LockServerVerticle locks, SuperBlock sb) {
        int usable = sb.quorumSlots();
        return new FarewellGate(new FarewellGate.Volume() {
            @Override
            public Set<Long> mounted() {
                return server.mountedClients().stream().map(MountedClientRecord::rid).collect(Collectors.toSet());
            }

            @Override
            public Set<Long> voters() {
                return QuorumArea.readAll(device, fsid).stream().filter(q -> q.slot() < usable && !q.isFree())
                        .map(QuorumSlot::ownerRid).collect(Collectors.toSet());
            }

            @Override
            public void leave(long gone) {
                server.farewell(gone);
                locks.clientGone(gone).join();
            }
        }, sb.quorumCount(), System::nanoTime, TimeUnit.SECONDS.toNanos(5), 3000);
    }

    private void recoverThenWatch(Term t, RecoveryCoordinator coordinator) {
        try {
            coordinator.run();
        } catch (InterruptedException e) {
            return;
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "recovery of term " + t.term + " failed", e);
            return;
        }
        synchronized (startStop) {
            if (running != t) {
                return;
            }
            t.watchTimer = vertx.setPeriodic(500, id -> Thread.ofVirtual().start(() -> {
                if (running == t && !t.server.stopped()) {
                    t.watch.check();
                }
            }));
        }
    }

    /**
     * Makes sure no leader elected before {@code term} still serves: one that records that it
     * stopped is done with; one whose process is gone, or that does not record stopping within
     * {@link #GENTLE_MILLIS} of this leader's first heartbeats (which tell a live one to step down),
     * is fenced. Returns the mount ids of those fenced.
     */
    private Set<Long> fencePredecessors(long term) {
        Set<Long> fenced = new HashSet<>();
        long deadline = System.nanoTime() + GENTLE_MILLIS * 1_000_000;
        while (true) {
            List<QuorumSlot> serving = predecessors(term);
            if (serving.isEmpty() || wanted != term) {
                return fenced;
            }
            boolean patient = System.nanoTime() < deadline;
            for (QuorumSlot s : serving) {
                ProcessIdentity p = new ProcessIdentity(s.host(), s.ownerPid(), s.ownerStart());
                if (!patient || p.isGoneLocally()) {
                    fencer.fence(new FenceTarget(s.ownerRid(), p, s.address(), "it led term " + s.electedTerm()
                            + " and term " + term + " has a new leader"));
                    fenced.add(s.ownerRid());
                }
            }
            if (!patient || fenced.size() == serving.size()) {
                return fenced;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while fencing", e);
            }
        }
    }

    /** How long a live predecessor gets to step down on its own before it is fenced. */
    static final long GENTLE_MILLIS = 1500;

    /** Leaders elected before {@code term} that may still serve and that no later leader fenced. */
    private List<QuorumSlot> predecessors(long term) {
        List<QuorumSlot> slots = QuorumArea.readAll(device, fsid);
        long handled = 0;
        for (QuorumSlot s : slots) {
            handled = Math.max(handled, s.fencedThrough());
        }
        List<QuorumSlot> out = new ArrayList<>();
        for (QuorumSlot s : slots) {
            if (s.slot() != slot && s.mayBeServing() && Long.compareUnsigned(s.electedTerm(), term) < 0
                    && Long.compareUnsigned(s.electedTerm(), handled) > 0) {
                out.add(s);
            }
        }
        return out;
    }

    /**
     * Stops the server of {@code term} at once: from the return on it commits nothing more (a
     * commit in flight has finished), so the term may be recorded as stopped. A start of the term
     * still in progress is cut short.
     */
    @Override
    public void stopLeading(long term, String why) {
        synchronized (startStop) {
            if (wanted == term) {
                wanted = 0;
            }
            Term t = running;
            if (t != null && t.term == term) {
                up = false;
                running = null;
                endpoint.stop(t.term);
                t.server.stopServing(why);
                if (t.watchTimer >= 0) {
                    vertx.cancelTimer(t.watchTimer);
                }
                for (String d : t.deployments) {
                    vertx.undeploy(d).onFailure(e -> LOG.log(System.Logger.Level.WARNING,
                            "stopping the lock server of term " + t.term + ": " + e.getMessage()));
                }
                LOG.log(System.Logger.Level.INFO, "server of term {0} stopped: {1}", t.term, why);
            }
        }
    }

    private static <T> T await(Future<T> f) {
        try {
            return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
