package org.scoutfs.fuse;

import java.nio.file.Path;
import org.scoutfs.fuse.testfs.MemoryFileSystem;

/**
 * Entry point of the child JVM in {@link CrashAutoUnmountTest}: mounts a memory filesystem
 * through fusermount3 with auto_unmount, says so on stdout, and serves until killed.
 */
public final class ChildMountMain {
    static final String READY = "MOUNTED";

    private ChildMountMain() {
    }

    public static void main(String[] args) throws Exception {
        FuseMount mount = FuseMount.mount(new MemoryFileSystem(), Path.of(args[0]));
        System.out.println(READY);
        System.out.flush();
        mount.awaitTermination();
    }
}
