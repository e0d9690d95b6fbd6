package org.scoutfs.fuse.internal.sys;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A FUSE connection that is mounted somewhere: the device to serve plus the means to undo the
 * mount. One implementation per mount method.
 */
public sealed interface MountedConnection permits FusermountConnection, DirectConnection {

    /** The descriptor the kernel sends requests on. */
    FuseDevice device();

    Path mountPoint();

    /**
     * Removes the mount if it is still there. The session ends (its readers see ENODEV) once
     * the kernel has let go of the connection. Safe to call more than once.
     */
    void unmount() throws IOException;

    /** Frees what the mount method holds besides the device (helper process, socket); called once. */
    void release();
}
