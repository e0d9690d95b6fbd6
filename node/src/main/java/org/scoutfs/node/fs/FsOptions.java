package org.scoutfs.node.fs;

import java.time.Duration;

/**
 * Filesystem behaviour a mount can choose.
 *
 * @param cacheTimeout how long the kernel may trust entries and attributes; long, because the
 *                     cluster locks tell the kernel to drop them when another node changes them
 * @param posixAcl     store and inherit POSIX ACLs (the kernel enforces them)
 */
public record FsOptions(Duration cacheTimeout, boolean posixAcl) {
    public static FsOptions defaults() {
        return new FsOptions(Duration.ofHours(1), true);
    }
}
