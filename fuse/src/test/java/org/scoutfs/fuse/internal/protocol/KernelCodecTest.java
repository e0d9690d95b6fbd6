package org.scoutfs.fuse.internal.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.scoutfs.fuse.Entry;
import org.scoutfs.fuse.Errno;
import org.scoutfs.fuse.FileAttributes;
import org.scoutfs.fuse.FileMode;
import org.scoutfs.fuse.FileName;
import org.scoutfs.fuse.FuseException;
import org.scoutfs.fuse.SetAttrChanges;
import org.scoutfs.fuse.internal.protocol.KernelAbi.InHeader;
import org.scoutfs.fuse.internal.protocol.KernelAbi.Opcode;
import org.scoutfs.fuse.internal.protocol.KernelAbi.SetattrIn;
import org.scoutfs.fuse.internal.protocol.KernelAbi.SetattrValid;

/** Verifies request decoding and reply encoding against hand-built kernel structs, without a mount. */
class KernelCodecTest {
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;

    @Test
    void headerIsParsedAndExtensionsAreExcludedFromTheBody() {
        MemorySegment message = request(Opcode.LOOKUP, 77, 5, 24);
        message.set(ValueLayout.JAVA_SHORT_UNALIGNED, InHeader.TOTAL_EXTLEN, (short) 1);
        putString(message, InHeader.SIZE, "name");

        RequestMessage m = RequestMessage.parse(message, (int) message.byteSize());
        assertThat(m.opcode()).isEqualTo(Opcode.LOOKUP);
        assertThat(m.unique()).isEqualTo(77);
        assertThat(m.nodeId()).isEqualTo(5);
        assertThat(m.uid()).isEqualTo(1000);
        assertThat(m.bodyLength()).isEqualTo(16);
        assertThat(m.name(0)).isEqualTo(FileName.of("name"));
    }

    @Test
    void readsBeyondTheBodyAreEinval() {
        MemorySegment message = request(Opcode.LOOKUP, 1, 1, 8);
        message.asSlice(InHeader.SIZE).fill((byte) 'x');
        RequestMessage m = RequestMessage.parse(message, InHeader.SIZE + 8);
        assertThatThrownBy(() -> m.u64(4)).isInstanceOfSatisfying(FuseException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));
        assertThatThrownBy(() -> m.name(0)).as("name without terminating NUL").isInstanceOf(FuseException.class);
    }

    @Test
    void lengthMismatchIsRejectedBeforeDecoding() {
        MemorySegment message = request(Opcode.GETATTR, 1, 1, 8);
        assertThatThrownBy(() -> RequestMessage.parse(message, InHeader.SIZE + 4))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void setattrDecodesOnlyValidFieldsAndResolvesNow() {
        MemorySegment message = request(Opcode.SETATTR, 1, 9, SetattrIn.SIZE);
        long body = InHeader.SIZE;
        message.set(U32, body + SetattrIn.VALID, SetattrValid.MODE | SetattrValid.SIZE | SetattrValid.ATIME
                | SetattrValid.ATIME_NOW | SetattrValid.MTIME | SetattrValid.FH);
        message.set(U32, body + SetattrIn.MODE, FileMode.S_IFREG | 0640);
        message.set(U64, body + SetattrIn.FILE_SIZE, 4096);
        message.set(U64, body + SetattrIn.MTIME, 1_000_000_000L);
        message.set(U32, body + SetattrIn.MTIMENSEC, 5);
        message.set(U64, body + SetattrIn.FH, 42);
        message.set(U32, body + SetattrIn.UID, 77);
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        SetAttrChanges changes = KernelCodec.decodeSetattr(RequestMessage.parse(message, (int) message.byteSize()), now);
        assertThat(changes.mode()).hasValue(0640);
        assertThat(changes.size()).hasValue(4096);
        assertThat(changes.atime()).hasValue(now);
        assertThat(changes.atimeIsNow()).isTrue();
        assertThat(changes.mtime()).hasValue(Instant.ofEpochSecond(1_000_000_000L, 5));
        assertThat(changes.mtimeIsNow()).isFalse();
        assertThat(changes.fh()).hasValue(42);
        assertThat(changes.uid()).as("uid without its valid bit").isEmpty();
        assertThat(changes.ctime()).isEmpty();
    }

    @Test
    void renameNamesFollowTheStruct() {
        MemorySegment message = request(Opcode.RENAME2, 1, 2, KernelAbi.Rename2In.SIZE + 8);
        message.set(U64, InHeader.SIZE + KernelAbi.Rename2In.NEWDIR, 3);
        message.set(U32, InHeader.SIZE + KernelAbi.Rename2In.FLAGS, 2);
        putString(message, InHeader.SIZE + KernelAbi.Rename2In.SIZE, "a");
        putString(message, InHeader.SIZE + KernelAbi.Rename2In.SIZE + 2, "bcd");

        var rename = KernelCodec.decodeRename2(RequestMessage.parse(message, (int) message.byteSize()));
        assertThat(rename.newParent()).isEqualTo(3);
        assertThat(rename.flags()).isEqualTo(2);
        assertThat(rename.name()).isEqualTo(FileName.of("a"));
        assertThat(rename.newName()).isEqualTo(FileName.of("bcd"));
    }

    @Test
    void entryIsEncodedAtTheKernelOffsets() {
        FileAttributes attributes = FileAttributes.builder().ino(12).size(3).mode(FileMode.S_IFREG | 0644).nlink(1)
                .mtime(Instant.ofEpochSecond(100, 7)).build();
        Entry entry = new Entry(12, 99, attributes, Duration.ofMillis(1500), Duration.ofSeconds(2));
        MemorySegment out = MemorySegment.ofArray(new byte[KernelAbi.EntryOut.SIZE]);

        KernelCodec.encodeEntry(out, 0, entry);
        assertThat(out.get(U64, KernelAbi.EntryOut.NODEID)).isEqualTo(12);
        assertThat(out.get(U64, KernelAbi.EntryOut.GENERATION)).isEqualTo(99);
        assertThat(out.get(U64, KernelAbi.EntryOut.ENTRY_VALID)).isEqualTo(1);
        assertThat(out.get(U32, KernelAbi.EntryOut.ENTRY_VALID_NSEC)).isEqualTo(500_000_000);
        assertThat(out.get(U64, KernelAbi.EntryOut.ATTR_VALID)).isEqualTo(2);
        long attr = KernelAbi.EntryOut.ATTR;
        assertThat(out.get(U64, attr + KernelAbi.Attr.FILE_SIZE)).isEqualTo(3);
        assertThat(out.get(U64, attr + KernelAbi.Attr.MTIME)).isEqualTo(100);
        assertThat(out.get(U32, attr + KernelAbi.Attr.MTIMENSEC)).isEqualTo(7);
        assertThat(out.get(U32, attr + KernelAbi.Attr.MODE)).isEqualTo(FileMode.S_IFREG | 0644);
    }

    @Test
    void directoryRecordsAreEightByteAligned() {
        assertThat(KernelCodec.direntSize(1)).isEqualTo(32);
        assertThat(KernelCodec.direntSize(8)).isEqualTo(32);
        assertThat(KernelCodec.direntSize(9)).isEqualTo(40);
        assertThat(KernelCodec.direntPlusSize(1)).isEqualTo(KernelAbi.EntryOut.SIZE + 32);

        MemorySegment out = MemorySegment.ofArray(new byte[64]);
        int size = KernelCodec.encodeDirent(out, 0, FileName.of("abc"), 5, FileMode.S_IFDIR, 9);
        assertThat(size).isEqualTo(32);
        assertThat(out.get(U32, KernelAbi.Dirent.TYPE)).isEqualTo(4);
        assertThat(out.get(U64, KernelAbi.Dirent.OFF)).isEqualTo(9);
        assertThat(out.get(U32, KernelAbi.Dirent.NAMELEN)).isEqualTo(3);
    }

    @Test
    void notificationsCarryTheirCodeInTheErrorField() {
        MemorySegment out = MemorySegment.ofArray(new byte[64]);
        KernelCodec.encodeNotifyInvalEntry(out, 7, FileName.of("xy"), true);
        assertThat(out.get(U32, KernelAbi.OutHeader.LEN)).isEqualTo(16 + 16 + 3);
        assertThat(out.get(U32, KernelAbi.OutHeader.ERROR)).isEqualTo(KernelAbi.NotifyCode.INVAL_ENTRY);
        assertThat(out.get(U64, KernelAbi.OutHeader.UNIQUE)).isZero();
        assertThat(out.get(U32, 16 + KernelAbi.NotifyInvalEntryOut.FLAGS)).isEqualTo(1);
        assertThat(out.get(ValueLayout.JAVA_BYTE, 16 + 16 + 2)).isZero();
    }

    @Test
    void opcodeNamesAreReadable() {
        assertThat(KernelAbi.Opcode.name(Opcode.READDIRPLUS)).isEqualTo("READDIRPLUS");
        assertThat(KernelAbi.Opcode.name(4242)).isEqualTo("OPCODE_4242");
    }

    /** A request of the given opcode with a zeroed body of {@code bodyLength} bytes. */
    private static MemorySegment request(int opcode, long unique, long nodeId, int bodyLength) {
        MemorySegment message = MemorySegment.ofArray(new byte[InHeader.SIZE + bodyLength]);
        message.set(U32, InHeader.LEN, InHeader.SIZE + bodyLength);
        message.set(U32, InHeader.OPCODE, opcode);
        message.set(U64, InHeader.UNIQUE, unique);
        message.set(U64, InHeader.NODEID, nodeId);
        message.set(U32, InHeader.UID, 1000);
        message.set(U32, InHeader.GID, 1000);
        message.set(U32, InHeader.PID, 4321);
        return message;
    }

    private static void putString(MemorySegment message, long offset, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        MemorySegment.copy(bytes, 0, message, ValueLayout.JAVA_BYTE, offset, bytes.length);
        message.set(ValueLayout.JAVA_BYTE, offset + bytes.length, (byte) 0);
    }
}
