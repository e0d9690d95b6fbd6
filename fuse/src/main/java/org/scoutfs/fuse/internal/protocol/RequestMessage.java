package org.scoutfs.fuse.internal.protocol;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.scoutfs.fuse.Errno;
import org.scoutfs.fuse.FileName;
import org.scoutfs.fuse.FuseException;
import org.scoutfs.fuse.internal.protocol.KernelAbi.InHeader;

/**
 * One request as read from {@code /dev/fuse}: the decoded header plus bounds-checked access to
 * the body that follows it.
 *
 * <p>The message lives in a segment owned by this object (a heap copy of the reader's buffer),
 * so it can be handed to another thread. Body offsets are relative to the end of the header;
 * reads past the body throw {@link FuseException} with {@link Errno#EINVAL}, which turns a
 * malformed request into an error reply instead of a crash. Trailing request extensions
 * ({@code total_extlen}) are excluded from the body.
 */
public final class RequestMessage {
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    private final MemorySegment message;
    private final int opcode;
    private final long unique;
    private final long nodeId;
    private final int uid;
    private final int gid;
    private final int pid;
    private final int bodyLength;

    private RequestMessage(MemorySegment message, int bodyLength) {
        this.message = message;
        this.opcode = message.get(U32, InHeader.OPCODE);
        this.unique = message.get(U64, InHeader.UNIQUE);
        this.nodeId = message.get(U64, InHeader.NODEID);
        this.uid = message.get(U32, InHeader.UID);
        this.gid = message.get(U32, InHeader.GID);
        this.pid = message.get(U32, InHeader.PID);
        this.bodyLength = bodyLength;
    }

    /**
     * Parses the header of the {@code length} bytes at the start of {@code message}.
     *
     * @throws IllegalArgumentException if the bytes cannot be a request; the caller cannot even
     *     reply then, because the unique id is unknown
     */
    public static RequestMessage parse(MemorySegment message, int length) {
        if (length < InHeader.SIZE || message.byteSize() < length) {
            throw new IllegalArgumentException("short request: " + length + " bytes");
        }
        int declared = message.get(U32, InHeader.LEN);
        if (declared != length) {
            throw new IllegalArgumentException("request length " + declared + " but read " + length);
        }
        int extensions = Short.toUnsignedInt(message.get(U16, InHeader.TOTAL_EXTLEN)) * 8;
        int body = length - InHeader.SIZE - extensions;
        if (body < 0) {
            throw new IllegalArgumentException("extensions longer than request");
        }
        return new RequestMessage(message.asSlice(0, length), body);
    }

    public int opcode() {
        return opcode;
    }

    public long unique() {
        return unique;
    }

    /** The inode the request is about (the parent directory for name operations). */
    public long nodeId() {
        return nodeId;
    }

    public int uid() {
        return uid;
    }

    public int gid() {
        return gid;
    }

    public int pid() {
        return pid;
    }

    /** Bytes after the header, excluding extensions. */
    public int bodyLength() {
        return bodyLength;
    }

    public int u32(int offset) {
        check(offset, 4);
        return message.get(U32, InHeader.SIZE + offset);
    }

    public long u64(int offset) {
        check(offset, 8);
        return message.get(U64, InHeader.SIZE + offset);
    }

    /** A read-only view of {@code length} body bytes at {@code offset}. */
    public MemorySegment bytes(int offset, int length) {
        check(offset, length);
        return message.asSlice(InHeader.SIZE + offset, length).asReadOnly();
    }

    /**
     * Length of the NUL-terminated string at body {@code offset}, without the NUL.
     *
     * @throws FuseException {@link Errno#EINVAL} if no NUL follows within the body
     */
    public int stringLength(int offset) {
        check(offset, 0);
        for (int i = offset; i < bodyLength; i++) {
            if (message.get(ValueLayout.JAVA_BYTE, InHeader.SIZE + i) == 0) {
                return i - offset;
            }
        }
        throw new FuseException(Errno.EINVAL, "unterminated string in " + KernelAbi.Opcode.name(opcode));
    }

    /** The NUL-terminated string at body {@code offset}, as bytes. */
    public byte[] string(int offset) {
        return bytes(offset, stringLength(offset)).toArray(ValueLayout.JAVA_BYTE);
    }

    /** The NUL-terminated directory entry name at body {@code offset}. */
    public FileName name(int offset) {
        byte[] bytes = string(offset);
        if (bytes.length > FileName.MAX_LENGTH) {
            // the kernel leaves NAME_MAX to FUSE filesystems
            throw new FuseException(Errno.ENAMETOOLONG, "name of " + bytes.length + " bytes");
        }
        try {
            return FileName.of(bytes);
        } catch (IllegalArgumentException e) {
            throw new FuseException(Errno.EINVAL, e.getMessage());
        }
    }

    private void check(int offset, int length) {
        if (offset < 0 || length < 0 || offset + length > bodyLength) {
            throw new FuseException(Errno.EINVAL, KernelAbi.Opcode.name(opcode) + " body of " + bodyLength
                    + " bytes has no field at " + offset + "+" + length);
        }
    }

    @Override
    public String toString() {
        return KernelAbi.Opcode.name(opcode) + "(unique=" + unique + ", node=" + nodeId + ", uid=" + uid
                + ", pid=" + pid + ", body=" + bodyLength + ")";
    }
}
