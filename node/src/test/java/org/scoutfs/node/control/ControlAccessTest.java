package org.scoutfs.node.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scoutfs.node.testing.ScoutfsMount;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Who may ask what on the control socket, checked with a real unprivileged process (uid 65534,
 * via setpriv): the space figures are open to everyone, walks and stats by inode number are root's.
 */
class ControlAccessTest {
    @TempDir
    static Path dir;
    static ScoutfsMount mount;
    static Path probe;

    /** Sends one request line to a socket and prints the reply: run with java's source launcher. */
    private static final String PROBE = """
            import java.net.*; import java.nio.*; import java.nio.channels.*; import java.nio.charset.*;
            public class Probe {
                public static void main(String[] a) throws Exception {
                    try (SocketChannel c = SocketChannel.open(UnixDomainSocketAddress.of(a[0]))) {
                        c.write(StandardCharsets.UTF_8.encode(a[1] + "\\n"));
                        ByteBuffer b = ByteBuffer.allocate(1 << 16);
                        while (c.read(b) >= 0) { }
                        b.flip();
                        System.out.print(StandardCharsets.UTF_8.decode(b));
                    }
                }
            }
            """;

    @BeforeAll
    static void mount() throws IOException {
        // the unprivileged prober must be able to read its source file from here
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        probe = Files.writeString(dir.resolve("Probe.java"), PROBE);
        probe.toFile().setReadable(true, false);
        mount = ScoutfsMount.create(dir, 64L << 20);
    }

    @AfterAll
    static void unmount() {
        if (mount != null) {
            mount.close();
            mount = null;
        }
    }

    private static String ask(boolean asRoot, String request) throws IOException, InterruptedException {
        long dev = (Long) Files.getAttribute(mount.root(), "unix:dev");
        Path socket = ControlProtocol.socketPath(mount.controlDir(), dev);
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = asRoot
                ? List.of(java, probe.toString(), socket.toString(), request)
                : List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", java, probe.toString(),
                        socket.toString(), request);
        Path output = Files.createTempFile(dir, "reply", ".txt");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        try {
            assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the prober finished in time").isTrue();
            String out = Files.readString(output);
            assertThat(p.exitValue()).as(out).isZero();
            return out;
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void othersGetTheSpaceFiguresButNotTheInodes() throws Exception {
        assertThat(ask(false, "df")).startsWith(ControlProtocol.OK).contains("total_data_blocks");
        assertThat(ask(false, "statfs")).startsWith(ControlProtocol.OK).contains("committed_seq");
        assertThat(ask(false, "walk-inodes meta_seq 0 0 18446744073709551615 18446744073709551615"))
                .startsWith(ControlProtocol.ERROR + " EPERM walk-inodes needs root");
        assertThat(ask(false, "stat 1")).startsWith(ControlProtocol.ERROR + " EPERM stat needs root");
        assertThat(ask(false, "sync")).startsWith(ControlProtocol.ERROR + " EPERM");
    }

    @Test
    void rootGetsEverything() throws Exception {
        assertThat(ask(true, "walk-inodes meta_seq 0 0 18446744073709551615 18446744073709551615"))
                .startsWith(ControlProtocol.OK).containsPattern("(?m)^\\d+ 1$");
        assertThat(ask(true, "stat 1")).startsWith(ControlProtocol.OK).contains("meta_seq");
        assertThat(ask(true, "sync")).startsWith(ControlProtocol.OK);
        assertThat(ask(true, "df")).startsWith(ControlProtocol.OK).contains("total_data_blocks");
    }
}
