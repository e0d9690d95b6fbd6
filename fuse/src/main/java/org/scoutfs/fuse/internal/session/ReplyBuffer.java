package org.scoutfs.fuse.internal.session;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.scoutfs.fuse.internal.protocol.KernelAbi.OutHeader;
import org.scoutfs.fuse.internal.protocol.KernelCodec;
import org.scoutfs.fuse.internal.sys.FuseDevice;
import org.scoutfs.fuse.internal.sys.LibC;
import org.scoutfs.fuse.internal.sys.SyscallException;

/**
 * Native memory for one outgoing message: header, payload and the errno slot of the write call,
 * in one confined arena that lives exactly as long as the reply is being built.
 *
 * <p>The message is written with a single {@code write(2)}, which is how the kernel wants it:
 * one write is one reply, and concurrent writers never interleave. Confinement means the
 * buffer is built, sent and closed on one thread, which is the thread running the operation.
 */
final class ReplyBuffer implements AutoCloseable {
    private final Arena arena;
    private final MemorySegment message;
    private final MemorySegment callState;

    private ReplyBuffer(int payloadCapacity) {
        arena = Arena.ofConfined();
        message = arena.allocate(OutHeader.SIZE + (long) payloadCapacity, 8);
        callState = LibC.allocateCallState(arena);
    }

    /** A zeroed buffer with room for {@code payloadCapacity} bytes after the header. */
    static ReplyBuffer allocate(int payloadCapacity) {
        return new ReplyBuffer(payloadCapacity);
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
        arena.close();
    }
}
