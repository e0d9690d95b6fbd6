package org.scoutfs.fuse.internal.sys;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.scoutfs.fuse.MountOptions;

/**
 * A connection mounted with {@code mount(2)} by this process; needs CAP_SYS_ADMIN.
 *
 * <p>Nothing outside this process knows about the mount, so if the process dies without
 * unmounting, the mount stays behind, dead, until someone runs {@code umount}.
 */
public final class DirectConnection implements MountedConnection {
    private final FuseDevice device;
    private final Path mountPoint;

    private DirectConnection(FuseDevice device, Path mountPoint) {
        this.device = device;
        this.mountPoint = mountPoint;
    }

    /** Opens {@code /dev/fuse} and mounts it at {@code mountPoint}. */
    public static DirectConnection mount(Path mountPoint, MountOptions options) throws IOException {
        FuseDevice device = FuseDevice.open();
        try {
            long flags = LibC.MS_NOSUID | LibC.MS_NODEV | (options.readOnly() ? LibC.MS_RDONLY : 0);
            LibC.mount(options.fsName(), mountPoint.toString(), "fuse." + options.subtype(), flags,
                    kernelOptions(device.fd(), options));
            return new DirectConnection(device, mountPoint);
        } catch (IOException | RuntimeException e) {
            device.close();
            throw e;
        }
    }

    /** The option string the kernel's fuse filesystem parses; fusermount3 builds the same. */
    static String kernelOptions(int fd, MountOptions options) throws IOException {
        StringBuilder s = new StringBuilder()
                .append("fd=").append(fd)
                .append(",rootmode=").append(Integer.toOctalString(options.rootMode()))
                .append(",user_id=").append(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))
                .append(",group_id=").append(Files.getAttribute(Path.of("/proc/self"), "unix:gid"));
        if (options.defaultPermissions()) {
            s.append(",default_permissions");
        }
        if (options.allowOther()) {
            s.append(",allow_other");
        }
        if (options.maxRead() > 0) {
            s.append(",max_read=").append(options.maxRead());
        }
        return s.toString();
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

    @Override
    public void release() {
    }
}
