package org.scoutfs.fuse.internal.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.scoutfs.fuse.Errno;

/**
 * Receives a file descriptor sent with {@code SCM_RIGHTS} over a Unix socket, the way
 * fusermount3 hands back {@code /dev/fuse}.
 *
 * <p>The layouts of {@code struct msghdr}, {@code struct iovec} and {@code struct cmsghdr} are
 * those of the 64-bit Linux ABI. The received descriptor is close-on-exec.
 */
public final class DescriptorPassing {
    private static final int MSGHDR_SIZE = 56;
    private static final int MSG_IOV = 16;
    private static final int MSG_IOVLEN = 24;
    private static final int MSG_CONTROL = 32;
    private static final int MSG_CONTROLLEN = 40;
    private static final int IOVEC_SIZE = 16;
    private static final int CMSG_LEN = 0;
    private static final int CMSG_LEVEL = 8;
    private static final int CMSG_TYPE = 12;
    private static final int CMSG_DATA = 16;
    /** {@code CMSG_SPACE(sizeof(int))} is 24; room for more keeps a surplus fd from truncating. */
    private static final int CONTROL_SIZE = 64;

    private DescriptorPassing() {
    }

    /**
     * Waits up to {@code timeoutMillis} for one message carrying a descriptor.
     *
     * @throws IOException if the peer closed the socket without sending one, the wait timed out,
     *     or the message carried no descriptor
     */
    public static int receive(int socket, int timeoutMillis) throws IOException {
        if (!LibC.pollReadable(socket, timeoutMillis)) {
            throw new IOException("no file descriptor received within " + timeoutMillis + " ms");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(1);
            MemorySegment iov = arena.allocate(IOVEC_SIZE, 8);
            iov.set(ADDRESS, 0, data);
            iov.set(JAVA_LONG, 8, data.byteSize());
            MemorySegment control = arena.allocate(CONTROL_SIZE, 8);
            MemorySegment msg = arena.allocate(MSGHDR_SIZE, 8);
            msg.set(ADDRESS, MSG_IOV, iov);
            msg.set(JAVA_LONG, MSG_IOVLEN, 1);
            msg.set(ADDRESS, MSG_CONTROL, control);
            msg.set(JAVA_LONG, MSG_CONTROLLEN, CONTROL_SIZE);
            long received = receiveRetryingOnSignal(LibC.allocateCallState(arena), socket, msg);
            if (received == 0) {
                throw new IOException("peer closed the socket without sending a file descriptor");
            }
            return descriptorIn(control, msg.get(JAVA_LONG, MSG_CONTROLLEN));
        }
    }

    private static long receiveRetryingOnSignal(MemorySegment callState, int socket, MemorySegment msg)
            throws SyscallException {
        while (true) {
            try {
                return LibC.recvmsg(callState, socket, msg, LibC.MSG_CMSG_CLOEXEC);
            } catch (SyscallException e) {
                if (!e.is(Errno.EINTR)) {
                    throw e;
                }
            }
        }
    }

    private static int descriptorIn(MemorySegment control, long controlLength) throws IOException {
        if (controlLength < CMSG_DATA + 4
                || control.get(JAVA_INT, CMSG_LEVEL) != LibC.SOL_SOCKET
                || control.get(JAVA_INT, CMSG_TYPE) != LibC.SCM_RIGHTS
                || control.get(JAVA_LONG, CMSG_LEN) < CMSG_DATA + 4) {
            throw new IOException("message carried no SCM_RIGHTS descriptor");
        }
        return control.get(JAVA_INT, CMSG_DATA);
    }
}
