package org.scoutfs.node.cluster;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scoutfs.node.testing.NetLab;
import org.scoutfs.node.testing.ProcessCluster;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unmounting every node of a three-node cluster (quorum 2) one after another, as an operator
 * shutting the cluster down does, the leader first or last. Each node writes a file just before
 * its unmount, without fsync. The second node to go would leave a single vote behind, so it stays
 * (its mount gone, its vote still counted) until the last one unmounts; then all leave together,
 * every node exits cleanly, the volume records no mount, and every file is there when the volume
 * is mounted again.
 */
class UnmountTest {
    @TempDir
    Path dir;
    NetLab lab;
    ProcessCluster cluster;

    @BeforeEach
    void start() throws Exception {
        lab = NetLab.create(3);
        cluster = ProcessCluster.start(Files.createDirectories(dir.resolve("cluster")), lab, 3, 2, c -> c);
    }

    @AfterEach
    void stop() throws Exception {
        try {
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            lab.close();
        }
    }

    @ParameterizedTest(name = "leader first: {0}")
    @ValueSource(booleans = {true, false})
    void everyNodeUnmountsInTurnAndNothingIsLost(boolean leaderFirst) throws Exception {
        int leader = cluster.leader();
        assertThat(leader).isNotNegative();
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            if (i != leader) {
                order.add(i);
            }
        }
        order.add(leaderFirst ? 0 : order.size(), leader);

        for (int step = 0; step < 3; step++) {
            int n = order.get(step);
            Files.writeString(cluster.mount(n).resolve("last-words-" + n), "node " + n + " unmounts " + step);
            cluster.node(n).requestUnmount();
            if (step == 0) {
                cluster.node(n).awaitCleanExit(60); // two votes stay: it leaves at once
            } else if (step == 1) {
                Thread.sleep(3000);
                assertThat(cluster.node(n).isAlive()).as("the second node to unmount stays: the last mount needs "
                        + "its vote\n" + cluster.logs()).isTrue();
            }
        }
        for (int n : order) {
            cluster.node(n).awaitCleanExit(60);
        }
        assertThat(cluster.mountedClients()).as("a clean shutdown leaves no mount to recover").isEmpty();

        // a quorum of two: two nodes start together
        List<Exception> failed = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<Thread> starting = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            int n = i;
            starting.add(Thread.ofPlatform().start(() -> {
                try {
                    cluster.startNode(n);
                } catch (Exception e) {
                    failed.add(e);
                }
            }));
        }
        for (Thread t : starting) {
            t.join();
        }
        assertThat(failed).isEmpty();
        for (int step = 0; step < 3; step++) {
            int n = order.get(step);
            assertThat(Files.readString(cluster.mount(0).resolve("last-words-" + n)))
                    .isEqualTo("node " + n + " unmounts " + step);
        }
    }
}
