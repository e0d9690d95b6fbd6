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
import org.scoutfs.node.testing.NetLab;
import org.scoutfs.node.testing.ProcessCluster;

/**
 * The cluster test scripts on three node processes of one volume, each in a network namespace of
 * its own, joined by Hazelcast over their own addresses: the volume's cluster as three hosts
 * would run it.
 */
class ProcessClusterScriptsTest {
    @TempDir
    static Path dir;
    static NetLab lab;
    static ProcessCluster cluster;

    @BeforeAll
    static void start() throws Exception {
        lab = NetLab.create(3);
        cluster = ProcessCluster.start(Files.createDirectories(dir.resolve("cluster")), lab, 3, 2, c -> c);
    }

    @AfterAll
    static void stop() {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            if (lab != null) {
                lab.close();
            }
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
        try {
            GoldenScripts.runAndCheck(name, mounts, cluster.controlDir(), work);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\n" + cluster.logs(), e);
        }
    }
}
