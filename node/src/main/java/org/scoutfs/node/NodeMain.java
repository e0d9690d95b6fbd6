package org.scoutfs.node;

import java.util.function.Supplier;

import io.vertx.core.Deployable;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;

/**
 * Entry point of a node process, started by {@code scoutfs mount}: the Vert.x launcher with
 * {@link NodeVerticle} as the main verticle. The node's configuration comes as JSON in the first
 * argument. Once mounted it prints {@code ready} on standard output and closes it, so whoever
 * started it knows the mount is usable. The process ends when the filesystem is unmounted or the
 * process is asked to stop (SIGTERM unmounts cleanly).
 */
public final class NodeMain {
    private NodeMain() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: NodeMain CONFIG-JSON");
            System.exit(2);
        }
        NodeConfig config = NodeConfig.fromJson(new JsonObject(args[0]));
        NodeVerticle main = new NodeVerticle(config, NodeMain::announceReady);
        VertxApplicationHooks hooks = new VertxApplicationHooks() {
            @Override
            public Supplier<? extends Deployable> verticleSupplier() {
                return () -> main;
            }

            @Override
            public void beforeStoppingVertx(HookContext context) {
                // the node's last commit and farewell need the server verticles, which stopping Vert.x undeploys
                main.shutdown();
            }

            @Override
            public void afterFailureToDeployVerticle(HookContext context, Throwable t) {
                System.err.println("scoutfs: mount failed: " + (t.getMessage() == null ? t : t.getMessage()));
            }
        };
        int status = new VertxApplication(new String[] {NodeVerticle.class.getName()}, hooks).launch();
        if (status != 0) {
            System.exit(status);
        }
    }

    private static void announceReady() {
        System.out.println("ready");
        System.out.flush();
        System.out.close();
    }
}
