package org.scoutfs.node.posix;

import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The POSIX contract on a fresh 256 MiB ext4 image on a loop device: validates the contract's
 * expectations against a disk filesystem, including data surviving a remount.
 */
class Ext4PosixTest extends PosixContract {
    private static ScratchMount mount;

    @BeforeAll
    static void mountExt4() throws IOException {
        assumeFalse(Boolean.getBoolean("scoutfs.skipSystemTests"), "system tests skipped by request");
        assumeTrue(Libc.geteuid() == 0, "loop devices and mounts need root");
        // 4 KiB blocks (mke2fs would pick 1 KiB for an image this small) so file size and symlink
        // limits are the usual ones; ea_inode so xattr values can reach Linux's 64 KiB limit.
        mount = ScratchMount.ext4(256L << 20, List.of("-b", "4096", "-O", "ea_inode"), "acl,user_xattr");
    }

    @AfterAll
    static void unmountExt4() throws IOException {
        if (mount != null) {
            mount.close();
            mount = null;
        }
    }

    @Override
    protected Path root() throws IOException {
        return mount.newTestDirectory();
    }

    /** ext4 returns directory entries in hash order. */
    @Override
    protected boolean readdirReturnsCreationOrder() {
        return false;
    }

    @Override
    protected boolean canRemount() {
        return true;
    }

    @Override
    protected void remount() {
        mount.remount();
    }
}
