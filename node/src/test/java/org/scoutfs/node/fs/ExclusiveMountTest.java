package org.scoutfs.node.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scoutfs.lsm.BadVolumeException;
import org.scoutfs.lsm.block.FileBlockDevice;
import org.scoutfs.lsm.server.Mkfs;
import org.scoutfs.node.NodeConfig;
import org.scoutfs.node.testing.NodeProcess;
import org.scoutfs.node.testing.ScoutfsMount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A mounted volume belongs to its mount: a second mount, from this process or another, and mkfs
 * (even forced) are refused with a clear message, and the first mount carries on untouched.
 * Once the owner is gone, killed or unmounted, the volume mounts again.
 */
class ExclusiveMountTest {
    @TempDir
    Path dir;

    @Test
    void aSecondMountOrMkfsOfAMountedVolumeIsRefused() throws Exception {
        // the owner runs in its own process: a POSIX lock is per process, and closing any descriptor
        // of the file in this process would drop a lock this process held
        try (ScoutfsMount first = ScoutfsMount.create(dir, 64L << 20, ScoutfsMount.Mode.OWN_PROCESS)) {
            Files.writeString(first.root().resolve("kept"), "still here");

            // the same volume again, in this process
            Path mnt2 = Files.createDirectories(dir.resolve("mnt2"));
            assertThatThrownBy(() -> ScoutfsMount.existing(first.volume(), mnt2))
                    .isInstanceOf(BadVolumeException.class)
                    .hasMessageContaining("in use by another mount");

            // and in a process of its own, as a second `scoutfs mount` would
            NodeConfig second = NodeConfig.defaults(first.volume(), mnt2).withCommitInterval(Duration.ofSeconds(2));
            assertThatThrownBy(() -> {
                try (NodeProcess p = NodeProcess.start(second, dir.resolve("second.log"))) {
                    // not reached: the node must refuse to start
                }
            }).hasMessageContaining("in use by another mount");

            // mkfs, even forced, would write over a live volume
            try (FileBlockDevice d = FileBlockDevice.open(first.volume(), true)) {
                assertThatThrownBy(() -> {
                    d.claimExclusive("mkfs");
                    Mkfs.format(d, null, new Mkfs.Options(1, 0, true));
                }).isInstanceOf(BadVolumeException.class).hasMessageContaining("in use");
            }

            assertThat(Files.readString(first.root().resolve("kept"))).isEqualTo("still here");
            Files.writeString(first.root().resolve("after"), "writes still work");
            first.remount();
            assertThat(Files.readString(first.root().resolve("after"))).isEqualTo("writes still work");
        }
    }

    @Test
    void aKilledMountLeavesTheVolumeFreeToMount() throws Exception {
        try (ScoutfsMount m = ScoutfsMount.create(dir, 64L << 20, ScoutfsMount.Mode.OWN_PROCESS)) {
            Files.writeString(m.root().resolve("f"), "x");
        }
        // the owner is gone: a fresh mount of the same volume works
        Path mnt2 = Files.createDirectories(dir.resolve("mnt2"));
        try (ScoutfsMount again = ScoutfsMount.existing(dir.resolve("volume"), mnt2)) {
            assertThat(Files.exists(again.root().resolve("f"))).isTrue();
        } catch (IOException e) {
            throw new AssertionError("remounting after the owner exited failed", e);
        }
    }
}
