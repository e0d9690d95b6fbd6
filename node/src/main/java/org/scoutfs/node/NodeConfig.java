package org.scoutfs.node;

import java.nio.file.Path;
import java.time.Duration;

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
 */
public record NodeConfig(Path metaDevice, Path dataDevice, Path mountPoint, Duration commitInterval, int cacheBlocks,
                         boolean writebackCache, boolean posixAcl, Path controlDir) {
    public static final Path DEFAULT_CONTROL_DIR = Path.of("/run/scoutfs");

    public static NodeConfig defaults(Path metaDevice, Path mountPoint) {
        // without the writeback cache the kernel keeps attributes cached across stat() calls and
        // data reaches the node at write(); with it, small-file metadata work costs extra round trips
        return new NodeConfig(metaDevice, null, mountPoint, Duration.ofSeconds(10), 16384, false, true,
                DEFAULT_CONTROL_DIR);
    }

    public JsonObject toJson() {
        return new JsonObject().put("metaDevice", metaDevice.toString())
                .put("dataDevice", dataDevice == null ? null : dataDevice.toString())
                .put("mountPoint", mountPoint.toString()).put("commitIntervalMs", commitInterval.toMillis())
                .put("cacheBlocks", cacheBlocks).put("writebackCache", writebackCache).put("posixAcl", posixAcl)
                .put("controlDir", controlDir.toString());
    }

    public static NodeConfig fromJson(JsonObject j) {
        String data = j.getString("dataDevice");
        return new NodeConfig(Path.of(j.getString("metaDevice")), data == null ? null : Path.of(data),
                Path.of(j.getString("mountPoint")), Duration.ofMillis(j.getLong("commitIntervalMs", 10_000L)),
                j.getInteger("cacheBlocks", 16384), j.getBoolean("writebackCache", false),
                j.getBoolean("posixAcl", true), Path.of(j.getString("controlDir", DEFAULT_CONTROL_DIR.toString())));
    }

    public NodeConfig withDataDevice(Path p) {
        return new NodeConfig(metaDevice, p, mountPoint, commitInterval, cacheBlocks, writebackCache, posixAcl, controlDir);
    }

    public NodeConfig withCommitInterval(Duration d) {
        return new NodeConfig(metaDevice, dataDevice, mountPoint, d, cacheBlocks, writebackCache, posixAcl, controlDir);
    }

    public NodeConfig withWritebackCache(boolean b) {
        return new NodeConfig(metaDevice, dataDevice, mountPoint, commitInterval, cacheBlocks, b, posixAcl, controlDir);
    }

    public NodeConfig withPosixAcl(boolean b) {
        return new NodeConfig(metaDevice, dataDevice, mountPoint, commitInterval, cacheBlocks, writebackCache, b, controlDir);
    }

    public NodeConfig withControlDir(Path p) {
        return new NodeConfig(metaDevice, dataDevice, mountPoint, commitInterval, cacheBlocks, writebackCache, posixAcl, p);
    }
}
