package org.scoutfs.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.scoutfs.fuse.testfs.MemoryFileSystem;

/** Verifies regular file operations through the kernel, with java.nio.file and with shell tools. */
class FileOperationsMountTest {
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
    void createsReadsAppendsAndTruncates() throws Exception {
        Path file = m.path("notes.txt");
        Files.writeString(file, "hello");
        Files.writeString(file, " world", StandardOpenOption.APPEND);
        assertThat(Files.readString(file)).isEqualTo("hello world");

        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.truncate(5);
        }
        assertThat(Files.readString(file)).isEqualTo("hello");

        Files.writeString(file, "replaced", StandardOpenOption.TRUNCATE_EXISTING);
        assertThat(Files.readString(file)).isEqualTo("replaced");
        assertThat(Files.size(file)).isEqualTo(8);
    }

    @Test
    void extendingTruncateReadsZeros() throws Exception {
        Path file = m.path("sparse");
        Files.writeString(file, "ab");
        Shell.run("truncate", "-s", "10", file.toString()).assertSuccess();
        byte[] content = Files.readAllBytes(file);
        assertThat(content).hasSize(10).startsWith('a', 'b');
        assertThat(content[9]).isZero();
    }

    @Test
    void copiesAndOverwritesInTheMiddleWithShellTools() throws Exception {
        byte[] random = new byte[3 * 1024 * 1024 + 17];
        new Random(42).nextBytes(random);
        Path source = Files.createTempFile("scoutfs-random-", ".bin");
        try {
            Files.write(source, random);
            Path copy = m.path("copy.bin");
            Shell.run("cp", source.toString(), copy.toString()).assertSuccess();
            Shell.run("cmp", source.toString(), copy.toString()).assertSuccess();

            Shell.run("dd", "if=/dev/zero", "of=" + copy, "bs=4096", "count=2", "seek=10", "conv=notrunc")
                    .assertSuccess();
            byte[] after = Files.readAllBytes(copy);
            assertThat(after).hasSize(random.length);
            assertThat(after[10 * 4096]).isZero();
            assertThat(after[12 * 4096]).isEqualTo(random[12 * 4096]);
        } finally {
            Files.deleteIfExists(source);
        }
    }

    @Test
    void statShowsModeOwnerAndTimes() throws Exception {
        Path file = m.path("perm");
        Files.writeString(file, "x");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-x---"));
        Instant when = Instant.parse("2001-02-03T04:05:06.123456789Z");
        Files.setLastModifiedTime(file, FileTime.from(when));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rwxr-x---");
        assertThat(Files.getLastModifiedTime(file).toInstant()).isEqualTo(when);
        String stat = Shell.run("stat", "-c", "%a %s %h %u", file.toString()).assertSuccess().stdout().trim();
        assertThat(stat).isEqualTo("750 1 1 0");

        Shell.run("chown", "1234:5678", file.toString()).assertSuccess();
        assertThat(Shell.run("stat", "-c", "%u:%g", file.toString()).stdout().trim()).isEqualTo("1234:5678");
    }

    @Test
    void touchSetsTimesToNow() throws Exception {
        Path file = m.path("touched");
        Files.writeString(file, "x");
        Files.setLastModifiedTime(file, FileTime.from(Instant.parse("2000-01-01T00:00:00Z")));
        Instant before = Instant.now().minusSeconds(5);
        Shell.run("touch", file.toString()).assertSuccess();
        assertThat(Files.getLastModifiedTime(file).toInstant()).isAfter(before);
    }

    @Test
    void unlinkRemovesAndOpenFileSurvivesUnlink() throws Exception {
        Path file = m.path("doomed");
        Files.writeString(file, "still readable");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Files.delete(file);
            assertThat(Files.exists(file)).isFalse();
            ByteBuffer buffer = ByteBuffer.allocate(64);
            channel.read(buffer, 0);
            assertThat(new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8))
                    .isEqualTo("still readable");
        }
        assertThatThrownBy(() -> Files.readString(file)).isInstanceOf(NoSuchFileException.class);
    }

    @Test
    void renamesFilesReplacingTargets() throws Exception {
        Files.writeString(m.path("a"), "A");
        Files.writeString(m.path("b"), "B");
        Shell.run("mv", m.path("a").toString(), m.path("b").toString()).assertSuccess();
        assertThat(Files.exists(m.path("a"))).isFalse();
        assertThat(Files.readString(m.path("b"))).isEqualTo("A");
    }

    @Test
    void fallocateExtendsAndSeekFindsDataAndHoles() throws Throwable {
        Path file = m.path("prealloc");
        Files.writeString(file, "data");
        Shell.run("fallocate", "-l", "8192", file.toString()).assertSuccess();
        assertThat(Files.size(file)).isEqualTo(8192);

        int fd = TestSyscalls.open(file, TestSyscalls.O_RDONLY, 0);
        assertThat(fd).isPositive();
        try {
            assertThat(TestSyscalls.lseek(fd, 0, TestSyscalls.SEEK_DATA)).isZero();
            assertThat(TestSyscalls.lseek(fd, 100, TestSyscalls.SEEK_HOLE)).isEqualTo(8192);
            assertThat(TestSyscalls.lseek(fd, 9000, TestSyscalls.SEEK_DATA)).isEqualTo(-Errno.ENXIO.code());
        } finally {
            TestSyscalls.close(fd);
        }
    }

    @Test
    void specialFilesAndStatfs() throws Exception {
        Shell.run("mkfifo", m.path("fifo").toString()).assertSuccess();
        assertThat(Shell.run("stat", "-c", "%F", m.path("fifo").toString()).stdout().trim()).isEqualTo("fifo");
        String df = Shell.run("stat", "-f", "-c", "%b %S %l", m.dir.toString()).assertSuccess().stdout().trim();
        assertThat(df).isEqualTo("1048576 4096 255");
    }

    @Test
    void tmpfileCreatesAnUnnamedFile() throws Throwable {
        int fd = TestSyscalls.open(m.dir, TestSyscalls.O_TMPFILE | TestSyscalls.O_RDWR, 0600);
        assertThat(fd).as("O_TMPFILE result").isPositive();
        TestSyscalls.close(fd);
        try (var listing = Files.list(m.dir)) {
            assertThat(listing).isEmpty();
        }
    }
}
