package org.scoutfs.node.posix;

import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.scoutfs.node.NodeConfig;
import org.scoutfs.node.testing.ScoutfsMount;

/**
 * The POSIX contract on a real scoutfs mount: a node in its own process serving a volume file
 * through FUSE. One mount serves all the tests of a class; subclasses mount with other options.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScoutfsPosixTest extends PosixContract {
    private ScoutfsMount mount;
    private final AtomicInteger tests = new AtomicInteger();

    /** The node's configuration for this class's mount. */
    protected NodeConfig configure(NodeConfig config) {
        return config;
    }

    @BeforeAll
    void mountScoutfs(@TempDir Path work) throws IOException {
        assumeFalse(Boolean.getBoolean("scoutfs.skipSystemTests"), "system tests skipped by request");
        assumeTrue(Libc.geteuid() == 0, "mounting needs root");
        // the unprivileged users of the permission tests must be able to reach the mount
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        mount = ScoutfsMount.create(work, 4L << 30, ScoutfsMount.Mode.OWN_PROCESS, this::configure);
    }

    @AfterAll
    void unmountScoutfs() {
        if (mount != null) {
            mount.close();
            mount = null;
        }
    }

    @Override
    protected Path root() throws IOException {
        Path d = mount.root().resolve("t" + tests.incrementAndGet());
        Files.createDirectory(d);
        Files.setPosixFilePermissions(d, java.nio.file.attribute.PosixFilePermissions.fromString("rwxrwxrwx"));
        return d;
    }

    @Override
    protected boolean supportsAcls() {
        return true;
    }

    @Override
    protected boolean supportsZeroRange() {
        return false;
    }

    @Override
    protected boolean supportsTmpfile() {
        return true;
    }

    @Override
    protected boolean canRemount() {
        return true;
    }

    @Override
    protected void remount() throws IOException {
        mount.remount();
    }

    @Override
    protected void betweenFsxPhases() throws IOException {
        mount.remount();
    }
}
