package org.scoutfs.node.posix;

import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The POSIX contract on a tmpfs mounted for this class: validates the contract's expectations against Linux. */
class TmpfsPosixTest extends PosixContract {
    private static ScratchMount mount;

    @BeforeAll
    static void mountTmpfs() throws IOException {
        assumeFalse(Boolean.getBoolean("scoutfs.skipSystemTests"), "system tests skipped by request");
        assumeTrue(Libc.geteuid() == 0, "mounting a tmpfs needs root");
        mount = ScratchMount.tmpfs("size=1g,nr_inodes=100000");
    }

    @AfterAll
    static void unmountTmpfs() throws IOException {
        if (mount != null) {
            mount.close();
            mount = null;
        }
    }

    @Override
    protected Path root() throws IOException {
        return mount.newTestDirectory();
    }

    /**
     * tmpfs lists a directory newest entry first (it walks the dentry's child list), so an entry
     * created later comes before older ones.
     */
    @Override
    protected boolean readdirReturnsCreationOrder() {
        return false;
    }

    /**
     * tmpfs does not zero the EOF page's tail when a file grows, so bytes stored through a
     * mapping beyond EOF become file data after an extending truncate.
     */
    @Override
    protected boolean zeroesMappedStoresPastEofOnExtension() {
        return false;
    }

    /** tmpfs implements fallocate and hole punching but not FALLOC_FL_ZERO_RANGE. */
    @Override
    protected boolean supportsZeroRange() {
        return false;
    }
}
