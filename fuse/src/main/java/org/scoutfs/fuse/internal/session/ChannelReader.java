package org.scoutfs.fuse.internal.session;

import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import org.scoutfs.fuse.Errno;
import org.scoutfs.fuse.internal.sys.FuseDevice;
import org.scoutfs.fuse.internal.sys.LibC;
import org.scoutfs.fuse.internal.sys.SyscallException;

/**
 * The loop of one reader thread: block in {@code read(2)} on its device, hand each request to
 * the session, repeat until the connection is gone or the pool retires the thread.
 *
 * <p>Runs on a platform thread, because it spends its life blocked in a native call. The read
 * buffer and the errno slot are one native block owned by the thread and reused for every
 * request; the session copies what must outlive the next read. The loop ends when read fails with ENODEV
 * (unmounted or aborted) or ECONNABORTED; EINTR, EAGAIN and ENOENT (a request aborted while
 * being read) just retry.
 */
final class ChannelReader implements Runnable {
    private static final System.Logger LOG = System.getLogger(ChannelReader.class.getName());

    private final Session session;
    private final ReaderPool pool;

    ChannelReader(Session session, ReaderPool pool) {
        this.session = session;
        this.pool = pool;
    }

    @Override
    public void run() {
        FuseDevice device = pool.acquireDevice();
        boolean retired = false;
        // malloc rather than an arena: no zeroing of a megabyte per thread, no handshake when a
        // shared arena closes, and an operation running from the buffer may hand its data to
        // other threads while it runs.
        MemorySegment block = LibC.malloc(pool.bufferSize() + LibC.callStateSize());
        try {
            MemorySegment buffer = block.asSlice(0, pool.bufferSize());
            MemorySegment callState = block.asSlice(pool.bufferSize(), LibC.callStateSize());
            pool.readerStarted();
            while (true) {
                int length = readRequest(device, buffer, callState);
                if (length <= 0) {
                    break;
                }
                pool.requestArrived();
                session.route(buffer, length, device);
                if (pool.requestDone()) {
                    retired = true;
                    break;
                }
            }
        } catch (RuntimeException | Error e) {
            LOG.log(Level.ERROR, "reader for " + device + " failed", e);
        } finally {
            LibC.free(block);
            pool.releaseDevice(device);
            if (!retired) {
                pool.readerEnded();
            }
        }
    }

    /** Blocks for the next request; its length, or 0 once the connection is gone. */
    private int readRequest(FuseDevice device, MemorySegment buffer, MemorySegment callState) {
        while (true) {
            try {
                return device.read(callState, buffer);
            } catch (SyscallException e) {
                if (!(e.is(Errno.EINTR) || e.is(Errno.EAGAIN) || e.is(Errno.ENOENT))) {
                    if (!e.is(Errno.ENODEV) && !e.is(Errno.ECONNABORTED)) {
                        LOG.log(Level.ERROR, "reading " + device + " failed; ending the session", e);
                    }
                    pool.markConnectionLost();
                    return 0;
                }
            }
        }
    }
}
