package org.scoutfs.cli.online;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.scoutfs.cli.CliException;
import org.scoutfs.node.NodeConfig;
import org.scoutfs.node.NodeMain;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code scoutfs mount}: starts a node process that mounts the volume and serves it until it is
 * unmounted ({@code umount MNT} or {@code fusermount3 -u MNT}); returns once the mount is usable.
 */
@Command(name = "mount", mixinStandardHelpOptions = true,
        description = {"Mount the scoutfs volume on DEV at MNT through FUSE. A node process serves the mount until "
                + "it is unmounted with umount(8) or fusermount3 -u; this command returns once the mount is usable.",
            "Options (-o, comma-separated): data_dev=PATH (separate data device); server_addr=HOST:PORT (this "
                    + "node's cluster address: the volume's nodes find each other through the addresses their quorum "
                    + "slots record; without it the node mounts the volume alone); peer=HOST:PORT (another node to "
                    + "join, repeatable); noquorum (do not take a quorum slot: mount without a vote); "
                    + "quorum_heartbeat_timeout_ms=N (how long a silent leader is waited for, default 2500); "
                    + "mount_timeout_s=N (how long to wait for a quorum, default 60); server_wait_s=N (how long "
                    + "operations wait for a server before failing, default 60); fence_command=PATH (the program "
                    + "that fences nodes, instead of killing their processes on this host); commit_interval_ms=N, cache_blocks=N, acl, noacl, writeback_cache, "
                    + "nowriteback_cache, log=PATH (node log, default /var/log/scoutfs/...)."})
public final class MountCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = {"-o", "--options"}, paramLabel = "OPTS", description = "Mount options, comma-separated.")
    List<String> options = new ArrayList<>();

    @Option(names = {"-f", "--foreground"}, description = "Serve the mount in this process until it is unmounted.")
    boolean foreground;

    @Parameters(index = "0", paramLabel = "DEV", description = "The volume's device or file.")
    Path device;

    @Parameters(index = "1", paramLabel = "MNT", description = "The directory to mount on.")
    Path mountPoint;

    @Override
    public Integer call() throws Exception {
        if (!Files.exists(device)) {
            throw new CliException(device + ": no such file or device");
        }
        if (!Files.isDirectory(mountPoint)) {
            throw new CliException("mount point " + mountPoint + " is not a directory");
        }
        NodeConfig config = NodeConfig.defaults(device.toAbsolutePath(), mountPoint.toAbsolutePath());
        NodeConfig.Cluster cluster = config.cluster();
        List<String> peers = new ArrayList<>();
        Path log = null;
        for (String group : options) {
            for (String opt : group.split(",")) {
                if (opt.isBlank()) {
                    continue;
                }
                String[] kv = opt.split("=", 2);
                String value = kv.length == 2 ? kv[1] : null;
                switch (kv[0]) {
                    case "data_dev" -> config = config.withDataDevice(Path.of(required(kv[0], value)).toAbsolutePath());
                    case "server_addr" -> cluster = cluster.withServerAddr(address(kv[0], value));
                    case "peer" -> peers.add(address(kv[0], value));
                    case "noquorum" -> cluster = cluster.withQuorumSlot(false);
                    case "quorum_heartbeat_timeout_ms" -> {
                        long ms = positive(kv[0], value);
                        if (ms < 500 || ms > 60_000) {
                            throw new CliException("mount option quorum_heartbeat_timeout_ms must be 500..60000, not " + ms);
                        }
                        cluster = cluster.withHeartbeatTimeout(Duration.ofMillis(ms));
                    }
                    case "mount_timeout_s" -> cluster = cluster.withMountTimeout(Duration.ofSeconds(positive(kv[0], value)));
                    case "server_wait_s" -> cluster = cluster.withServerWait(Duration.ofSeconds(positive(kv[0], value)));
                    case "fence_command" -> {
                        Path cmd = Path.of(required(kv[0], value)).toAbsolutePath();
                        if (!Files.isExecutable(cmd)) {
                            throw new CliException("fence_command " + cmd + " is not an executable file");
                        }
                        cluster = cluster.withFenceCommand(cmd.toString());
                    }
                    case "commit_interval_ms" -> config = config.withCommitInterval(Duration.ofMillis(positive(kv[0], value)));
                    case "cache_blocks" -> config = config.withCacheBlocks((int) Math.min(Integer.MAX_VALUE,
                            positive(kv[0], value)));
                    case "acl" -> config = config.withPosixAcl(true);
                    case "noacl" -> config = config.withPosixAcl(false);
                    case "writeback_cache" -> config = config.withWritebackCache(true);
                    case "nowriteback_cache" -> config = config.withWritebackCache(false);
                    case "log" -> log = Path.of(required(kv[0], value));
                    case "rw", "defaults", "dev", "suid", "exec", "auto", "nouser", "async" -> {
                        // mount(8) passes these; they are how a FUSE mount behaves anyway
                    }
                    default -> throw new CliException("unknown mount option '" + opt + "'");
                }
            }
        }
        if (!peers.isEmpty()) {
            if (!cluster.clustered()) {
                throw new CliException("mount option peer needs server_addr: a node joins others at its own address");
            }
            cluster = cluster.withPeers(peers);
        }
        config = config.withCluster(cluster);
        String control = System.getenv("SCOUTFS_CONTROL_DIR");
        if (control != null && !control.isEmpty()) {
            config = config.withControlDir(Path.of(control));
        }
        if (foreground) {
            NodeMain.main(new String[] {config.toJson().encode()});
            return 0;
        }
        return spawn(config, log != null ? log : defaultLog(mountPoint));
    }

    private static String required(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new CliException("mount option " + name + " needs a value");
        }
        return value;
    }

    /** A cluster address, HOST:PORT (or HOST, for the default port), checked here so a typo fails before the node starts. */
    private static String address(String name, String value) {
        String v = required(name, value);
        try {
            org.scoutfs.node.membership.ClusterSetup.HostPort hp = org.scoutfs.node.membership.ClusterSetup.HostPort.parse(v,
                    org.scoutfs.node.membership.ClusterSetup.DEFAULT_PORT);
            if (hp.host().isEmpty()) {
                throw new IllegalArgumentException("no host");
            }
            java.net.InetAddress.getByName(hp.host());
            return hp.toString();
        } catch (IllegalArgumentException | java.net.UnknownHostException e) {
            throw new CliException("mount option " + name + "=" + v + " is not a usable HOST:PORT: " + e.getMessage());
        }
    }

    private static long positive(String name, String value) {
        try {
            long v = Long.parseLong(required(name, value));
            if (v <= 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new CliException("mount option " + name + " needs a positive number, not '" + value + "'");
        }
    }

    private static Path defaultLog(Path mountPoint) {
        String name = mountPoint.toAbsolutePath().normalize().toString().replace('/', '_');
        Path dir = Path.of("/var/log/scoutfs");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            dir = Path.of(System.getProperty("java.io.tmpdir"));
        }
        return dir.resolve("mount" + name + ".log");
    }

    /**
     * Starts the node in its own session (so a closing terminal does not end it) and waits for
     * "ready", passing on what the node says it waits for meanwhile.
     */
    private int spawn(NodeConfig config, Path log) throws IOException, InterruptedException {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of("setsid", java));
        cmd.addAll(NodeMain.JVM_FLAGS);
        cmd.addAll(List.of("-XX:+UseG1GC", "-cp", System.getProperty("java.class.path"), NodeMain.class.getName(),
                config.toJson().encode()));
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        java.io.PrintWriter err = spec.commandLine().getErr();
        CompletableFuture<String> ready = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    if (!l.startsWith("status: ")) {
                        return l;
                    }
                    err.println("scoutfs: mount: " + l.substring("status: ".length()));
                    err.flush();
                }
                return null;
            } catch (IOException e) {
                return null;
            }
        });
        Duration readyTimeout = config.cluster().mountTimeout().plusMinutes(1);
        String line;
        try {
            line = ready.get(readyTimeout.toSeconds(), TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            p.toHandle().destroy();
            throw new CliException("the node did not mount " + mountPoint + " within " + readyTimeout.toSeconds()
                    + " s; see " + log);
        } catch (java.util.concurrent.ExecutionException e) {
            line = null;
        }
        if (!"ready".equals(line)) {
            p.waitFor(10, TimeUnit.SECONDS);
            throw new CliException("mounting " + device + " on " + mountPoint + " failed: " + lastError(log)
                    + " (log: " + log + ")");
        }
        return 0;
    }

    private static String lastError(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (lines.get(i).startsWith("scoutfs: mount failed: ")) {
                    return lines.get(i).substring("scoutfs: mount failed: ".length());
                }
            }
            return lines.isEmpty() ? "the node exited without a word" : lines.getLast();
        } catch (IOException e) {
            return "the node exited";
        }
    }
}
