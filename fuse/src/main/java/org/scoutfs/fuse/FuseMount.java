package org.scoutfs.fuse;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.scoutfs.fuse.internal.session.Session;
import org.scoutfs.fuse.internal.sys.DirectConnection;
import org.scoutfs.fuse.internal.sys.FusermountConnection;
import org.scoutfs.fuse.internal.sys.MountTable;
import org.scoutfs.fuse.internal.sys.MountedConnection;

/**
 * A {@link FuseFileSystem} mounted at a directory and being served; the handle to unmount it.
 *
 * <pre>{@code
 * FuseFileSystem fs = new MyFileSystem();
 * try (FuseMount mount = FuseMount.mount(fs, Path.of("/mnt/scoutfs"),
 *         MountOptions.builder().fsName("scoutfs").subtype("scoutfs").allowOther(true).build())) {
 *     mount.awaitTermination();          // serve until someone runs "umount /mnt/scoutfs"
 * }                                      // or unmount here if still mounted
 * }</pre>
 *
 * <p><b>How the session can end.</b>
 * <ul>
 *   <li>{@link #close()}: unmounts (aborting the connection if the mount is busy) and waits for
 *       the session to end.</li>
 *   <li>{@code umount MNT} or {@code fusermount3 -u MNT} from outside: the kernel drops the
 *       connection, the readers see ENODEV and the session ends by itself.</li>
 *   <li>The JVM exits normally: a shutdown hook closes the mount.</li>
 *   <li>The process dies (kill -9): with {@link MountOptions.Method#FUSERMOUNT} the fusermount3
 *       helper notices and unmounts; with {@link MountOptions.Method#DIRECT} a dead mount stays
 *       until unmounted by hand.</li>
 * </ul>
 * In every case {@link FuseFileSystem#destroy()} is called once and {@link #termination()}
 * completes.
 *
 * <p>Instances are thread-safe. Do not call {@link #close()} from inside a filesystem
 * operation: unmounting waits for in-flight operations.
 */
public final class FuseMount implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FuseMount.class.getName());

    private final Path mountPoint;
    private final MountOptions options;
    private final MountedConnection connection;
    private final Session session;
    private final ConnectionInfo connectionInfo;
    private final Thread shutdownHook;
    private final AtomicBoolean closing = new AtomicBoolean();

    private FuseMount(Path mountPoint, MountOptions options, MountedConnection connection, Session session,
            ConnectionInfo connectionInfo) {
        this.mountPoint = mountPoint;
        this.options = options;
        this.connection = connection;
        this.session = session;
        this.connectionInfo = connectionInfo;
        this.shutdownHook = Thread.ofPlatform().unstarted(this::closeFromShutdownHook);
    }

    /**
     * Mounts {@code fs} at {@code mountPoint} (an existing directory) and returns once the kernel
     * has completed INIT, so the mount is usable right away.
     *
     * @throws IOException if mounting fails or the kernel does not initialize the connection;
     *     nothing stays mounted then
     */
    public static FuseMount mount(FuseFileSystem fs, Path mountPoint, MountOptions options) throws IOException {
        Objects.requireNonNull(fs, "fs");
        Objects.requireNonNull(options, "options");
        if (!Files.isDirectory(mountPoint)) {
            throw new IOException("mount point is not a directory: " + mountPoint);
        }
        // The mount table lists resolved paths; a symlinked mount point must match it.
        Path target = mountPoint.toRealPath();
        MountedConnection connection = switch (options.method()) {
            case FUSERMOUNT -> FusermountConnection.mount(target, options, options.initTimeout());
            case DIRECT -> DirectConnection.mount(target, options);
        };
        Session session = new Session(fs, options, connection);
        ConnectionInfo info;
        try {
            session.start();
            info = session.awaitInit(options.initTimeout());
        } catch (IOException | RuntimeException e) {
            abandon(connection, session, options.closeTimeout());
            throw e;
        }
        FuseMount mount = new FuseMount(target, options, connection, session, info);
        mount.raiseReadAhead();
        Runtime.getRuntime().addShutdownHook(mount.shutdownHook);
        return mount;
    }

    /** Mounts with {@link MountOptions#defaults()}. */
    public static FuseMount mount(FuseFileSystem fs, Path mountPoint) throws IOException {
        return mount(fs, mountPoint, MountOptions.defaults());
    }

    public Path mountPoint() {
        return mountPoint;
    }

    /** What INIT negotiated. */
    public ConnectionInfo connection() {
        return connectionInfo;
    }

    /** Sends cache invalidations to the kernel; see the deadlock rule on {@link FuseNotifier}. */
    public FuseNotifier notifier() {
        return session.notifier();
    }

    public FuseCounters counters() {
        return session.counters();
    }

    /** Completes once the session has ended and the filesystem has been destroyed. */
    public CompletionStage<Void> termination() {
        return session.termination().minimalCompletionStage();
    }

    public boolean isTerminated() {
        return session.termination().isDone();
    }

    /** Blocks until the session ends. */
    public void awaitTermination() throws InterruptedException {
        try {
            session.termination().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Blocks until the session ends or {@code timeout} passes; returns whether it ended. */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        try {
            session.termination().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    /**
     * Unmounts if still mounted and waits (up to {@link MountOptions#closeTimeout()}) for the
     * session to end. Idempotent.
     */
    @Override
    public void close() throws IOException {
        removeShutdownHook();
        if (!closing.compareAndSet(false, true)) {
            awaitQuietly();
            return;
        }
        connection.unmount();
        if (!awaitQuietly()) {
            LOG.log(Level.WARNING, "FUSE session at {0} did not end within {1} after unmount",
                    mountPoint, options.closeTimeout());
        }
    }

    private boolean awaitQuietly() {
        try {
            return awaitTermination(options.closeTimeout());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void closeFromShutdownHook() {
        try {
            if (!isTerminated()) {
                close();
            }
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "unmounting " + mountPoint + " at JVM exit failed", e);
        }
    }

    private void removeShutdownHook() {
        if (Thread.currentThread() == shutdownHook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException alreadyShuttingDown) {
            // the hook runs or ran already; close is idempotent
        }
    }

    /** Sets {@code read_ahead_kb} of the mount's backing device, if the options ask for it. */
    private void raiseReadAhead() {
        int kb = options.backingDeviceReadAheadKb();
        if (kb == 0) {
            return;
        }
        MountTable.find(mountPoint).ifPresentOrElse(entry -> {
            Path knob = Path.of("/sys/class/bdi", entry.device(), "read_ahead_kb");
            try {
                Files.writeString(knob, Integer.toString(kb), StandardCharsets.US_ASCII);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not set " + knob + " to " + kb, e);
            }
        }, () -> LOG.log(Level.WARNING, "{0} is not in the mount table; read_ahead_kb unchanged", mountPoint));
    }

    /** Gets rid of a mount whose session never initialized. */
    private static void abandon(MountedConnection connection, Session session, Duration timeout) {
        try {
            connection.unmount();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "unmounting after failed INIT", e);
        }
        try {
            session.termination().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.log(Level.WARNING, "session did not end after failed INIT", e);
        }
    }

    @Override
    public String toString() {
        return "FuseMount[" + mountPoint + ", " + connectionInfo + "]";
    }
}
