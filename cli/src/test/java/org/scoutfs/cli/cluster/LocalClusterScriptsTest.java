package org.scoutfs.cli.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scoutfs.node.testing.LocalCluster;

/**
 * The cluster test scripts on three mounts of one volume whose nodes share this JVM (one server,
 * two clients, one local event bus): consistency between mounts without any network in the way.
 * The same scripts run on nodes in their own processes and network namespaces in
 * {@link ProcessClusterTest}.
 */
class LocalClusterScriptsTest {
    @TempDir
    static Path dir;
    static LocalCluster cluster;

    @BeforeAll
    static void mount() throws Exception {
        cluster = LocalCluster.start(Files.createDirectories(dir.resolve("cluster")), 3, 2L << 30);
    }

    @AfterAll
    static void unmount() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"basic-posix-consistency", "dirent-consistency", "createmany-parallel-mounts",
        "lock-conflicts", "rename-races", "open-unlinked", "mmap-coherence", "walk-inodes-across"})
    void script(String name) throws Exception {
        List<Path> mounts = new ArrayList<>();
        for (int i = 0; i < cluster.size(); i++) {
            mounts.add(cluster.mount(i));
        }
        Path work = Files.createDirectories(dir.resolve("work-" + name));
        GoldenScripts.runAndCheck(name, mounts, cluster.controlDir(), work);
    }
}
