package org.scoutfs.fuse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Verifies the invariants the public value types enforce. */
class ApiValuesTest {

    @Test
    void fileNamesRejectWhatNoEntryMayContain() {
        assertThatThrownBy(() -> FileName.of("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FileName.of("a/b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FileName.of("a\0b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FileName.of("x".repeat(256))).isInstanceOf(IllegalArgumentException.class);
        assertThat(FileName.of("..").isDotDot()).isTrue();
        assertThat(FileName.of(new byte[] {(byte) 0xff, 'a'})).as("non-UTF-8 bytes survive")
                .isEqualTo(FileName.of(new byte[] {(byte) 0xff, 'a'}));
        assertThat(FileName.of("b")).isGreaterThan(FileName.of("a"));
    }

    @Test
    void errnoValuesAreTheLinuxNumbers() {
        assertThat(Errno.ENOENT.code()).isEqualTo(2);
        assertThat(Errno.ENOSYS.code()).isEqualTo(38);
        assertThat(Errno.ENODATA.code()).isEqualTo(61);
        assertThat(Errno.ENOTSUP).isSameAs(Errno.EOPNOTSUPP);
        assertThat(Errno.of(95)).isEqualTo(Errno.EOPNOTSUPP);
        assertThat(Errno.of(4095)).isEqualTo(Errno.EIO);
    }

    @Test
    void renameFlagsRejectUnknownBits() {
        assertThat(RenameFlag.fromBits(3)).containsExactlyInAnyOrder(RenameFlag.NOREPLACE, RenameFlag.EXCHANGE);
        assertThatThrownBy(() -> RenameFlag.fromBits(8)).isInstanceOfSatisfying(FuseException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
    }

    @Test
    void entriesCheckTheirShape() {
        FileAttributes attributes = FileAttributes.builder().ino(3).mode(FileMode.S_IFREG).build();
        assertThat(Entry.negative(Duration.ofSeconds(1)).isNegative()).isTrue();
        assertThatThrownBy(() -> new Entry(4, 0, attributes, Duration.ZERO, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Entry(3, 0, attributes, Duration.ofSeconds(-1), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void mountOptionsRefuseValuesThatWouldBreakTheOptionString() {
        assertThatThrownBy(() -> MountOptions.builder().fsName("a,b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> MountOptions.builder().maxWrite(2 << 20)).isInstanceOf(IllegalArgumentException.class);
        assertThat(MountOptions.defaults().method()).isEqualTo(MountOptions.Method.FUSERMOUNT);
    }
}
