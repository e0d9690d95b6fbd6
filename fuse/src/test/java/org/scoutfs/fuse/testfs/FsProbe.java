package org.scoutfs.fuse.testfs;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.scoutfs.fuse.RequestContext;

/**
 * What tests observe about, and inject into, a {@link MemoryFileSystem}: request statistics and
 * hooks that run (outside the filesystem's lock) at the start of selected operations.
 */
public final class FsProbe {
    /** Code a test runs inside an operation, for example to block until interrupted. */
    @FunctionalInterface
    public interface Hook {
        void run(RequestContext ctx, long ino) throws Exception;
    }

    final AtomicInteger largestWrite = new AtomicInteger();
    final AtomicLong writes = new AtomicLong();
    final AtomicInteger largestRead = new AtomicInteger();
    final AtomicLong readdirCalls = new AtomicLong();
    final AtomicLong readdirplusCalls = new AtomicLong();
    final AtomicLong forgets = new AtomicLong();
    final AtomicInteger destroyCalls = new AtomicInteger();
    volatile Hook readHook;
    volatile Hook fsyncHook;
    volatile Hook getattrHook;

    public int largestWrite() {
        return largestWrite.get();
    }

    /** Largest READ request seen, in bytes. */
    public int largestRead() {
        return largestRead.get();
    }

    public long writes() {
        return writes.get();
    }

    public long readdirCalls() {
        return readdirCalls.get();
    }

    public long readdirplusCalls() {
        return readdirplusCalls.get();
    }

    public long forgets() {
        return forgets.get();
    }

    public int destroyCalls() {
        return destroyCalls.get();
    }

    public void onRead(Hook hook) {
        readHook = hook;
    }

    public void onFsync(Hook hook) {
        fsyncHook = hook;
    }

    public void onGetattr(Hook hook) {
        getattrHook = hook;
    }

    void recordRead(int size) {
        largestRead.accumulateAndGet(size, Math::max);
    }

    void recordWrite(int size) {
        writes.incrementAndGet();
        largestWrite.accumulateAndGet(size, Math::max);
    }
}
