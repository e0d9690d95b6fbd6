package org.scoutfs.node.fs;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scoutfs.lsm.BadVolumeException;
import org.scoutfs.node.NodeConfig;
import org.scoutfs.node.testing.NodeProcess;
import org.scoutfs.node.testing.ScoutfsMount;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A mounted volume belongs to its mount: a second mount, from this process or another, is
 * refused with a clear message, and the first mount carries on untouched. Once the owner is gone,
 * killed or unmounted, the volume mounts again. (mkfs of a mounted volume: the CLI's tests.)
 */
class ExclusiveMountTest {
    @TempDir
    Path dir;

    @Test
    void aSecondMountOfAMountedVolumeIsRefused() throws Exception {
        // the owner runs in its own process: a POSIX lock is per process, and closing any descriptor
        // of the file in this process would drop a lock this process held
        try (ScoutfsMount first = ScoutfsMount.create(dir, 64L << 20, ScoutfsMount.Mode.OWN_PROCESS)) {
            Files.writeString(first.root().resolve("kept"), "still here");

            // the same volume again, in this process
            Path mnt2 = Files.createDirectories(dir.resolve("mnt2"));
            assertThatThrownBy(() -> {
                try (ScoutfsMount second = ScoutfsMount.existing(first.volume(), mnt2)) {
                    // not reached: the mount must be refused
                }
            }).isInstanceOf(BadVolumeException.class).hasMessageContaining("in use by another mount");

            // and in a process of its own, as a second `scoutfs mount` would
            NodeConfig second = NodeConfig.defaults(first.volume(), mnt2).withCommitInterval(Duration.ofSeconds(2));
            assertThatThrownBy(() -> {
                try (NodeProcess p = NodeProcess.start(second, dir.resolve("second.log"))) {
                    // not reached: the node must refuse to start
                }
            }).hasMessageContaining("in use by another mount");

            assertThat(Files.readString(first.root().resolve("kept"))).isEqualTo("still here");
            Files.writeString(first.root().resolve("after"), "writes still work");
            first.remount();
            assertThat(Files.readString(first.root().resolve("after"))).isEqualTo("writes still work");
        }
    }

    @Test
    void aKilledMountLeavesTheVolumeFreeToMount() throws Exception {
        Path mnt2 = Files.createDirectories(dir.resolve("mnt2"));
        try (ScoutfsMount m = ScoutfsMount.create(dir, 64L << 20, ScoutfsMount.Mode.OWN_PROCESS)) {
            Path f = m.root().resolve("f");
            try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ch.write(StandardCharsets.UTF_8.encode("fsynced before the kill"));
                ch.force(true);
            }
            m.kill();

            // the owner died without unmounting: its lock went with it, and a fresh mount recovers
            try (ScoutfsMount again = ScoutfsMount.existing(m.volume(), mnt2)) {
                assertThat(Files.readString(again.root().resolve("f"))).isEqualTo("fsynced before the kill");
            }
        }
    }
}
