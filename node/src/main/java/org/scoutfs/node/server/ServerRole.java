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

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;

import org.scoutfs.lsm.block.BlockDevice;
import org.scoutfs.lsm.block.MetaBlocks;
import org.scoutfs.lsm.block.QuorumArea;
import org.scoutfs.lsm.format.QuorumSlot;
import org.scoutfs.lsm.format.SuperBlock;
import org.scoutfs.lsm.server.ProcessIdentity;
import org.scoutfs.lsm.server.Supers;
import org.scoutfs.lsm.server.VolumeServer;
import org.scoutfs.node.bus.Addresses;
import org.scoutfs.node.fencing.FenceTarget;
import org.scoutfs.node.fencing.Fencer;
import org.scoutfs.node.membership.Membership;
import org.scoutfs.node.quorum.DeviceLeadership;
import org.scoutfs.node.quorum.QuorumMember;
import org.scoutfs.node.recovery.ClientWatch;
import org.scoutfs.node.recovery.MountReclaimer;
import org.scoutfs.node.recovery.RecoveryCoordinator;
import org.scoutfs.node.recovery.RecoveryMessages;
import org.scoutfs.node.verticle.LockServerVerticle;
import org.scoutfs.node.verticle.ServerVerticle;

/**
 * What a node does while it leads: run the volume's server for its term.
 *
 * <p>Taking over, in this order, each step only once the one before is done: fence every
 * predecessor that may still be serving (a leader elected before this term that never recorded
 * that it stopped) and record that on the device; load the volume as the last server left it,
 * with a leadership that every commit checks against the quorum slots; start the server and the
 * lock server for the term (the lock server recovering if mounts of the last server are
 * recorded); then wait for those mounts to come back or declare them gone
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
     * @param clientSilence   how long a mount may go without a keepalive before it is declared gone
     * @param lockServer      the lock server's options
     */
    public record Options(Duration recoveryTimeout, Duration clientSilence, LockServerVerticle.Options lockServer) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(20), Duration.ofSeconds(8), LockServerVerticle.Options.defaults());
        }
    }

    /** One term's running server. */
    private final class Term {
        final long term;
        final VolumeServer server;
        final List<String> deployments = new ArrayList<>();
        MessageConsumer<RecoveryMessages.KeepAlive> keepalives;
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
    private QuorumMember member;
    private int slot;
    private volatile Term running;
    private volatile boolean up;

    /**
     * @param reclaimed told of every mount declared gone, so the node can delete the orphans it left
     */
    public ServerRole(Vertx vertx, long fsid, long rid, BlockDevice device, MetaBlocks blocks, Fencer fencer,
                      Membership membership, Options options, LongConsumer reclaimed) {
        this.vertx = vertx;
        this.fsid = fsid;
        this.rid = rid;
        this.device = device;
        this.blocks = blocks;
        this.fencer = fencer;
        this.membership = membership;
        this.options = options;
        this.reclaimed = reclaimed;
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
    public synchronized void lead(long term) {
        if (running != null) {
            stop(running, "a newer term begins");
        }
        long started = System.nanoTime();
        Term t = null;
        try {
            Set<Long> fenced = fencePredecessors(term);
            member.recordFenced(term - 1);
            SuperBlock sb = Supers.readNewest(device);
            VolumeServer server = VolumeServer.start(blocks, sb, VolumeServer.Options.defaults(sb),
                    new DeviceLeadership(device, fsid, slot, rid, term));
            t = new Term(term, server);
            running = t;
            Term term0 = t;
            RecoveryCoordinator[] coordinator = new RecoveryCoordinator[1];
            LockServerVerticle locks = new LockServerVerticle(fsid, term, server::newWriteSeq, server::durableCommitSeq,
                    server.recovering(), r -> {
                        RecoveryCoordinator c = coordinator[0];
                        if (c != null) {
                            c.reported(r);
                        }
                    }, options.lockServer());
            MountReclaimer reclaimer = new MountReclaimer(server, fencer, locks::clientGone, reclaimed);
            coordinator[0] = new RecoveryCoordinator(server, reclaimer, locks::finishRecovery, options.recoveryTimeout(),
                    fenced);
            t.deployments.add(await(vertx.deployVerticle(new ServerVerticle(fsid, term, server))));
            t.deployments.add(await(vertx.deployVerticle(locks)));
            t.watch = new ClientWatch(server, reclaimer, options.clientSilence());
            ClientWatch watch = t.watch;
            t.keepalives = vertx.eventBus().consumer(Addresses.leader(fsid, term, RecoveryMessages.KEEPALIVE), m -> {
                watch.heard(m.body().rid());
                m.reply(new RecoveryMessages.StillServing(term0.term));
            });
            await(t.keepalives.completion());
            up = true;
            member.heartbeatNow();
            LOG.log(System.Logger.Level.INFO, "server of term {0} started in {1} ms{2}", term,
                    (System.nanoTime() - started) / 1_000_000,
                    coordinator[0].needed() ? "; waiting for " + server.awaitingRecovery().size() + " mount(s) to come back" : "");
            Thread.ofVirtual().name("scoutfs-recovery").start(() -> recoverThenWatch(term0, coordinator[0]));
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "cannot serve term " + term + ": " + e.getMessage(), e);
            if (t != null) {
                stop(t, "it could not start");
            }
            Thread.ofVirtual().start(() -> member.resignLeadership("the server of term " + term + " did not start: "
                    + e.getMessage()));
        }
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
        synchronized (this) {
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
     * Fences every leader elected before {@code term} that may still be serving and that no
     * leader after it has fenced already; returns their mount ids.
     */
    private Set<Long> fencePredecessors(long term) {
        List<QuorumSlot> slots = QuorumArea.readAll(device, fsid);
        long handled = 0;
        for (QuorumSlot s : slots) {
            handled = Math.max(handled, s.fencedThrough());
        }
        Set<Long> fenced = new HashSet<>();
        for (QuorumSlot s : slots) {
            if (s.slot() == slot || !s.mayBeServing() || Long.compareUnsigned(s.electedTerm(), term) >= 0
                    || Long.compareUnsigned(s.electedTerm(), handled) <= 0) {
                continue;
            }
            fencer.fence(new FenceTarget(s.ownerRid(), new ProcessIdentity(s.host(), s.ownerPid(), s.ownerStart()),
                    s.address(), "it led term " + s.electedTerm() + " and term " + term + " has a new leader"));
            fenced.add(s.ownerRid());
        }
        return fenced;
    }

    @Override
    public synchronized void stopLeading(long term, String why) {
        Term t = running;
        if (t != null && t.term == term) {
            stop(t, why);
        }
    }

    private void stop(Term t, String why) {
        up = false;
        running = null;
        t.server.stopServing(why);
        if (t.watchTimer >= 0) {
            vertx.cancelTimer(t.watchTimer);
        }
        if (t.keepalives != null) {
            t.keepalives.unregister();
        }
        for (String d : t.deployments) {
            try {
                await(vertx.undeploy(d));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "stopping the server of term " + t.term + ": " + e.getMessage());
            }
        }
        LOG.log(System.Logger.Level.INFO, "server of term {0} stopped: {1}", t.term, why);
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
