package org.scoutfs.cli.online;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.scoutfs.cli.CliException;
import org.scoutfs.node.NodeConfig;
import org.scoutfs.node.control.ControlProtocol;

/**
 * The scoutfs mount a path lies on, reached through its node's control socket. A path on any
 * other filesystem, or a mount whose node does not answer, gets an error that says so.
 */
public final class MountedVolume {
    private final Path mountPoint;
    private final Path socket;

    private MountedVolume(Path mountPoint, Path socket) {
        this.mountPoint = mountPoint;
        this.socket = socket;
    }

    public Path mountPoint() {
        return mountPoint;
    }

    /** Finds the scoutfs mount of {@code path} from its device number and the kernel's mount table. */
    public static MountedVolume of(Path path) {
        long dev;
        try {
            dev = (Long) Files.getAttribute(path, "unix:dev");
        } catch (NoSuchFileException e) {
            throw new CliException(path + ": no such file or directory");
        } catch (IOException e) {
            throw new CliException("cannot stat " + path + ": " + e.getMessage());
        }
        long major = ((dev >>> 8) & 0xfff) | ((dev >>> 32) & ~0xfffL);
        long minor = (dev & 0xff) | ((dev >>> 12) & ~0xffL);
        String devName = major + ":" + minor;
        Path mountPoint = null;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                int dash = List.of(f).indexOf("-");
                if (f.length > 4 && dash > 0 && f[2].equals(devName) && f[dash + 1].equals("fuse.scoutfs")) {
                    mountPoint = Path.of(unescape(f[4]));
                }
            }
        } catch (IOException e) {
            throw new CliException("cannot read the mount table: " + e.getMessage());
        }
        if (mountPoint == null) {
            throw new CliException(path + " is not on a scoutfs mount");
        }
        String dir = System.getenv().getOrDefault("SCOUTFS_CONTROL_DIR", NodeConfig.DEFAULT_CONTROL_DIR.toString());
        return new MountedVolume(mountPoint, ControlProtocol.socketPath(Path.of(dir), dev));
    }

    private static String unescape(String mountinfoPath) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < mountinfoPath.length(); i++) {
            char c = mountinfoPath.charAt(i);
            if (c == '\\' && i + 3 < mountinfoPath.length()) {
                sb.append((char) Integer.parseInt(mountinfoPath.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    /** Sends {@code request} and passes each reply line to {@code lines}. */
    public void ask(String request, Consumer<String> lines) {
        try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            try {
                ch.connect(UnixDomainSocketAddress.of(socket));
            } catch (IOException e) {
                throw new CliException("the scoutfs node serving " + mountPoint + " does not answer on " + socket
                        + " (" + e.getMessage() + ")");
            }
            Writer w = new OutputStreamWriter(Channels.newOutputStream(ch), StandardCharsets.UTF_8);
            w.write(request + "\n");
            w.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
            String first = in.readLine();
            if (first == null) {
                throw new CliException("the scoutfs node serving " + mountPoint + " closed the connection");
            }
            if (first.startsWith(ControlProtocol.ERROR + " ")) {
                String[] parts = first.split(" ", 3);
                throw new CliException(parts.length == 3 ? parts[2] + " (" + parts[1] + ")" : first);
            }
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.equals(ControlProtocol.END)) {
                    return;
                }
                lines.accept(line);
            }
            throw new CliException("the scoutfs node serving " + mountPoint + " ended its reply early");
        } catch (IOException e) {
            throw new CliException("talking to the scoutfs node serving " + mountPoint + " failed: " + e.getMessage());
        }
    }

    /** Sends a request whose reply is "FIELD VALUE" lines. */
    public Map<String, String> fields(String request) {
        Map<String, String> out = new LinkedHashMap<>();
        ask(request, line -> {
            int sp = line.indexOf(' ');
            out.put(line.substring(0, sp), line.substring(sp + 1));
        });
        return out;
    }

    public List<String> lines(String request) {
        List<String> out = new ArrayList<>();
        ask(request, out::add);
        return out;
    }

    /** The path a command works on: the argument, else $SCOUTFS_MOUNT_PATH, else the current directory. */
    public static Path defaultPath(Path given) {
        if (given != null) {
            return given;
        }
        String env = System.getenv("SCOUTFS_MOUNT_PATH");
        return Path.of(env != null && !env.isEmpty() ? env : ".");
    }
}
