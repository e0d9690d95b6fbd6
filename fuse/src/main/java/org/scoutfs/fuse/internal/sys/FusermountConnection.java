package org.scoutfs.fuse.internal.sys;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.scoutfs.fuse.MountOptions;

/**
 * A connection mounted by {@code fusermount3 -o auto_unmount}, which also guards against our
 * death.
 *
 * <p>The {@code _FUSE_COMMFD} protocol: we create a socket pair and start fusermount3 with one
 * end as an inherited descriptor whose number is in the {@code _FUSE_COMMFD} environment
 * variable. fusermount3 opens {@code /dev/fuse}, mounts it, and sends the descriptor back over
 * the socket as {@code SCM_RIGHTS} ancillary data. With {@code auto_unmount} it then keeps
 * running and waits for its end of the socket to report end-of-file, which happens when we close
 * our end or when our process dies for any reason (kill -9 included, since the kernel closes
 * every descriptor of a dead process). It then unmounts (lazily) if the mount is still there.
 *
 * <p>So: our end of the socket must stay open exactly as long as the session runs; closing it
 * in {@link #release()} is what lets the helper exit.
 */
public final class FusermountConnection implements MountedConnection {
    private static final System.Logger LOG = System.getLogger(FusermountConnection.class.getName());
    private static final String HELPER = "fusermount3";
    /** The descriptor number the helper finds the socket at; any number above stderr works. */
    private static final int HELPER_SOCKET_FD = 3;

    private final FuseDevice device;
    private final Path mountPoint;
    private final int socket;
    private final int helperPid;
    private final AtomicBoolean released = new AtomicBoolean();

    private FusermountConnection(FuseDevice device, Path mountPoint, int socket, int helperPid) {
        this.device = device;
        this.mountPoint = mountPoint;
        this.socket = socket;
        this.helperPid = helperPid;
    }

    /** Mounts at {@code mountPoint} through fusermount3 and returns once the descriptor arrived. */
    public static FusermountConnection mount(Path mountPoint, MountOptions options, Duration timeout) throws IOException {
        int[] sockets = LibC.socketpair();
        Path stderr = Files.createTempFile("fusermount3-", ".err");
        int pid;
        try {
            pid = ProcessSpawner.spawn(
                    List.of(HELPER, "-o", helperOptions(options), "--", mountPoint.toString()),
                    environment(), sockets[1], HELPER_SOCKET_FD, stderr.toString());
        } catch (IOException | RuntimeException e) {
            closeQuietly(sockets[0]);
            Files.deleteIfExists(stderr);
            throw e;
        } finally {
            // The helper holds its own copy now; ours must go or the helper never sees end-of-file.
            closeQuietly(sockets[1]);
        }
        try {
            int fd = DescriptorPassing.receive(sockets[0], (int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            return new FusermountConnection(FuseDevice.adopt(fd), mountPoint, sockets[0], pid);
        } catch (IOException e) {
            closeQuietly(sockets[0]);
            reap(pid);
            throw new IOException(HELPER + " could not mount " + mountPoint + ": " + readTrimmed(stderr), e);
        } finally {
            Files.deleteIfExists(stderr);
        }
    }

    /**
     * The {@code -o} list for fusermount3. It derives rootmode, user_id and group_id itself and
     * refuses them from us; {@code auto_unmount} is its own option, not the kernel's.
     */
    static String helperOptions(MountOptions options) {
        List<String> list = new ArrayList<>();
        list.add("fsname=" + options.fsName());
        list.add("subtype=" + options.subtype());
        list.add("nosuid");
        list.add("nodev");
        if (options.readOnly()) {
            list.add("ro");
        }
        if (options.defaultPermissions()) {
            list.add("default_permissions");
        }
        if (options.allowOther()) {
            list.add("allow_other");
        }
        if (options.maxRead() > 0) {
            list.add("max_read=" + options.maxRead());
        }
        list.add("auto_unmount");
        return String.join(",", list);
    }

    private static List<String> environment() {
        List<String> env = new ArrayList<>();
        env.add("_FUSE_COMMFD=" + HELPER_SOCKET_FD);
        String path = System.getenv("PATH");
        env.add("PATH=" + (path != null ? path : "/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"));
        return env;
    }

    @Override
    public FuseDevice device() {
        return device;
    }

    @Override
    public Path mountPoint() {
        return mountPoint;
    }

    @Override
    public void unmount() throws IOException {
        Unmounter.unmount(mountPoint);
    }

    /** Closes our end of the socket, letting the helper unmount if needed and exit, then reaps it. */
    @Override
    public void release() {
        if (released.compareAndSet(false, true)) {
            closeQuietly(socket);
            Thread.ofPlatform().daemon().name("fusermount3-reaper-" + helperPid).start(() -> reap(helperPid));
        }
    }

    /** Waits for the helper to exit so it does not linger as a zombie. */
    private static void reap(int pid) {
        try {
            LibC.waitpid(pid, 0);
        } catch (SyscallException e) {
            LOG.log(Level.DEBUG, "waitpid " + pid, e);
        }
    }

    private static String readTrimmed(Path file) {
        try {
            return new String(Files.readAllBytes(file), StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            return "(stderr unavailable: " + e.getMessage() + ")";
        }
    }

    private static void closeQuietly(int fd) {
        try {
            LibC.close(fd);
        } catch (SyscallException e) {
            LOG.log(Level.DEBUG, "close " + fd, e);
        }
    }
}
