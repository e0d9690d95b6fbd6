package org.scoutfs.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scoutfs.lsm.Volume;
import org.scoutfs.lsm.format.FormatHash;
import org.scoutfs.lsm.format.Key;
import org.scoutfs.lsm.format.Zones;
import org.scoutfs.lsm.txn.Txn;

import static org.assertj.core.api.Assertions.assertThat;

/** The scoutfs command as a user runs it: output, exit status and error messages. */
public class CliTest {
    @TempDir
    Path dir;

    /** What one run of the command printed and returned. */
    public record Run(int status, String out, String err) {
    }

    /** Runs the scoutfs command in this JVM, as {@code bin/scoutfs ARGS} would. */
    public static Run scoutfs(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    private Path sparseFile(String name, long size) throws IOException {
        Path p = dir.resolve(name);
        try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            if (size > 0) {
                ch.write(ByteBuffer.allocate(1), size - 1);
            }
        }
        return p;
    }

    @Test
    void mkfsMakesAVolumeAndPrintShowsIt() throws IOException {
        Path dev = sparseFile("vol", 256L << 20);
        Run mkfs = scoutfs("mkfs", "-Q", "2", dev.toString());
        assertThat(mkfs.status()).as(mkfs.err()).isZero();
        assertThat(mkfs.out()).contains("Created scoutfs volume on " + dev).contains("quorum:          2 of 3 quorum slots")
                .contains("hash " + FormatHash.toHex(FormatHash.build()));
        try (Volume v = Volume.open(dev, null, Volume.Options.defaults()); Txn t = v.store().hold()) {
            t.put(new Key(Zones.FS, 5000, 200), new byte[] {1});
        }
        Run print = scoutfs("print", dev.toString());
        assertThat(print.status()).as(print.err()).isZero();
        assertThat(print.out()).contains("super block (seq").contains("quorum count 2")
                .contains("inode 1 mode 040755 nlink 2").contains("16.5000.200.0.0.0").contains("log tree rid");
        Run summary = scoutfs("print", "-S", dev.toString());
        assertThat(summary.out()).doesNotContain("16.5000.200.0.0.0").contains("items");
    }

    @Test
    void mkfsRefusesAnExistingVolumeUnlessForced() throws IOException {
        Path dev = sparseFile("vol", 64L << 20);
        assertThat(scoutfs("mkfs", dev.toString()).status()).isZero();
        Run again = scoutfs("mkfs", dev.toString());
        assertThat(again.status()).isEqualTo(1);
        assertThat(again.err()).startsWith("scoutfs: mkfs failed: " + dev + " already holds a scoutfs volume")
                .contains("use -f");
        assertThat(scoutfs("mkfs", "-f", dev.toString()).status()).isZero();
    }

    @Test
    void badArgumentsAndDevicesGetClearErrors() throws IOException {
        Run missing = scoutfs("mkfs", dir.resolve("absent").toString());
        assertThat(missing.status()).isEqualTo(1);
        assertThat(missing.err()).contains("no such file or device");

        Path tiny = sparseFile("tiny", 4L << 20);
        assertThat(scoutfs("mkfs", tiny.toString()).err()).contains("is 4 MiB; a volume needs at least 32 MiB");

        Path dev = sparseFile("vol", 64L << 20);
        assertThat(scoutfs("mkfs", "-Q", "0", dev.toString()).err()).contains("quorum must be 1..8, not 0");
        assertThat(scoutfs("mkfs", "-Q", "9", dev.toString()).err())
                .contains("quorum must be 1..8, not 9: a quorum of N needs 2N-1 quorum slots and a volume has 15");
        assertThat(scoutfs("mkfs", "-m", "lots", dev.toString()).err()).contains("'lots' is not a size");
        assertThat(scoutfs("mkfs", "-m", "60M", dev.toString()).err()).contains("metadata size of 60 MiB does not fit");
        assertThat(scoutfs("mkfs", dir.toString()).err()).contains("is a directory");

        Run usage = scoutfs("mkfs");
        assertThat(usage.status()).isEqualTo(2);
        assertThat(usage.err()).contains("Missing required parameter: 'DEV'");

        Path zeros = sparseFile("zeros", 64L << 20);
        Run print = scoutfs("print", zeros.toString());
        assertThat(print.status()).isEqualTo(1);
        assertThat(print.out()).contains("empty (not written yet)").contains("no valid super block");
    }

    @Test
    void printReportsDamageAndFailsButKeepsGoing() throws IOException {
        Path dev = sparseFile("vol", 64L << 20);
        scoutfs("mkfs", dev.toString());
        // damage the fs root block named by the super
        String print = scoutfs("print", dev.toString()).out();
        String fsRoot = print.lines().filter(l -> l.startsWith("  fs root ")).findFirst().orElseThrow();
        long blkno = Long.parseLong(fsRoot.substring("  fs root ".length(), fsRoot.indexOf('@')));
        try (FileChannel ch = FileChannel.open(dev, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(new byte[] {1, 2, 3}), (blkno << 16) + 900);
        }
        Run damaged = scoutfs("print", dev.toString());
        assertThat(damaged.status()).isEqualTo(1);
        assertThat(damaged.out()).contains("corruption: fs root block " + blkno).contains("crc32c mismatch")
                .contains("server tree");
        assertThat(damaged.err()).contains("1 damaged structure");
    }

    @Test
    void everyCommandHasHelp() {
        for (String cmd : new String[] {"mkfs", "print"}) {
            Run help = scoutfs(cmd, "--help");
            assertThat(help.status()).isZero();
            assertThat(help.out()).startsWith("Usage: scoutfs " + cmd);
        }
        assertThat(scoutfs("--help").out()).contains("mkfs").contains("print");
        assertThat(scoutfs("--version").out()).contains("format hash " + FormatHash.toHex(FormatHash.build()));
        assertThat(Files.exists(dir)).isTrue();
    }
}
