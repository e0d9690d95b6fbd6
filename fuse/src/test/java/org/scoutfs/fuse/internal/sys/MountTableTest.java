package org.scoutfs.fuse.internal.sys;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Verifies mountinfo parsing, including the octal escapes of unusual mount point names. */
class MountTableTest {

    @Test
    void parsesDeviceMountPointTypeAndSource() {
        MountTable.MountEntry entry = MountTable.parse(
                "36 35 0:53 / /tmp/a\\040b rw,nosuid,nodev,relatime shared:1 - fuse.scoutfs scoutfs rw,user_id=0");
        assertThat(entry).isNotNull();
        assertThat(entry.device()).isEqualTo("0:53");
        assertThat(entry.mountPoint()).isEqualTo("/tmp/a b");
        assertThat(entry.fsType()).isEqualTo("fuse.scoutfs");
        assertThat(entry.source()).isEqualTo("scoutfs");
    }

    @Test
    void optionalFieldsMayBeAbsent() {
        MountTable.MountEntry entry = MountTable.parse("22 1 0:21 / /proc rw,relatime - proc proc rw");
        assertThat(entry.mountPoint()).isEqualTo("/proc");
        assertThat(entry.fsType()).isEqualTo("proc");
    }

    @Test
    void malformedLinesAreIgnored() {
        assertThat(MountTable.parse("garbage")).isNull();
        assertThat(MountTable.unescape("back\\134slash")).isEqualTo("back\\slash");
        assertThat(MountTable.unescape("not\\9escape")).isEqualTo("not\\9escape");
    }
}
