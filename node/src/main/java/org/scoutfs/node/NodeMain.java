package org.scoutfs.node;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import io.vertx.core.Deployable;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;

/**
 * Entry point of a node process, started by {@code scoutfs mount} or directly: the Vert.x
 * launcher with {@link NodeVerticle} as the main verticle, clustered over Hazelcast when the node
 * has a cluster address. The node's configuration comes as JSON, either as the only argument or,
 * as the launcher takes it, with {@code -conf FILE-OR-JSON}.
 *
 * <p>While it waits for a quorum or a server the node prints {@code status: ...} lines on standard
 * output; once mounted it prints {@code ready} and closes standard output, so whoever started it
 * knows the mount is usable. The process ends when the filesystem is unmounted or the process is
 * asked to stop (SIGTERM unmounts cleanly).
 */
public final class NodeMain {
    private NodeMain() {
    }

    /** What every node JVM needs: FFM for /dev/fuse, and the module access Hazelcast asks for. */
    public static final List<String> JVM_FLAGS = List.of("--enable-native-access=ALL-UNNAMED",
            "--add-modules", "java.se", "--add-exports", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED", "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.management/sun.management=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED");

    public static void main(String[] args) {
        NodeConfig config;
        try {
            config = NodeConfig.fromJson(configJson(args));
        } catch (RuntimeException e) {
            System.err.println("usage: NodeMain CONFIG-JSON | NodeMain -conf FILE-OR-JSON (" + e.getMessage() + ")");
            System.exit(2);
            return;
        }
        NodeBoot boot;
        try {
            boot = NodeBoot.prepare(config);
        } catch (RuntimeException e) {
            System.err.println("scoutfs: mount failed: " + (e.getMessage() == null ? e : e.getMessage()));
            System.exit(1);
            return;
        }
        NodeVerticle main = new NodeVerticle(boot, NodeMain::announceReady, NodeMain::announceProgress);
        VertxApplicationHooks hooks = new VertxApplicationHooks() {
            @Override
            public VertxBuilder createVertxBuilder(VertxOptions options) {
                return boot.vertxBuilder(options);
            }

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
            public void afterFailureToStartVertx(HookContext context, Throwable t) {
                System.err.println("scoutfs: mount failed: cannot join the cluster at " + boot.bind() + ": "
                        + (t.getMessage() == null ? t : t.getMessage()));
            }

            @Override
            public void afterFailureToDeployVerticle(HookContext context, Throwable t) {
                System.err.println("scoutfs: mount failed: " + (t.getMessage() == null ? t : t.getMessage()));
            }
        };
        String[] launcherArgs = boot.clustered() ? new String[] {NodeVerticle.class.getName(), "-cluster"}
                : new String[] {NodeVerticle.class.getName()};
        int status = new VertxApplication(launcherArgs, hooks).launch();
        if (status != 0) {
            System.exit(status);
        }
    }

    private static JsonObject configJson(String[] args) throws RuntimeException {
        String text;
        if (args.length == 1) {
            text = args[0];
        } else if (args.length == 2 && (args[0].equals("-conf") || args[0].equals("--conf"))) {
            text = args[1];
            if (!text.trim().startsWith("{")) {
                try {
                    text = Files.readString(Path.of(text));
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("cannot read " + args[1] + ": " + e.getMessage());
                }
            }
        } else {
            throw new IllegalArgumentException("expected one configuration");
        }
        return new JsonObject(text);
    }

    private static synchronized void announceProgress(String what) {
        System.out.println("status: " + what);
        System.out.flush();
    }

    private static synchronized void announceReady() {
        System.out.println("ready");
        System.out.flush();
        System.out.close();
    }
}
