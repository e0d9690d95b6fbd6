package org.scoutfs.cli.cluster;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scoutfs.cli.CliTest.Run;
import org.scoutfs.node.testing.Mounts;
import org.scoutfs.node.testing.ProcessCluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scoutfs.cli.CliTest.scoutfs;

/**
 * The README's cluster as a user makes it, with the {@code scoutfs} command only: {@code mkfs -Q 2},
 * three {@code scoutfs mount -o server_addr=...,peer=...} at once on this machine's loopback,
 * {@code scoutfs cluster} showing the leader, a touch on one mount seen by {@code walk-inodes} on
 * another, then {@code umount} of every mount: each node process exits and the volume records no
 * mount.
 */
class CliClusterTest {
    @TempDir
    Path dir;
    final List<Path> mounts = new ArrayList<>();

    @AfterEach
    void unmount() throws Exception {
        for (Path m : mounts) {
            Mounts.forceUnmountIfMounted(m);
        }
    }

    /** A port free for both TCP (Hazelcast, the event bus) and UDP (the election) on loopback. */
    private static int freePort() throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        while (true) {
            try (ServerSocket tcp = new ServerSocket(0, 1, lo)) {
                int port = tcp.getLocalPort();
                try (DatagramSocket udp = new DatagramSocket(port, lo)) {
                    return port;
                } catch (IOException busy) {
                    // taken for UDP: try another
                }
            }
        }
    }

    @Test
    void threeMountsOfOneVolumeFromTheCommandLine() throws Exception {
        Path volume = dir.resolve("volume");
        try (RandomAccessFile f = new RandomAccessFile(volume.toFile(), "rw")) {
            f.setLength(1L << 30);
        }
        Run mkfs = scoutfs("mkfs", "-Q", "2", volume.toString());
        assertThat(mkfs.status()).as(mkfs.err()).isZero();

        List<String> addrs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            addrs.add("127.0.0.1:" + freePort());
            mounts.add(Files.createDirectories(dir.resolve("mnt" + i)));
        }
        List<CompletableFuture<Run>> mounting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            StringBuilder opts = new StringBuilder("server_addr=" + addrs.get(i));
            for (int j = 0; j < 3; j++) {
                if (j != i) {
                    opts.append(",peer=").append(addrs.get(j));
                }
            }
            opts.append(",log=").append(dir.resolve("node" + i + ".log"));
            String o = opts.toString();
            Path m = mounts.get(i);
            // each mount waits for the others (a quorum of two): they must run at once
            CompletableFuture<Run> r = new CompletableFuture<>();
            Thread.ofPlatform().name("mount-" + i).start(() -> r.complete(scoutfs("mount", "-o", o, volume.toString(),
                    m.toString())));
            mounting.add(r);
        }
        for (int i = 0; i < 3; i++) {
            Run r = mounting.get(i).get(180, TimeUnit.SECONDS);
            assertThat(r.status()).as("mount %d: %s\n%s", i, r.err(), logs()).isZero();
        }

        Run cluster = scoutfs("cluster", mounts.get(2).toString());
        assertThat(cluster.status()).as(cluster.err()).isZero();
        assertThat(cluster.out()).contains("quorum 2 slots 3").containsPattern("leader slot \\d mount [0-9a-f]{16} address "
                + "127\\.0\\.0\\.1:\\d+ term \\d+ server up");
        assertThat(cluster.out().lines().filter(l -> l.matches("\\d +[0-9a-f]{16} .*(leader|member)"))).hasSize(3);

        Files.createFile(mounts.get(0).resolve("one"));
        assertThat(scoutfs("sync", mounts.get(0).toString()).status()).isZero();
        long ino = (Long) Files.getAttribute(mounts.get(1).resolve("one"), "unix:ino");
        Run walk = scoutfs("walk-inodes", "meta_seq", "0", "-1", mounts.get(1).toString());
        assertThat(walk.status()).as(walk.err()).isZero();
        assertThat(walk.out().lines().map(String::trim).filter(l -> l.endsWith(" " + ino))).as(walk.out()).hasSize(1);

        for (Path m : mounts) {
            Process u = new ProcessBuilder("umount", m.toString()).inheritIO().start();
            assertThat(u.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(u.exitValue()).isZero();
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (nodesOf(volume) > 0 && System.nanoTime() < until) {
            Thread.sleep(100);
        }
        assertThat(nodesOf(volume)).as("every node exits once all are unmounted\n" + logs()).isZero();
        for (int i = 0; i < 3; i++) {
            assertThat(Files.readString(dir.resolve("node" + i + ".log"))).as("node %d's log", i)
                    .doesNotContain("SEVERE").doesNotContain("stopping the node failed");
        }
        assertThat(ProcessCluster.mountedClients(volume)).as("no mount left to recover\n" + logs()).isEmpty();
    }

    /** Node processes still serving {@code volume}, from their command lines in /proc. */
    private static long nodesOf(Path volume) throws IOException {
        String wanted = "\"metaDevice\":\"" + volume.toAbsolutePath() + "\"";
        long n = 0;
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : procs.filter(q -> q.getFileName().toString().chars().allMatch(Character::isDigit)).toList()) {
                String cmdline;
                try {
                    cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), java.nio.charset.StandardCharsets.UTF_8);
                } catch (IOException gone) {
                    continue;
                }
                if (cmdline.contains("org.scoutfs.node.NodeMain") && cmdline.contains(wanted)) {
                    n++;
                }
            }
        }
        return n;
    }

    private String logs() {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 3; i++) {
            try {
                b.append("== node ").append(i).append('\n').append(Files.readString(dir.resolve("node" + i + ".log")));
            } catch (IOException e) {
                b.append("== node ").append(i).append(": no log\n");
            }
        }
        return b.toString();
    }
}
