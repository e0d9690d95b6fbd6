package org.scoutfs.cli;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scoutfs.node.testing.ScoutfsMount;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code scoutfs mkfs}, even forced, refuses a volume a node has mounted, and the mount carries on. */
class MkfsOnMountedVolumeTest {
    @TempDir
    Path dir;

    @Test
    void forcedMkfsOfAMountedVolumeIsRefused() throws Exception {
        // the node runs in its own process, as `scoutfs mount` starts it: POSIX locks are per process
        try (ScoutfsMount mount = ScoutfsMount.create(dir, 64L << 20, ScoutfsMount.Mode.OWN_PROCESS)) {
            Files.writeString(mount.root().resolve("kept"), "still here");

            CliTest.Run mkfs = CliTest.scoutfs("mkfs", "-f", "-Q", "1", mount.volume().toString());
            assertThat(mkfs.status()).isEqualTo(1);
            assertThat(mkfs.err()).startsWith("scoutfs: mkfs failed: ").contains("in use");

            assertThat(Files.readString(mount.root().resolve("kept"))).isEqualTo("still here");
            mount.remount();
            assertThat(Files.readString(mount.root().resolve("kept"))).isEqualTo("still here");
        }
    }
}
