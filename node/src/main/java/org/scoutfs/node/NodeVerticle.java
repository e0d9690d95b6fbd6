package org.scoutfs.node;

import java.util.function.Consumer;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;

import org.scoutfs.node.control.ControlServer;

/**
 * The main verticle of a node process: starts a {@link Node} (which deploys the server, lock and
 * compaction verticles and mounts) and serves its control socket.
 *
 * <p>Shutting down must happen while the server verticles still answer (the node's last commit
 * and its farewell go to them), so it is not left to undeploy order: {@link #shutdown()} runs
 * before Vert.x stops, whether the filesystem was unmounted from outside (then this verticle closes
 * Vert.x afterwards, which ends the process) or the process was asked to stop.
 */
public final class NodeVerticle extends VerticleBase {
    private static final System.Logger LOG = System.getLogger(NodeVerticle.class.getName());

    private final NodeBoot boot;
    private final NodeConfig config;
    private final Runnable ready;
    private final Consumer<String> progress;
    private volatile Node node;
    private volatile ControlServer control;
    private boolean shutDown;

    /**
     * @param boot     the node's opened devices and identity
     * @param ready    told once the mount is usable
     * @param progress told what the node waits for, while it waits
     */
    public NodeVerticle(NodeBoot boot, Runnable ready, Consumer<String> progress) {
        this.boot = boot;
        this.config = boot.config();
        this.ready = ready;
        this.progress = progress;
    }

    @Override
    public Future<?> start() {
        return vertx.executeBlocking(() -> {
            node = Node.start(vertx, boot, progress);
            control = ControlServer.start(config.controlDir(), config.mountPoint(), node);
            node.unmounted().whenComplete((v, e) -> {
                LOG.log(System.Logger.Level.INFO, "{0} was unmounted; stopping", config.mountPoint());
                vertx.executeBlocking(() -> {
                    shutdown();
                    return null;
                }, false).onComplete(done -> vertx.close());
            });
            ready.run();
            return null;
        }, false);
    }

    /** Stops serving: removes the control socket, then unmounts and closes the node. Blocks; idempotent. */
    public synchronized void shutdown() {
        if (shutDown) {
            return;
        }
        shutDown = true;
        try {
            if (control != null) {
                control.close();
            }
        } catch (java.io.IOException e) {
            LOG.log(System.Logger.Level.WARNING, "removing the control socket failed", e);
        }
        if (node != null) {
            try {
                node.close();
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "stopping the node failed; the next mount recovers", e);
            }
        }
    }

    @Override
    public Future<?> stop() {
        return vertx.executeBlocking(() -> {
            shutdown();
            return null;
        }, false);
    }
}
