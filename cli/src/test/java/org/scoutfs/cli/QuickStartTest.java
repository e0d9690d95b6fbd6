package org.scoutfs.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scoutfs.node.testing.ScoutfsMount;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's quick start, step 4, on a real mount: each walk of meta_seq shows every inode once,
 * at the sequence of the transaction that last changed it, in scoutfs's output format.
 */
class QuickStartTest {
    @TempDir
    Path dir;
    ScoutfsMount mount;

    @BeforeEach
    void mount() throws IOException {
        mount = ScoutfsMount.create(dir, 1L << 30);
    }

    @AfterEach
    void unmount() {
        mount.close();
    }

    /** walk-inodes output as ino → major, checking the format line by line. */
    private Map<Long, Long> walk(String index) {
        CliTest.Run r = CliTest.scoutfs("walk-inodes", index, "0", "-1", mount.root().toString());
        assertThat(r.status()).as(r.err()).isZero();
        Map<Long, Long> out = new LinkedHashMap<>();
        List<String> lines = r.out().lines().toList();
        long count = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (count % 25 == 0 && !line.startsWith(String.format("%-20d", count))) {
                assertThat(line).isEqualTo(String.format("%-20s %-20s %-10s %-20s", "#", "major", "minor", "ino"));
                continue;
            }
            String[] f = line.trim().split("\\s+");
            assertThat(line).isEqualTo(String.format("%-20d %-20s %-10d %-20s", count, f[1], 0, f[3]));
            assertThat(out.put(Long.parseLong(f[3]), Long.parseLong(f[1]))).as("inode listed twice").isNull();
            count++;
        }
        return out;
    }

    private static void touch(Path p) throws IOException {
        if (Files.exists(p)) {
            Files.setLastModifiedTime(p, FileTime.from(Instant.now()));
        } else {
            Files.createFile(p);
        }
    }

    private static void sync() throws IOException, InterruptedException {
        new ProcessBuilder("sync").inheritIO().start().waitFor();
    }

    private long ino(String name) throws IOException {
        return (Long) Files.getAttribute(mount.root().resolve(name), "unix:ino");
    }

    @Test
    void quickStartStepFour() throws Exception {
        Map<Long, Long> first = walk("meta_seq");
        assertThat(first).containsExactly(Map.entry(1L, 0L));

        touch(mount.root().resolve("one"));
        sync();
        Map<Long, Long> second = walk("meta_seq");
        long one = ino("one");
        assertThat(second).containsOnlyKeys(1L, one);
        long a = second.get(one);
        assertThat(second.get(1L)).as("the root changed with the create").isEqualTo(a);
        assertThat(a).isPositive();

        touch(mount.root().resolve("two"));
        sync();
        Map<Long, Long> third = walk("meta_seq");
        long two = ino("two");
        assertThat(third).containsOnlyKeys(1L, one, two);
        long b = third.get(two);
        assertThat(b).isGreaterThan(a);
        assertThat(third.get(one)).isEqualTo(a);
        assertThat(third.get(1L)).isEqualTo(b);
        assertThat(new ArrayList<>(third.keySet())).as("index order is by sequence").containsExactly(one, 1L, two);

        touch(mount.root().resolve("one"));
        sync();
        Map<Long, Long> fourth = walk("meta_seq");
        long c = fourth.get(one);
        assertThat(c).isGreaterThan(b);
        assertThat(fourth).containsEntry(1L, b).containsEntry(two, b);
        assertThat(new ArrayList<>(fourth.keySet())).containsExactly(1L, two, one);

        // data_seq lists regular files only
        assertThat(walk("data_seq")).containsOnlyKeys(one, two);
    }

    @Test
    void commandsOutsideAScoutfsMountSaySo() {
        CliTest.Run r = CliTest.scoutfs("walk-inodes", "meta_seq", "0", "-1", dir.toString());
        assertThat(r.status()).isEqualTo(1);
        assertThat(r.err()).contains("is not on a scoutfs mount");
        CliTest.Run sync = CliTest.scoutfs("sync", dir.toString());
        assertThat(sync.status()).isEqualTo(1);
        assertThat(sync.err()).startsWith("scoutfs: sync failed: ").contains("is not on a scoutfs mount");
        CliTest.Run bad = CliTest.scoutfs("walk-inodes", "size", "0", "-1", mount.root().toString());
        assertThat(bad.err()).contains("unknown index 'size'");
        CliTest.Run badPos = CliTest.scoutfs("walk-inodes", "meta_seq", "x.1", "-1", mount.root().toString());
        assertThat(badPos.err()).contains("invalid first position 'x.1'");
    }

    @Test
    void statDfAndStatfsReportTheVolume() throws Exception {
        Path f = mount.root().resolve("data");
        Files.write(f, new byte[100_000]);
        CliTest.Run sync = CliTest.scoutfs("sync", mount.root().toString());
        assertThat(sync.status()).as(sync.err()).isZero();
        CliTest.Run stat = CliTest.scoutfs("stat", f.toString());
        assertThat(stat.status()).as(stat.err()).isZero();
        assertThat(stat.out()).containsPattern("(?m)^meta_seq +\\d+$").containsPattern("(?m)^data_seq +\\d+$")
                .containsPattern("(?m)^data_version +[1-9]\\d*$").containsPattern("(?m)^online_blocks +25$")
                .containsPattern("(?m)^offline_blocks +0$").containsPattern("(?m)^crtime +\\d+\\.\\d{9}$");
        assertThat(CliTest.scoutfs("stat", "-s", "online_blocks", f.toString()).out().trim()).isEqualTo("25");
        CliTest.Run df = CliTest.scoutfs("df", mount.root().toString());
        assertThat(df.out()).containsPattern("MetaData +64KB").containsPattern("Data +4KB");
        CliTest.Run statfs = CliTest.scoutfs("statfs", "-s", "committed_seq", mount.root().toString());
        assertThat(Long.parseLong(statfs.out().trim())).isPositive();
    }
}
