package org.scoutfs.node.verticle;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import org.scoutfs.lsm.block.MetaBlocks;
import org.scoutfs.lsm.server.Merges;
import org.scoutfs.lsm.server.ServerApi;
import org.scoutfs.lsm.txn.NodeStore;

/**
 * Background work of a node: commits its open transaction every interval (so nothing stays
 * uncommitted for long) and runs the merges the server hands out (folding finalized log trees into
 * the fs root). The work runs on a virtual thread; one round at a time.
 */
public final class CompactionVerticle extends VerticleBase {
    private static final System.Logger LOG = System.getLogger(CompactionVerticle.class.getName());

    private final NodeStore store;
    private final ServerApi server;
    private final MetaBlocks blocks;
    private final Duration interval;
    private final AtomicBoolean running = new AtomicBoolean();
    private ExecutorService worker;
    private long timer;

    public CompactionVerticle(NodeStore store, ServerApi server, MetaBlocks blocks, Duration interval) {
        this.store = store;
        this.server = server;
        this.blocks = blocks;
        this.interval = interval;
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
                while (Merges.runOnce(server, blocks)) {
                    // merge everything that is finalized
                }
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.ERROR, "background commit or merge failed", e);
        } finally {
            running.set(false);
        }
    }

    @Override
    public Future<?> stop() {
        vertx.cancelTimer(timer);
        worker.shutdown();
        return vertx.executeBlocking(() -> worker.awaitTermination(5, java.util.concurrent.TimeUnit.MINUTES));
    }
}
