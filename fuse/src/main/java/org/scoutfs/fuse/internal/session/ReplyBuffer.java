package org.scoutfs.fuse.internal.session;

import java.lang.foreign.MemorySegment;
import org.scoutfs.fuse.internal.protocol.KernelAbi;
import org.scoutfs.fuse.internal.protocol.KernelAbi.OutHeader;
import org.scoutfs.fuse.internal.protocol.KernelCodec;
import org.scoutfs.fuse.internal.sys.FuseDevice;
import org.scoutfs.fuse.internal.sys.LibC;
import org.scoutfs.fuse.internal.sys.SyscallException;

/**
 * Native memory for one outgoing message: header, payload and the errno slot of the write call,
 * in one {@code malloc} block that lives exactly as long as the reply is being built.
 *
 * <p>The block is not confined to a thread, so a filesystem may fill a READ buffer from several
 * threads while its operation runs. Struct replies ask for zeroed memory (padding must be
 * zero); data replies do not, because the filesystem overwrites what is sent and the rest is
 * never sent, which saves clearing a megabyte per READ. The message goes out with a single
 * {@code write(2)}: one write is one reply, and concurrent writers never interleave.
 */
final class ReplyBuffer implements AutoCloseable {
    private final MemorySegment block;
    private final MemorySegment message;
    private final MemorySegment callState;

    private ReplyBuffer(int payloadCapacity, boolean zeroed) {
        long messageSize = KernelAbi.align8(OutHeader.SIZE + payloadCapacity);
        block = LibC.malloc(messageSize + LibC.callStateSize());
        message = block.asSlice(0, OutHeader.SIZE + (long) payloadCapacity);
        callState = block.asSlice(messageSize, LibC.callStateSize());
        if (zeroed) {
            message.fill((byte) 0);
        }
    }

    /** A zeroed buffer with room for {@code payloadCapacity} bytes after the header. */
    static ReplyBuffer allocate(int payloadCapacity) {
        return new ReplyBuffer(payloadCapacity, true);
    }

    /** A buffer whose payload the caller overwrites before sending; only the header is written here. */
    static ReplyBuffer allocateForData(int payloadCapacity) {
        return new ReplyBuffer(payloadCapacity, false);
    }

    /** The payload area, starting right after the out header. */
    MemorySegment payload() {
        return message.asSlice(OutHeader.SIZE);
    }

    /** Writes the header for {@code unique} and sends it with the first {@code payloadLength} payload bytes. */
    void send(FuseDevice device, long unique, int error, int payloadLength) throws SyscallException {
        int length = OutHeader.SIZE + payloadLength;
        KernelCodec.encodeOutHeader(message, length, error, unique);
        device.write(callState, message.asSlice(0, length));
    }

    @Override
    public void close() {
        LibC.free(block);
    }
}
