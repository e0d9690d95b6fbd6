package org.scoutfs.node.recovery;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import org.scoutfs.lsm.format.MountedClientRecord;
import org.scoutfs.lsm.server.ProcessIdentity;
import org.scoutfs.lsm.server.VolumeServer;
import org.scoutfs.node.fencing.FenceFailedException;

/**
 * A new server's wait for the mounts of the last one. Every mounted client the server tree
 * records must come back (greet the new server and report its locks) or be declared gone; until
 * then the volume server serves only greetings and reads and the lock server grants nothing, so a
 * mount that comes back finds its space and its locks where it left them.
 *
 * <p>Mounts whose process is certainly gone (on this host, or fenced already as a deposed
 * leader's) are declared gone at once. A live mount comes back within moments of hearing the new
 * leader's first heartbeat, so one whose node does not answer the leader's heartbeats gets only
 * {@code grace} before it is fenced and declared gone, and the others get {@code timeout}. A
 * failed fence keeps the recovery waiting and is tried again: handing a silent mount's space on
 * before it is fenced could let its late writes land in it.
 */
public final class RecoveryCoordinator {
    private static final System.Logger LOG = System.getLogger(RecoveryCoordinator.class.getName());

    private final VolumeServer server;
    private final MountReclaimer reclaimer;
    private final Supplier<CompletableFuture<Void>> finishLockRecovery;
    private final Duration timeout;
    private final Duration grace;
    private final java.util.function.LongPredicate inCluster;
    private final Set<Long> expected;
    private final Set<Long> reported = new HashSet<>();
    private final Set<Long> alreadyFenced;

    /**
     * @param alreadyFenced mounts whose process the new leader fenced itself (its predecessors)
     * @param inCluster     whether a mount's node can reach this leader now
     */
    public RecoveryCoordinator(VolumeServer server, MountReclaimer reclaimer,
                               Supplier<CompletableFuture<Void>> finishLockRecovery, Duration timeout, Duration grace,
                               java.util.function.LongPredicate inCluster, Set<Long> alreadyFenced) {
        this.server = server;
        this.reclaimer = reclaimer;
        this.finishLockRecovery = finishLockRecovery;
        this.timeout = timeout;
        this.grace = grace;
        this.inCluster = inCluster;
        this.expected = new HashSet<>(server.awaitingRecovery());
        this.alreadyFenced = Set.copyOf(alreadyFenced);
    }

    /** True if there is anyone to wait for. */
    public boolean needed() {
        return !expected.isEmpty();
    }

    /** Mount {@code rid} reported its locks to the new lock server. */
    public synchronized void reported(long rid) {
        reported.add(rid);
        notifyAll();
    }

    /** Waits for the mounts, declares the rest gone, and lets the lock server grant. Blocks. */
    public void run() throws InterruptedException {
        long started = System.nanoTime();
        for (MountedClientRecord c : server.mountedClients()) {
            if (!expected.contains(c.rid())) {
                continue;
            }
            if (alreadyFenced.contains(c.rid())) {
                declareGone(c.rid(), "its node was fenced as the last leader");
            } else if (new ProcessIdentity(c.host(), c.pid(), c.startTime()).isGoneLocally()) {
                declareGone(c.rid(), "its process is gone");
            }
        }
        while (true) {
            List<Long> missing = missing();
            if (missing.isEmpty()) {
                break;
            }
            long waited = System.nanoTime() - started;
            boolean failed = false;
            for (long rid : missing) {
                if (waited >= timeout.toNanos()) {
                    failed |= !declareGone(rid, "it did not come back to the new server within " + timeout.toSeconds() + " s");
                } else if (waited >= grace.toNanos() && !inCluster.test(rid)) {
                    failed |= !declareGone(rid, "it did not come back within " + grace.toMillis()
                            + " ms and does not answer the leader's heartbeats");
                }
            }
            if (failed) {
                Thread.sleep(1000); // a fence failed; try again
            } else {
                synchronized (this) {
                    wait(100);
                }
            }
        }
        finishLockRecovery.get().join();
        LOG.log(System.Logger.Level.INFO, "recovery of the server of term {0} done in {1} ms", server.term(),
                (System.nanoTime() - started) / 1_000_000);
    }

    /** Expected mounts that have neither come back (greeted and reported) nor been declared gone. */
    private synchronized List<Long> missing() {
        Set<Long> awaiting = new HashSet<>(server.awaitingRecovery());
        Set<Long> mounted = new HashSet<>();
        server.mountedClients().forEach(c -> mounted.add(c.rid()));
        return expected.stream().filter(r -> mounted.contains(r) && (awaiting.contains(r) || !reported.contains(r)))
                .sorted().toList();
    }

    /** False if the mount could not be fenced (it stays awaited). */
    private boolean declareGone(long rid, String why) {
        try {
            reclaimer.reclaim(rid, "recovery: " + why);
            return true;
        } catch (FenceFailedException e) {
            LOG.log(System.Logger.Level.ERROR, "recovery waits: " + e.getMessage());
            return false;
        }
    }
}
