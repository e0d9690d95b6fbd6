package org.scoutfs.node.verticle;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.Lock;
import java.util.function.Supplier;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import org.scoutfs.lsm.block.MetaBlocks;
import org.scoutfs.lsm.server.Merges;
import org.scoutfs.lsm.server.ServerApi;
import org.scoutfs.lsm.txn.NodeStore;

/**
 * Background work of a node: commits its open transaction every interval (so nothing stays
 * uncommitted for long), runs the merges the server hands out (folding finalized log trees into
 * the fs root), and now and then deletes orphaned inodes nobody has open any more (those other
 * nodes left). The work runs on a virtual thread; one round at a time.
 *
 * <p>A merge writes into space the server granted for it, so it must not outlive the server that
 * granted it: it holds {@code mergeGate} (which a reconnection to a new server waits for) and
 * talks to the server of the current term only, failing rather than moving to the next one.
 */
public final class CompactionVerticle extends VerticleBase {
    private static final System.Logger LOG = System.getLogger(CompactionVerticle.class.getName());
    /** Orphan scans run every this many rounds. */
    private static final int ORPHAN_SCAN_ROUNDS = 3;

    private final NodeStore store;
    private final Supplier<ServerApi> mergeServer;
    private final Lock mergeGate;
    private final MetaBlocks blocks;
    private final Duration interval;
    private final Runnable orphanScan;
    private final AtomicBoolean running = new AtomicBoolean();
    private ExecutorService worker;
    private long timer;
    private int rounds;

    public CompactionVerticle(NodeStore store, Supplier<ServerApi> mergeServer, Lock mergeGate, MetaBlocks blocks,
                              Duration interval, Runnable orphanScan) {
        this.store = store;
        this.mergeServer = mergeServer;
        this.mergeGate = mergeGate;
        this.blocks = blocks;
        this.interval = interval;
        this.orphanScan = orphanScan;
    }

    @Override
    public Future<?> start() {
        worker = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("scoutfs-compaction").factory());
        timer = vertx.setPeriodic(interval.toMillis(), id -> {
            if (running.compareAndSet(false, true)) {
                worker.execute(this::round);
            }
        });
        return Future.succeededFuture();
    }

    private void round() {
        try {
            if (!store.failed()) {
                store.commit();
                mergeAll();
                if (++rounds % ORPHAN_SCAN_ROUNDS == 0) {
                    orphanScan.run();
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "background commit, merge or orphan scan failed", e);
        } finally {
            running.set(false);
        }
    }

    private void mergeAll() {
        if (!mergeGate.tryLock()) {
            return; // reconnecting to a server; merge next round
        }
        try {
            ServerApi server = mergeServer.get();
            while (Merges.runOnce(server, blocks, store.rid())) {
                // merge everything that is finalized
            }
        } finally {
            mergeGate.unlock();
        }
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        worker.shutdown();
        return vertx.executeBlocking(() -> worker.awaitTermination(5, java.util.concurrent.TimeUnit.MINUTES));
    }
}
