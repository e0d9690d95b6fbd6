package org.scoutfs.fuse.internal.session;

import java.lang.System.Logger.Level;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.scoutfs.fuse.Errno;
import org.scoutfs.fuse.internal.sys.FuseDevice;
import org.scoutfs.fuse.internal.sys.LibC;
import org.scoutfs.fuse.internal.sys.SyscallException;

/**
 * The loop of one reader thread: block in {@code read(2)} on one device, hand each request to
 * the session, repeat until the connection is gone.
 *
 * <p>Runs on a platform thread, because it spends its life blocked in a native call. The read
 * buffer and the errno slot live in the thread's confined arena and are reused for every
 * request; the session copies what it hands to other threads. The loop ends when read fails
 * with ENODEV (unmounted or aborted) or ECONNABORTED; EINTR, EAGAIN and ENOENT (a request
 * aborted while being read) just retry.
 */
final class ChannelReader implements Runnable {
    private static final System.Logger LOG = System.getLogger(ChannelReader.class.getName());

    private final Session session;
    private final FuseDevice device;
    private final int bufferSize;

    ChannelReader(Session session, FuseDevice device, int bufferSize) {
        this.session = session;
        this.device = device;
        this.bufferSize = bufferSize;
    }

    @Override
    public void run() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(bufferSize, 4096);
            MemorySegment callState = LibC.allocateCallState(arena);
            while (readOne(buffer, callState)) {
                // each iteration handled one request
            }
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "reader for " + device + " failed", e);
        } finally {
            session.readerExited(this);
        }
    }

    /** Reads and routes one request; false when the connection is gone. */
    private boolean readOne(MemorySegment buffer, MemorySegment callState) {
        int length;
        try {
            length = device.read(callState, buffer);
        } catch (SyscallException e) {
            if (e.is(Errno.EINTR) || e.is(Errno.EAGAIN) || e.is(Errno.ENOENT)) {
                return true;
            }
            if (!e.is(Errno.ENODEV) && !e.is(Errno.ECONNABORTED)) {
                LOG.log(Level.ERROR, "reading " + device + " failed; ending the session", e);
            }
            return false;
        }
        if (length == 0) {
            return false;
        }
        session.route(buffer, length, device);
        return true;
    }

    FuseDevice device() {
        return device;
    }
}
