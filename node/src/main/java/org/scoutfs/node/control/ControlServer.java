package org.scoutfs.node.control;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

import org.scoutfs.fuse.Errno;
import org.scoutfs.fuse.FuseException;
import org.scoutfs.node.Node;

/**
 * Serves the control socket of one mount (see {@link ControlProtocol}). Each connection runs on
 * its own virtual thread; the socket file is removed when the node stops.
 */
public final class ControlServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ControlServer.class.getName());

    private final Path socket;
    private final ServerSocketChannel channel;
    private final ControlCommands commands;
    private final Thread acceptor;

    private ControlServer(Path socket, ServerSocketChannel channel, ControlCommands commands) {
        this.socket = socket;
        this.channel = channel;
        this.commands = commands;
        this.acceptor = Thread.ofVirtual().name("scoutfs-control").unstarted(this::acceptLoop);
    }

    public static ControlServer start(Path controlDir, Path mountPoint, Node node) throws IOException {
        long dev = (Long) Files.getAttribute(mountPoint, "unix:dev");
        Files.createDirectories(controlDir);
        Path socket = ControlProtocol.socketPath(controlDir, dev);
        Files.deleteIfExists(socket);
        ServerSocketChannel ch = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        ch.bind(UnixDomainSocketAddress.of(socket));
        // anyone may connect; serve() lets only root past the space figures
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-rw-rw-"));
        ControlServer s = new ControlServer(socket, ch, new ControlCommands(node));
        s.acceptor.start();
        return s;
    }

    public Path socket() {
        return socket;
    }

    private void acceptLoop() {
        while (channel.isOpen()) {
            try {
                SocketChannel conn = channel.accept();
                Thread.ofVirtual().name("scoutfs-control-conn").start(() -> serve(conn));
            } catch (IOException e) {
                if (channel.isOpen()) {
                    LOG.log(System.Logger.Level.WARNING, "control socket accept failed", e);
                }
            }
        }
    }

    private void serve(SocketChannel conn) {
        try (conn;
             BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(conn), StandardCharsets.UTF_8));
             Writer w = new OutputStreamWriter(Channels.newOutputStream(conn), StandardCharsets.UTF_8);
             PrintWriter out = new PrintWriter(w, false)) {
            String request = in.readLine();
            if (request == null) {
                return;
            }
            String[] words = request.trim().split("\\s+");
            try {
                if (!OPEN_TO_ALL.contains(words[0]) && !isRoot(conn)) {
                    // walks and stats by inode number see every inode, whatever the directories allow
                    throw new FuseException(Errno.EPERM, words[0] + " needs root");
                }
                commands.run(words, new ControlCommands.Reply(out));
            } catch (FuseException e) {
                out.println(ControlProtocol.ERROR + " " + e.errno().name() + " " + e.getMessage());
            } catch (IllegalArgumentException e) {
                out.println(ControlProtocol.ERROR + " EINVAL " + e.getMessage());
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "control request '" + request + "' failed", e);
                out.println(ControlProtocol.ERROR + " EIO " + e);
            }
            out.flush();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.DEBUG, "control connection ended", e);
        }
    }

    /** What any local user may ask: the same figures statfs(2) gives everyone. */
    private static final Set<String> OPEN_TO_ALL = Set.of("df", "statfs", "cluster");

    private static boolean isRoot(SocketChannel conn) throws IOException {
        UnixDomainPrincipal peer = conn.getOption(ExtendedSocketOptions.SO_PEERCRED);
        return peer.user().getName().equals("root");
    }

    @Override
    public void close() throws IOException {
        channel.close();
        Files.deleteIfExists(socket);
    }
}
