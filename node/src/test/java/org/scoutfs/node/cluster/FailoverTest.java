package org.scoutfs.node.cluster;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scoutfs.node.NodeConfig;
import org.scoutfs.node.testing.NetLab;
import org.scoutfs.node.testing.NodeProcess;
import org.scoutfs.node.testing.ProcessCluster;
import org.scoutfs.node.testing.SuperWatcher;
import org.scoutfs.node.testing.Workload;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failures of real node processes in a three-node cluster (quorum 2), each node in a network
 * namespace of its own: a client killed, the leader killed under load, the leader frozen, the
 * leader cut off from the others, the leader unmounted, and a deposed leader that wakes up. In
 * each, the surviving mounts keep working, nothing they fsynced is lost, and the super block
 * copies never show a commit of an older term after one of a newer term (two servers committing).
 */
class FailoverTest {
    @TempDir
    Path dir;
    NetLab lab;
    ProcessCluster cluster;
    SuperWatcher supers;
    final List<Workload> loads = new ArrayList<>();

    @BeforeEach
    void lab() throws Exception {
        lab = NetLab.create(3);
    }

    void start(UnaryOperator<NodeConfig> tweak) throws Exception {
        cluster = ProcessCluster.start(Files.createDirectories(dir.resolve("cluster")), lab, 3, 2, tweak);
        supers = SuperWatcher.watch(cluster.volume());
    }

    @AfterEach
    void stop(org.junit.jupiter.api.TestInfo test) throws Exception {
        try {
            keepLogs(test.getTestMethod().orElseThrow().getName());
            for (Workload w : loads) {
                w.close();
            }
            if (supers != null) {
                supers.close();
            }
            if (cluster != null) {
                cluster.close();
            }
        } finally {
            lab.close();
        }
    }

    private Workload load(int node, String name) throws Exception {
        Workload w = Workload.start(cluster.mount(node), name);
        loads.add(w);
        return w;
    }

    private static List<Integer> others(int not) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            if (i != not) {
                out.add(i);
            }
        }
        return out;
    }

    /** Stops the loads and checks what each made durable, through every live mount given. */
    private void verifyLoads(List<Integer> through) throws Exception {
        for (Workload w : loads) {
            w.close();
        }
        for (Workload w : loads) {
            List<String> durable = w.durable();
            assertThat(durable).as("the load made progress").isNotEmpty();
            for (int m : through) {
                assertThat(w.verifyThrough(cluster.mount(m), durable)).as("what was fsynced, seen through mount " + m)
                        .isEmpty();
            }
        }
        assertThat(supers.termsOutOfOrder()).as("no commit of an older term after a newer one; terms seen "
                + supers.terms()).isEmpty();
    }

    private void await(Workload w, long since, String what) throws InterruptedException {
        long done = w.awaitProgressAfter(since, 60_000);
        assertThat(done).as(what + "\n" + cluster.logs()).isPositive();
        System.out.printf("%s: %d ms%n", what, (done - since) / 1_000_000);
    }

    @Test
    void aKilledClientIsFencedAndReclaimedWhileTheOthersWork() throws Exception {
        start(c -> c);
        int leader = cluster.leader();
        int victim = others(leader).getFirst();
        int survivor = others(leader).get(1);
        Path victimDir = Files.createDirectories(cluster.mount(victim).resolve("victim"));
        for (int i = 0; i < 20; i++) {
            Files.writeString(victimDir.resolve("f" + i), "committed " + i);
        }
        new ProcessBuilder("sync", victimDir.toString()).inheritIO().start().waitFor();
        Files.writeString(victimDir.resolve("unsynced"), "may be lost");
        Workload a = load(leader, "leader-load");
        Workload b = load(survivor, "survivor-load");

        long killed = System.nanoTime();
        cluster.node(victim).kill();
        // the victim held the write lock of its directory: another mount gets it once the
        // victim is declared gone (fenced, and its log tree and locks reclaimed)
        Files.writeString(cluster.mount(survivor).resolve("victim/after"), "written after the kill");
        System.out.printf("a killed client's lock was free again after %d ms%n", (System.nanoTime() - killed) / 1_000_000);
        for (int i = 0; i < 20; i++) {
            assertThat(Files.readString(cluster.mount(survivor).resolve("victim/f" + i))).isEqualTo("committed " + i);
        }
        await(a, System.nanoTime(), "the leader's load goes on");
        await(b, System.nanoTime(), "the other client's load goes on");
        assertThat(a.failures()).isEmpty();
        assertThat(b.failures()).isEmpty();

        NodeProcess again = cluster.startNode(victim);
        assertThat(again.isAlive()).isTrue();
        for (int i = 0; i < 20; i++) {
            assertThat(Files.readString(cluster.mount(victim).resolve("victim/f" + i))).isEqualTo("committed " + i);
        }
        assertThat(Files.readString(cluster.mount(victim).resolve("victim/after"))).isEqualTo("written after the kill");
        verifyLoads(List.of(0, 1, 2));
    }

    @Test
    void aKilledLeaderIsReplacedAndNothingFsyncedIsLost() throws Exception {
        start(c -> c);
        int leader = cluster.leader();
        long term = cluster.newestElectedTerm();
        List<Integer> survivors = others(leader);
        Workload a = load(survivors.get(0), "load-a");
        Workload b = load(survivors.get(1), "load-b");
        Thread.sleep(2000);

        long killed = System.nanoTime();
        cluster.node(leader).kill();
        int next = cluster.awaitNewLeader(term, leader, Duration.ofSeconds(60));
        System.out.printf("node %d elected %d ms after the kill%n", next, (System.nanoTime() - killed) / 1_000_000);
        await(a, killed, "first request served to mount " + survivors.get(0) + " after the leader's kill");
        await(b, killed, "first request served to mount " + survivors.get(1) + " after the leader's kill");
        Thread.sleep(1000);
        verifyLoads(survivors);
        assertThat(a.failures()).as("the failover is invisible to the load").isEmpty();
        assertThat(b.failures()).as("the failover is invisible to the load").isEmpty();

        cluster.startNode(leader);
        verifyLoads(List.of(0, 1, 2));
    }

    @Test
    void aFrozenLeaderIsFencedAndReplaced() throws Exception {
        start(c -> c);
        int leader = cluster.leader();
        long term = cluster.newestElectedTerm();
        List<Integer> survivors = others(leader);
        Workload a = load(survivors.get(0), "load-a");
        Thread.sleep(1000);

        long frozen = System.nanoTime();
        cluster.node(leader).freeze();
        int next = cluster.awaitNewLeader(term, leader, Duration.ofSeconds(60));
        System.out.printf("node %d elected %d ms after the leader froze%n", next, (System.nanoTime() - frozen) / 1_000_000);
        assertThat(cluster.node(leader).awaitExit(30)).as("the frozen leader was fenced: its process is gone\n"
                + cluster.logs()).isTrue();
        await(a, frozen, "first request served after the leader froze");
        verifyLoads(survivors);
        assertThat(a.failures()).isEmpty();
    }

    @Test
    void aLeaderCutOffStepsDownAndTheMajorityGoesOn() throws Exception {
        start(c -> c);
        int leader = cluster.leader();
        long term = cluster.newestElectedTerm();
        List<Integer> majority = others(leader);
        Workload a = load(majority.get(0), "load-a");
        Thread.sleep(1000);

        long cut = System.nanoTime();
        lab.cut(leader);
        int next = cluster.awaitNewLeader(term, leader, Duration.ofSeconds(60));
        System.out.printf("node %d elected %d ms after the leader was cut off%n", next, (System.nanoTime() - cut) / 1_000_000);
        await(a, cut, "first request served to the majority after the leader was cut off");
        // the cut-off node can reach no server: its mount is declared gone and fenced
        assertThat(cluster.node(leader).awaitExit(60)).as("the cut-off node was fenced\n" + cluster.logs()).isTrue();
        lab.heal(leader);
        assertThat(Files.readString(logOf(leader))).as("the cut-off leader stepped down on its own")
                .contains("stops leading term " + term);
        verifyLoads(majority);
        cluster.startNode(leader);
        verifyLoads(List.of(0, 1, 2));
    }

    @Test
    void anUnmountedLeaderHandsOverWithoutErrors() throws Exception {
        start(c -> c);
        int leader = cluster.leader();
        long term = cluster.newestElectedTerm();
        List<Integer> survivors = others(leader);
        Workload a = load(survivors.get(0), "load-a");
        Workload b = load(survivors.get(1), "load-b");
        Thread.sleep(1000);

        long gone = System.nanoTime();
        cluster.node(leader).unmount();
        cluster.awaitNewLeader(term, leader, Duration.ofSeconds(30));
        await(a, gone, "first request served after the leader unmounted");
        await(b, gone, "first request served after the leader unmounted");
        verifyLoads(survivors);
        assertThat(a.failures()).isEmpty();
        assertThat(b.failures()).isEmpty();
    }

    @Test
    void aDeposedLeaderThatWakesUpRefusesToCommitAndGivesUp() throws Exception {
        // a fence command that fences nothing (never do this outside a test): the frozen leader
        // stays alive, so only the servers' check of the elected terms keeps it from committing.
        // That check cannot stop a commit that was past it when the process froze (only a real
        // fence does), so the leader is frozen while the volume is idle.
        Path record = dir.resolve("fenced.txt");
        Path fence = dir.resolve("fence-nothing.sh");
        Files.writeString(fence, "#!/bin/sh\necho \"$SCOUTFS_FENCE_PID $SCOUTFS_FENCE_REASON\" >> " + record + "\nexit 0\n");
        Files.setPosixFilePermissions(fence, PosixFilePermissions.fromString("rwxr-xr-x"));
        start(c -> c.withCluster(c.cluster().withFenceCommand(fence.toString())));
        int leader = cluster.leader();
        long term = cluster.newestElectedTerm();
        List<Integer> survivors = others(leader);
        Files.writeString(cluster.mount(leader).resolve("before"), "committed before the freeze");
        new ProcessBuilder("sync", cluster.mount(leader).toString()).inheritIO().start().waitFor();
        Thread.sleep(3000); // every node has committed what it had

        cluster.node(leader).freeze();
        cluster.awaitNewLeader(term, leader, Duration.ofSeconds(60));
        Workload a = load(survivors.get(0), "load-a");
        await(a, System.nanoTime(), "the new leader serves");
        assertThat(Files.readString(record)).as("the new leader asked the fence command to fence the old one")
                .contains(Long.toString(cluster.node(leader).pid()));
        cluster.node(leader).thaw();
        // awake, it finds its lease long gone and a newer term elected: it stops serving without
        // another commit, and learns from the new server that its mount was declared gone meanwhile
        assertThat(cluster.node(leader).awaitExit(60)).as("the woken leader gave its fenced mount up\n"
                + cluster.logs()).isTrue();
        String log = Files.readString(logOf(leader));
        assertThat(log).as("the woken leader stopped serving its term").contains("server of term " + term + " stopped");
        assertThat(log).as("the woken leader's mount was given up").contains("was declared gone by the server");
        cluster.startNode(leader);
        Path again = cluster.mount(leader).resolve("written-after-restart");
        Files.writeString(again, "a new mount of the old leader's node");
        assertThat(Files.readString(cluster.mount(survivors.get(1)).resolve("written-after-restart")))
                .isEqualTo("a new mount of the old leader's node");
        assertThat(Files.readString(cluster.mount(leader).resolve("before"))).isEqualTo("committed before the freeze");
        verifyLoads(List.of(0, 1, 2));
    }

    @Test
    void aMountThatLostTheQuorumFailsWithEioAndGoesOnOnceItIsBack() throws Exception {
        start(c -> c.withCluster(c.cluster().withServerWait(Duration.ofSeconds(5))));
        int leader = cluster.leader();
        int other = others(leader).getFirst();
        int survivor = others(leader).get(1);
        Path theirs = Files.createDirectories(cluster.mount(other).resolve("theirs"));
        Files.writeString(theirs.resolve("f"), "written by another node");
        Files.writeString(cluster.mount(survivor).resolve("mine"), "written by the survivor");
        new ProcessBuilder("sync", cluster.mount(other).toString()).inheritIO().start().waitFor();
        new ProcessBuilder("sync", cluster.mount(survivor).toString()).inheritIO().start().waitFor();

        cluster.node(leader).kill();
        cluster.node(other).kill();
        // one vote of the two a server needs: nobody may serve, and what needs a lock this node
        // does not hold fails once server_wait_s has passed, rather than hanging or diverging
        long lost = System.nanoTime();
        Path survivors = cluster.mount(survivor);
        var read = CompletableFuture.supplyAsync(() -> failure(
                () -> Files.readString(survivors.resolve("theirs/f"))));
        var write = CompletableFuture.supplyAsync(() -> failure(
                () -> Files.writeString(survivors.resolve("theirs/g"), "x")));
        assertThat(read.get(60, TimeUnit.SECONDS)).as("a read needing a lock\n" + cluster.logs())
                .contains("Input/output error");
        assertThat(write.get(60, TimeUnit.SECONDS)).as("a create needing a lock")
                .contains("Input/output error");
        System.out.printf("operations failed %d ms after the quorum was lost%n", (System.nanoTime() - lost) / 1_000_000);
        assertThat(cluster.node(survivor).isAlive()).isTrue();

        cluster.startNode(other); // two votes again: a leader is elected, and the survivor reconnects
        assertThat(Files.readString(survivors.resolve("theirs/f"))).isEqualTo("written by another node");
        Files.writeString(survivors.resolve("theirs/g"), "written once the quorum was back");
        assertThat(Files.readString(cluster.mount(other).resolve("theirs/g")))
                .isEqualTo("written once the quorum was back");
        assertThat(Files.readString(cluster.mount(other).resolve("mine"))).isEqualTo("written by the survivor");
        cluster.startNode(leader);
        assertThat(Files.readString(cluster.mount(leader).resolve("theirs/g")))
                .isEqualTo("written once the quorum was back");
    }

    private interface Io {
        Object run() throws IOException;
    }

    /** The message of the IOException {@code io} fails with; the test fails if it succeeds. */
    private static String failure(Io io) {
        try {
            io.run();
            return "succeeded";
        } catch (IOException e) {
            return e.toString();
        }
    }

    /** The nodes' logs stay in target/failover-logs/TEST after the test's directory is gone. */
    private void keepLogs(String test) throws Exception {
        Path dest = Files.createDirectories(Path.of("target/failover-logs", test));
        if (Files.isDirectory(dir.resolve("cluster"))) {
            try (var s = Files.list(dir.resolve("cluster"))) {
                for (Path p : s.filter(f -> f.getFileName().toString().endsWith(".log")).toList()) {
                    Files.copy(p, dest.resolve(p.getFileName()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    private Path logOf(int node) throws Exception {
        try (var s = Files.list(dir.resolve("cluster"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("node" + node + "-")).sorted().findFirst()
                    .orElseThrow();
        }
    }
}
