package org.scoutfs.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.scoutfs.fuse.testfs.MemoryFileSystem;

/** Verifies directories, links, rename flags and lookup counting through the kernel. */
class DirectoryMountTest {
    private MountFixture m;

    @BeforeEach
    void mount() throws Exception {
        m = MountFixture.mount(new MemoryFileSystem());
    }

    @AfterEach
    void unmount() throws Exception {
        m.close();
    }

    @Test
    void listsMoreEntriesThanFitInOneReaddirBuffer() throws Exception {
        Path dir = Files.createDirectory(m.path("big"));
        Set<String> names = IntStream.range(0, 1500)
                .mapToObj(i -> "file-with-a-longish-name-" + i)
                .collect(Collectors.toSet());
        for (String name : names) {
            Files.createFile(dir.resolve(name));
        }
        try (Stream<Path> listing = Files.list(dir)) {
            assertThat(listing.map(p -> p.getFileName().toString())).containsExactlyInAnyOrderElementsOf(names);
        }
        List<String> ls = Shell.run("ls", "-1a", dir.toString()).assertSuccess().stdout().lines().toList();
        assertThat(ls).hasSize(names.size() + 2).contains(".", "..");
        assertThat(m.fs.probe().readdirCalls()).as("READDIR(PLUS) requests").isGreaterThan(3);
    }

    @Test
    void readdirplusFromLsCountsLookupsAndForgetBalancesThem() throws Exception {
        Path dir = Files.createDirectory(m.path("plus"));
        for (int i = 0; i < 50; i++) {
            Files.writeString(dir.resolve("f" + i), "x");
        }
        Shell.run("sh", "-c", "echo 3 > /proc/sys/vm/drop_caches").assertSuccess();
        Shell.run("ls", "-l", dir.toString()).assertSuccess();
        assertThat(m.fs.probe().readdirplusCalls()).as("READDIRPLUS requests").isPositive();
        long file = m.fs.inoOf("plus/f7");
        assertThat(m.fs.lookupCount(file)).isPositive();

        // Dropping the kernel's caches makes it give every lookup back through (BATCH_)FORGET.
        Eventually.assertThat(Duration.ofSeconds(20), () -> {
            Shell.run("sh", "-c", "echo 3 > /proc/sys/vm/drop_caches");
            return m.fs.lookupCount(file) == 0;
        }, "lookup count of plus/f7 returns to 0 after dropping caches");
    }

    @Test
    void makesAndRemovesNestedDirectories() throws Exception {
        Files.createDirectories(m.path("a/b/c"));
        assertThat(Files.isDirectory(m.path("a/b/c"))).isTrue();
        assertThat(Shell.run("stat", "-c", "%h", m.path("a").toString()).stdout().trim()).isEqualTo("3");
        assertThatThrownBy(() -> Files.delete(m.path("a/b"))).isInstanceOf(DirectoryNotEmptyException.class);
        Files.delete(m.path("a/b/c"));
        Files.delete(m.path("a/b"));
        assertThat(Files.exists(m.path("a/b"))).isFalse();
        assertThat(Shell.run("stat", "-c", "%h", m.path("a").toString()).stdout().trim()).isEqualTo("2");
    }

    @Test
    void renamesDirectoriesAcrossParents() throws Exception {
        Files.createDirectories(m.path("src/inner"));
        Files.writeString(m.path("src/inner/file"), "payload");
        Files.createDirectory(m.path("dst"));
        Files.move(m.path("src/inner"), m.path("dst/moved"));
        assertThat(Files.readString(m.path("dst/moved/file"))).isEqualTo("payload");
        assertThat(Files.exists(m.path("src/inner"))).isFalse();
        assertThat(Files.isSameFile(m.path("dst/moved/.."), m.path("dst"))).isTrue();
    }

    @Test
    void symlinksResolveAndReadlinkReturnsTarget() throws Exception {
        Files.writeString(m.path("target"), "pointed at");
        Files.createSymbolicLink(m.path("link"), Path.of("target"));
        assertThat(Files.readSymbolicLink(m.path("link"))).isEqualTo(Path.of("target"));
        assertThat(Files.readString(m.path("link"))).isEqualTo("pointed at");
        Shell.run("ln", "-s", "/nonexistent/elsewhere", m.path("dangling").toString()).assertSuccess();
        assertThat(Shell.run("readlink", m.path("dangling").toString()).stdout().trim()).isEqualTo("/nonexistent/elsewhere");
    }

    @Test
    void hardLinksShareTheInode() throws Exception {
        Files.writeString(m.path("original"), "shared");
        Shell.run("ln", m.path("original").toString(), m.path("alias").toString()).assertSuccess();
        assertThat(Shell.run("stat", "-c", "%h %i", m.path("alias").toString()).stdout().trim())
                .isEqualTo("2 " + m.fs.inoOf("original"));
        Files.writeString(m.path("alias"), "changed");
        assertThat(Files.readString(m.path("original"))).isEqualTo("changed");
        Files.delete(m.path("original"));
        assertThat(Files.readString(m.path("alias"))).isEqualTo("changed");
        assertThat(Shell.run("stat", "-c", "%h", m.path("alias").toString()).stdout().trim()).isEqualTo("1");
    }

    @Test
    void renameNoreplaceAndExchangeFlagsReachTheFilesystem() throws Throwable {
        Files.writeString(m.path("one"), "1");
        Files.writeString(m.path("two"), "2");
        assertThat(TestSyscalls.renameat2(m.path("one"), m.path("two"), TestSyscalls.RENAME_NOREPLACE))
                .isEqualTo(-Errno.EEXIST.code());
        assertThat(TestSyscalls.renameat2(m.path("one"), m.path("two"), TestSyscalls.RENAME_EXCHANGE)).isZero();
        assertThat(Files.readString(m.path("one"))).isEqualTo("2");
        assertThat(Files.readString(m.path("two"))).isEqualTo("1");
        assertThat(TestSyscalls.renameat2(m.path("one"), m.path("three"), TestSyscalls.RENAME_NOREPLACE)).isZero();
        assertThat(Files.readString(m.path("three"))).isEqualTo("2");
    }
}
