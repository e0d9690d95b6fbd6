package org.scoutfs.node.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checks that {@link Fsx} itself notices corruption, on whatever filesystem holds the temporary directory. */
class FsxTest {
    @TempDir
    Path tmp;

    private static Fsx.Options portableOptions(long seed) {
        // The temporary directory may be on any filesystem: keep to operations every one supports.
        return Fsx.Options.defaults(seed).withMaxFileSize(256 << 10).withFallocate(false).withPunchHole(false)
                .withZeroRange(false);
    }

    @Test
    void runsCleanOnAWorkingFilesystem() throws Exception {
        Fsx fsx = new Fsx(tmp.resolve("file"), portableOptions(1));
        fsx.run(2_000);
        fsx.run(500);
        assertThat(fsx.operationsDone()).isEqualTo(2_500);
    }

    @Test
    void reportsTheSeedAndOffsetOfACorruptedByte() throws Exception {
        Path file = tmp.resolve("file");
        Fsx fsx = new Fsx(file, portableOptions(42));
        fsx.run(1_000);
        long size = Files.size(file);
        assertThat(size).isPositive();
        long victim = size / 2;
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.seek(victim);
            int old = raf.read();
            raf.seek(victim);
            raf.write(old ^ 0xff);
        }
        assertThatThrownBy(() -> fsx.run(10))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("seed 42")
                .hasMessageContaining("byte at file offset " + victim);
    }

    @Test
    void reportsAFileThatChangedSize() throws Exception {
        Path file = tmp.resolve("file");
        Fsx fsx = new Fsx(file, portableOptions(7));
        fsx.run(1_000);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(raf.length() + 1);
        }
        assertThatThrownBy(() -> fsx.run(10)).isInstanceOf(AssertionError.class).hasMessageContaining("file size is");
    }

    @Test
    void theSameSeedReplaysTheSameOperations() throws Exception {
        Fsx first = new Fsx(tmp.resolve("a"), portableOptions(99));
        Fsx second = new Fsx(tmp.resolve("b"), portableOptions(99));
        first.run(1_500);
        second.run(1_500);
        assertThat(Files.readAllBytes(tmp.resolve("a"))).isEqualTo(Files.readAllBytes(tmp.resolve("b")));
    }
}
