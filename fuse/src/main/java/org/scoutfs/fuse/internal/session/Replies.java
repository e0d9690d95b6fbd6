package org.scoutfs.fuse.internal.session;

import java.lang.System.Logger.Level;
import org.scoutfs.fuse.Errno;
import org.scoutfs.fuse.FuseException;
import org.scoutfs.fuse.internal.protocol.RequestMessage;
import org.scoutfs.fuse.internal.sys.FuseDevice;
import org.scoutfs.fuse.internal.sys.SyscallException;

/**
 * Sends replies and owns the one mapping from exceptions to errno replies.
 *
 * <p>Sending never throws: a reply the kernel refuses is logged and reported as {@code false}
 * so that the caller can undo what the reply would have handed over (a lookup count, an open
 * file handle). The kernel refuses a reply with ENOENT when the request no longer exists
 * (aborted) and with ENODEV when the connection is gone; both are normal during unmount and
 * interrupts. Anything else (EINVAL) means we encoded a bad reply, which is counted as a
 * protocol failure.
 */
final class Replies {
    private static final System.Logger LOG = System.getLogger(Replies.class.getName());

    private final SessionCounters counters;

    Replies(SessionCounters counters) {
        this.counters = counters;
    }

    /**
     * The errno to answer for a failed operation. {@link FuseException} carries its own;
     * anything else is a filesystem bug, logged once here and answered with EIO.
     */
    Errno errnoFor(Throwable failure, RequestMessage request) {
        if (failure instanceof FuseException fuse) {
            if (LOG.isLoggable(Level.DEBUG)) {
                LOG.log(Level.DEBUG, request + " -> " + fuse.errno() + ": " + fuse.getMessage());
            }
            return fuse.errno();
        }
        counters.unexpectedErrors.increment();
        LOG.log(Level.ERROR, "unexpected failure in " + request + ", replying EIO", failure);
        return failure instanceof OutOfMemoryError ? Errno.ENOMEM : Errno.EIO;
    }

    /** Answers with an error and no payload. */
    boolean error(InFlightRequest request, Errno errno) {
        return sendHeaderOnly(request.device(), request.unique(), -errno.code(), request.message());
    }

    /** Answers success without payload. */
    boolean empty(InFlightRequest request) {
        return sendHeaderOnly(request.device(), request.unique(), 0, request.message());
    }

    /** Answers success with the first {@code payloadLength} bytes of {@code buffer}'s payload. */
    boolean send(InFlightRequest request, ReplyBuffer buffer, int payloadLength) {
        return write(request.device(), request.unique(), buffer, 0, payloadLength, request.message());
    }

    /**
     * Answers a request that has no {@link InFlightRequest} (INIT, DESTROY, INTERRUPT's EAGAIN),
     * on the device it was read from.
     */
    boolean sendRaw(FuseDevice device, long unique, int error, ReplyBuffer buffer, int payloadLength) {
        return write(device, unique, buffer, error, payloadLength, null);
    }

    /** Answers with only a header; used for EAGAIN to an INTERRUPT and for DESTROY. */
    boolean headerOnly(FuseDevice device, long unique, int error) {
        return sendHeaderOnly(device, unique, error, null);
    }

    private boolean sendHeaderOnly(FuseDevice device, long unique, int error, RequestMessage request) {
        try (ReplyBuffer buffer = ReplyBuffer.allocate(0)) {
            return write(device, unique, buffer, error, 0, request);
        }
    }

    private boolean write(FuseDevice device, long unique, ReplyBuffer buffer, int error, int payloadLength,
            RequestMessage request) {
        try {
            buffer.send(device, unique, error, payloadLength);
            return true;
        } catch (SyscallException e) {
            if (e.is(Errno.ENOENT) || e.is(Errno.ENODEV) || e.is(Errno.ECONNABORTED)) {
                LOG.log(Level.DEBUG, () -> "reply to " + describe(unique, request) + " not delivered: " + e.getMessage());
            } else {
                counters.failedReplies.increment();
                LOG.log(Level.ERROR, "kernel refused reply to " + describe(unique, request), e);
            }
            return false;
        }
    }

    private static String describe(long unique, RequestMessage request) {
        return request != null ? request.toString() : "unique " + unique;
    }
}
