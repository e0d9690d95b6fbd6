package org.scoutfs.node;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * How to run one node: which volume, where to mount it, and the mount options.
 *
 * @param metaDevice     the volume's device or file
 * @param dataDevice     its separate data device, or null
 * @param mountPoint     the directory to mount on
 * @param commitInterval how often dirty changes are committed without being asked
 * @param cacheBlocks    metadata blocks cached in memory
 * @param writebackCache let the kernel cache writes (coherent while only this node writes a file)
 * @param posixAcl       store, inherit and enforce POSIX ACLs
 * @param controlDir     where the node's control socket goes
 * @param cluster        how the node finds and joins the other nodes of the volume
 */
public record NodeConfig(Path metaDevice, Path dataDevice, Path mountPoint, Duration commitInterval, int cacheBlocks,
                         boolean writebackCache, boolean posixAcl, Path controlDir, Cluster cluster) {
    public static final Path DEFAULT_CONTROL_DIR = Path.of("/run/scoutfs");

    /**
     * @param serverAddr       this node's cluster address (host:port); empty for a node alone on its
     *                         volume, which then needs no network and takes the device to itself
     * @param peers            cluster addresses to join besides those the quorum slots record
     * @param quorumSlot       take a quorum slot (and vote) if one is free
     * @param heartbeatTimeout how long members wait for a silent leader before they elect another
     * @param mountTimeout     how long mounting waits for a server (a quorum) before it fails
     * @param serverWait       how long a mounted node's operations wait for a server before they fail
     * @param fenceCommand     the program that fences nodes on other hosts, or empty for none
     */
    public record Cluster(String serverAddr, List<String> peers, boolean quorumSlot, Duration heartbeatTimeout,
                          Duration mountTimeout, Duration serverWait, String fenceCommand) {
        public Cluster {
            peers = List.copyOf(peers);
        }

        public static Cluster defaults() {
            return new Cluster("", List.of(), true, Duration.ofMillis(2500), Duration.ofSeconds(60),
                    Duration.ofSeconds(60), "");
        }

        public boolean clustered() {
            return !serverAddr.isEmpty();
        }

        public Cluster withServerAddr(String a) {
            return new Cluster(a, peers, quorumSlot, heartbeatTimeout, mountTimeout, serverWait, fenceCommand);
        }

        public Cluster withPeers(List<String> p) {
            return new Cluster(serverAddr, p, quorumSlot, heartbeatTimeout, mountTimeout, serverWait, fenceCommand);
        }

        public Cluster withQuorumSlot(boolean b) {
            return new Cluster(serverAddr, peers, b, heartbeatTimeout, mountTimeout, serverWait, fenceCommand);
        }

        public Cluster withHeartbeatTimeout(Duration d) {
            return new Cluster(serverAddr, peers, quorumSlot, d, mountTimeout, serverWait, fenceCommand);
        }

        public Cluster withMountTimeout(Duration d) {
            return new Cluster(serverAddr, peers, quorumSlot, heartbeatTimeout, d, serverWait, fenceCommand);
        }

        public Cluster withServerWait(Duration d) {
            return new Cluster(serverAddr, peers, quorumSlot, heartbeatTimeout, mountTimeout, d, fenceCommand);
        }

        public Cluster withFenceCommand(String c) {
            return new Cluster(serverAddr, peers, quorumSlot, heartbeatTimeout, mountTimeout, serverWait, c);
        }

        JsonObject toJson() {
            return new JsonObject().put("serverAddr", serverAddr).put("peers", new JsonArray(peers))
                    .put("quorumSlot", quorumSlot).put("heartbeatTimeoutMs", heartbeatTimeout.toMillis())
                    .put("mountTimeoutMs", mountTimeout.toMillis()).put("serverWaitMs", serverWait.toMillis())
                    .put("fenceCommand", fenceCommand);
        }

        static Cluster fromJson(JsonObject j) {
            Cluster d = defaults();
            if (j == null) {
                return d;
            }
            JsonArray p = j.getJsonArray("peers", new JsonArray());
            return new Cluster(j.getString("serverAddr", ""), p.stream().map(Object::toString).toList(),
                    j.getBoolean("quorumSlot", true),
                    Duration.ofMillis(j.getLong("heartbeatTimeoutMs", d.heartbeatTimeout().toMillis())),
                    Duration.ofMillis(j.getLong("mountTimeoutMs", d.mountTimeout().toMillis())),
                    Duration.ofMillis(j.getLong("serverWaitMs", d.serverWait().toMillis())),
                    j.getString("fenceCommand", ""));
        }
    }

    public static NodeConfig defaults(Path metaDevice, Path mountPoint) {
        // without the writeback cache the kernel keeps attributes cached across stat() calls and
        // data reaches the node at write(); with it, small-file metadata work costs extra round trips
        return new NodeConfig(metaDevice, null, mountPoint, Duration.ofSeconds(10), 16384, false, true,
                DEFAULT_CONTROL_DIR, Cluster.defaults());
    }

    public JsonObject toJson() {
        return new JsonObject().put("metaDevice", metaDevice.toString())
                .put("dataDevice", dataDevice == null ? null : dataDevice.toString())
                .put("mountPoint", mountPoint.toString()).put("commitIntervalMs", commitInterval.toMillis())
                .put("cacheBlocks", cacheBlocks).put("writebackCache", writebackCache).put("posixAcl", posixAcl)
                .put("controlDir", controlDir.toString()).put("cluster", cluster.toJson());
    }

    public static NodeConfig fromJson(JsonObject j) {
        String data = j.getString("dataDevice");
        return new NodeConfig(Path.of(j.getString("metaDevice")), data == null ? null : Path.of(data),
                Path.of(j.getString("mountPoint")), Duration.ofMillis(j.getLong("commitIntervalMs", 10_000L)),
                j.getInteger("cacheBlocks", 16384), j.getBoolean("writebackCache", false),
                j.getBoolean("posixAcl", true), Path.of(j.getString("controlDir", DEFAULT_CONTROL_DIR.toString())),
                Cluster.fromJson(j.getJsonObject("cluster")));
    }

    public NodeConfig withDataDevice(Path p) {
        return new NodeConfig(metaDevice, p, mountPoint, commitInterval, cacheBlocks, writebackCache, posixAcl,
                controlDir, cluster);
    }

    public NodeConfig withCommitInterval(Duration d) {
        return new NodeConfig(metaDevice, dataDevice, mountPoint, d, cacheBlocks, writebackCache, posixAcl, controlDir,
                cluster);
    }

    public NodeConfig withCacheBlocks(int n) {
        return new NodeConfig(metaDevice, dataDevice, mountPoint, commitInterval, n, writebackCache, posixAcl,
                controlDir, cluster);
    }

    public NodeConfig withWritebackCache(boolean b) {
        return new NodeConfig(metaDevice, dataDevice, mountPoint, commitInterval, cacheBlocks, b, posixAcl, controlDir,
                cluster);
    }

    public NodeConfig withPosixAcl(boolean b) {
        return new NodeConfig(metaDevice, dataDevice, mountPoint, commitInterval, cacheBlocks, writebackCache, b,
                controlDir, cluster);
    }

    public NodeConfig withControlDir(Path p) {
        return new NodeConfig(metaDevice, dataDevice, mountPoint, commitInterval, cacheBlocks, writebackCache, posixAcl,
                p, cluster);
    }

    public NodeConfig withCluster(Cluster c) {
        return new NodeConfig(metaDevice, dataDevice, mountPoint, commitInterval, cacheBlocks, writebackCache, posixAcl,
                controlDir, c);
    }
}
