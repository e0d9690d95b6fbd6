package org.scoutfs.fuse.internal.sys;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.scoutfs.fuse.Errno;

/**
 * Removes a FUSE mount: {@code umount2(2)} when we have the privilege, {@code fusermount3 -u}
 * otherwise.
 *
 * <p>A busy mount (open files, a process with its cwd inside) cannot be unmounted normally.
 * As root the connection is then aborted ({@code MNT_FORCE} makes FUSE fail all requests with
 * ENOTCONN) and the mount detached, so that "unmount" always ends the session promptly. Without
 * root the mount is detached lazily and the session ends when the last user lets go.
 */
public final class Unmounter {
    private static final System.Logger LOG = System.getLogger(Unmounter.class.getName());

    private Unmounter() {
    }

    /** Unmounts {@code mountPoint} if a FUSE filesystem is mounted there. */
    public static void unmount(Path mountPoint) throws IOException {
        if (!MountTable.isFuseMounted(mountPoint)) {
            return;
        }
        if (LibC.geteuid() == 0) {
            unmountAsRoot(mountPoint.toString());
        } else {
            runFusermountUnmount(mountPoint);
        }
    }

    private static void unmountAsRoot(String target) throws SyscallException {
        try {
            LibC.umount2(target, 0);
        } catch (SyscallException e) {
            if (e.is(Errno.EBUSY)) {
                LOG.log(Level.WARNING, "{0} is busy; aborting the FUSE connection and detaching it", target);
                forceAndDetach(target);
            } else if (!e.is(Errno.EINVAL) && !e.is(Errno.ENOENT)) {
                throw e;
            }
        }
    }

    private static void forceAndDetach(String target) throws SyscallException {
        try {
            LibC.umount2(target, LibC.MNT_FORCE);
            return;
        } catch (SyscallException e) {
            if (!e.is(Errno.EBUSY)) {
                throw e;
            }
        }
        LibC.umount2(target, LibC.MNT_DETACH);
    }

    private static void runFusermountUnmount(Path mountPoint) throws IOException {
        Process process = new ProcessBuilder(List.of("fusermount3", "-u", "-z", mountPoint.toString()))
                .redirectErrorStream(true)
                .start();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IOException("fusermount3 -u did not finish within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unmounting " + mountPoint, e);
        }
        if (process.exitValue() != 0) {
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            throw new IOException("fusermount3 -u " + mountPoint + " failed: " + output);
        }
    }
}
