package org.scoutfs.fuse.internal.sys;

import java.lang.foreign.MemorySegment;
import java.util.concurrent.atomic.AtomicBoolean;
import org.scoutfs.fuse.internal.protocol.KernelAbi;

/**
 * One open descriptor of {@code /dev/fuse}: the channel requests are read from and replies
 * written to.
 *
 * <p>A reply must go to the descriptor its request was read from, because each descriptor has
 * its own list of requests in processing. {@link #cloneDevice()} creates another descriptor
 * attached to the same connection ({@code FUSE_DEV_IOC_CLONE}), so each reader thread can have
 * its own list. Reads and writes are thread-safe at the kernel level; {@link #close()} must
 * wait until no thread is blocked in {@link #read} (the session closes devices only after its
 * readers have exited).
 */
public final class FuseDevice implements AutoCloseable {
    private static final String PATH = "/dev/fuse";

    private final int fd;
    private final AtomicBoolean closed = new AtomicBoolean();

    private FuseDevice(int fd) {
        this.fd = fd;
    }

    /** Opens a new, not yet mounted connection. */
    public static FuseDevice open() throws SyscallException {
        return new FuseDevice(LibC.open(PATH, LibC.O_RDWR | LibC.O_CLOEXEC, 0));
    }

    /** Takes ownership of a descriptor received from fusermount3. */
    public static FuseDevice adopt(int fd) {
        return new FuseDevice(fd);
    }

    /** A second descriptor for the same, already mounted, connection. */
    public FuseDevice cloneDevice() throws SyscallException {
        FuseDevice clone = open();
        try {
            LibC.ioctlWithInt(clone.fd, KernelAbi.FUSE_DEV_IOC_CLONE, fd);
        } catch (SyscallException e) {
            clone.close();
            throw e;
        }
        return clone;
    }

    public int fd() {
        return fd;
    }

    /** Blocks until the kernel has a request; returns its length. */
    public int read(MemorySegment callState, MemorySegment buffer) throws SyscallException {
        return LibC.read(callState, fd, buffer);
    }

    /** Writes one complete reply or notification. */
    public void write(MemorySegment callState, MemorySegment message) throws SyscallException {
        int written = LibC.write(callState, fd, message);
        if (written != message.byteSize()) {
            throw new IllegalStateException("short write to /dev/fuse: " + written + " of " + message.byteSize());
        }
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            try {
                LibC.close(fd);
            } catch (SyscallException e) {
                System.getLogger(FuseDevice.class.getName()).log(System.Logger.Level.WARNING, "closing /dev/fuse", e);
            }
        }
    }

    @Override
    public String toString() {
        return "FuseDevice[fd=" + fd + "]";
    }
}
