package org.scoutfs.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.scoutfs.fuse.testfs.MemoryFileSystem;

/** Verifies that INIT negotiation gets 1 MiB requests from the kernel. */
class RequestSizeMountTest {

    @Test
    void ddWithOneMebibyteBlocksArrivesAsOneMebibyteWrites() throws Exception {
        try (MountFixture m = MountFixture.mount(new MemoryFileSystem())) {
            assertThat(m.mount.connection().maxWrite()).isEqualTo(1 << 20);
            assertThat(m.mount.connection().maxPages()).isEqualTo(256);
            Shell.run("dd", "if=/dev/zero", "of=" + m.path("big"), "bs=1M", "count=8", "conv=fsync").assertSuccess();
            assertThat(Files.size(m.path("big"))).isEqualTo(8L << 20);
            assertThat(m.fs.probe().largestWrite()).isEqualTo(1048576);
        }
    }

    @Test
    void raisedBackingDeviceReadaheadGivesOneMebibyteReads() throws Exception {
        try (MountFixture m = MountFixture.mount(new MemoryFileSystem(),
                MountOptions.builder().backingDeviceReadAheadKb(1024))) {
            String device = Shell.run("mountpoint", "-d", m.dir.toString()).assertSuccess().stdout().trim();
            String readAhead = Files.readString(Path.of("/sys/class/bdi", device, "read_ahead_kb")).trim();
            assertThat(readAhead).isEqualTo("1024");

            Shell.run("dd", "if=/dev/zero", "of=" + m.path("big"), "bs=1M", "count=8").assertSuccess();
            Shell.run("sh", "-c", "echo 3 > /proc/sys/vm/drop_caches").assertSuccess();
            Shell.run("dd", "if=" + m.path("big"), "of=/dev/null", "bs=1M").assertSuccess();
            assertThat(m.fs.probe().largestRead()).isEqualTo(1048576);
        }
    }

    @Test
    void writebackCacheCanBeSwitchedOn() throws Exception {
        try (MountFixture m = MountFixture.mount(new MemoryFileSystem(), MountOptions.builder().writebackCache(true))) {
            assertThat(m.mount.connection().writebackCache()).isTrue();
            Shell.run("dd", "if=/dev/urandom", "of=" + m.path("cached"), "bs=64k", "count=16", "conv=fsync")
                    .assertSuccess();
            Shell.run("cp", m.path("cached").toString(), m.path("copy").toString()).assertSuccess();
            Shell.run("cmp", m.path("cached").toString(), m.path("copy").toString()).assertSuccess();
        }
    }
}
