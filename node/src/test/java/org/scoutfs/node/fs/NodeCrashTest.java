package org.scoutfs.node.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scoutfs.lsm.block.FileBlockDevice;
import org.scoutfs.lsm.server.Mkfs;
import org.scoutfs.lsm.testing.Seeds;
import org.scoutfs.node.NodeConfig;
import org.scoutfs.node.testing.Mounts;
import org.scoutfs.node.testing.NodeProcess;
import org.scoutfs.node.testing.ScoutfsMount;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kills a node with SIGKILL in the middle of a create/write/rename/unlink load, mounts the volume
 * again and checks: every file whose fsync returned before the kill is there, whole; every
 * directory entry leads to an inode; files that were unlinked while open (orphans) are gone; and
 * meta_seq lists every inode exactly once.
 */
class NodeCrashTest {
    @TempDir
    Path dir;

    @Test
    void killedNodeLosesNothingThatWasFsynced() throws Exception {
        long seed = Seeds.seed();
        Seeds.run(seed, "node kill -9", () -> {
            Random random = new Random(seed);
            Path volume = dir.resolve("volume");
            try (FileChannel ch = FileChannel.open(volume, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.allocate(1), (2L << 30) - 1);
            }
            try (FileBlockDevice d = FileBlockDevice.open(volume, true)) {
                Mkfs.format(d, null, new Mkfs.Options(1, 0, false));
            }
            Path mnt = Files.createDirectories(dir.resolve("mnt"));
            Map<String, byte[]> durable = new HashMap<>();
            for (int round = 0; round < 3; round++) {
                NodeConfig config = NodeConfig.defaults(volume, mnt)
                        .withCommitInterval(java.time.Duration.ofMillis(200 + random.nextInt(800)));
                try (NodeProcess node = NodeProcess.start(config, dir.resolve("node-" + round + ".log"))) {
                    ConcurrentMap<String, byte[]> synced = new ConcurrentHashMap<>();
                    AtomicBoolean stop = new AtomicBoolean();
                    Thread[] workers = new Thread[3];
                    for (int w = 0; w < workers.length; w++) {
                        long workerSeed = random.nextLong();
                        Path home = Files.createDirectories(mnt.resolve("r" + round + "w" + w));
                        workers[w] = Thread.ofPlatform().start(() -> load(home, new Random(workerSeed), synced, stop));
                    }
                    Thread.sleep(1500 + random.nextInt(2500));
                    node.kill();
                    stop.set(true);
                    for (Thread t : workers) {
                        t.join(60_000);
                    }
                    node.awaitUnmounted();
                    assertThat(Mounts.isMounted(mnt)).as("the dead node's mount was removed").isFalse();
                    durable.putAll(synced);
                }
                try (ScoutfsMount m = ScoutfsMount.existing(volume, mnt)) {
                    check(m, durable);
                }
            }
            assertThat(durable).as("files fsynced before the kills").isNotEmpty();
        });
    }

    /** Creates, writes, renames and unlinks files; records files whose fsync returned and are never touched again. */
    private static void load(Path home, Random r, ConcurrentMap<String, byte[]> synced, AtomicBoolean stop) {
        int n = 0;
        try {
            while (!stop.get()) {
                n++;
                int op = r.nextInt(10);
                Path p = home.resolve("f" + r.nextInt(50));
                if (op < 3) {
                    byte[] data = new byte[r.nextInt(200_000)];
                    r.nextBytes(data);
                    Path keep = home.resolve("keep" + n);
                    try (FileChannel ch = FileChannel.open(keep, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                        ch.write(ByteBuffer.wrap(data));
                        ch.force(true);
                    }
                    synced.put(home.getFileName() + "/" + keep.getFileName(), data);
                } else if (op < 6) {
                    Files.write(p, new byte[r.nextInt(50_000)]);
                } else if (op < 8) {
                    if (Files.exists(p)) {
                        Files.move(p, home.resolve("f" + r.nextInt(50)), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    }
                } else if (op < 9) {
                    // unlinked while open: an orphan until closed, and the node may die before that
                    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                        ch.write(ByteBuffer.wrap(new byte[4096]));
                        Files.deleteIfExists(p);
                        ch.write(ByteBuffer.wrap(new byte[4096]));
                    }
                } else {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the node died under us
        }
    }

    private static void check(ScoutfsMount m, Map<String, byte[]> durable) throws IOException {
        Path root = m.root();
        for (Map.Entry<String, byte[]> e : durable.entrySet()) {
            Path p = root.resolve(e.getKey());
            assertThat(p).as("fsynced file %s", e.getKey()).exists();
            assertThat(Files.readAllBytes(p)).as("contents of fsynced file %s", e.getKey()).isEqualTo(e.getValue());
        }
        Set<Long> reachable = new HashSet<>();
        reachable.add(1L);
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                // every entry leads to an inode that stats
                reachable.add((Long) Files.getAttribute(p, "unix:ino", java.nio.file.LinkOption.NOFOLLOW_LINKS));
            }
        }
        ScoutFs fs = m.node().filesystem();
        fs.sync();
        Set<Long> indexed = new HashSet<>();
        long major = 0;
        long ino = 0;
        while (true) {
            ScoutFs.IndexPage page = fs.walkInodes(false, major, ino, -1L, -1L, 1000);
            for (ScoutFs.IndexEntry e : page.entries()) {
                assertThat(indexed.add(e.ino())).as("inode %d indexed twice", e.ino()).isTrue();
                major = e.major();
                ino = e.ino() + 1;
            }
            if (!page.more()) {
                break;
            }
        }
        assertThat(indexed).as("meta_seq lists exactly the reachable inodes (orphans were reclaimed)")
                .isEqualTo(reachable);
        assertThat(List.copyOf(indexed)).isNotEmpty();
    }
}
