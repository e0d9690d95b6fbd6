package org.scoutfs.fuse.internal.session;

import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.scoutfs.fuse.internal.sys.FuseDevice;
import org.scoutfs.fuse.internal.sys.SyscallException;

/**
 * The platform threads that read requests from the kernel, grown and shrunk on demand.
 *
 * <p>Leader/follower. When operations run on the thread that read them (the default), a reader
 * that has just taken a request checks whether any other reader is still waiting in
 * {@code read(2)}; if none is, it starts one before running the operation. So a blocking
 * operation never leaves the kernel without a reader, and a quick one costs no hand-off to
 * another thread (on small virtual machines the wake-up of a second thread is most of a round
 * trip). Surplus readers retire when plenty of others are free again. When operations are
 * handed to an executor instead, readers never block and the pool stays at its minimum.
 *
 * <p>Invariants: {@code alive} counts started readers that have not exited; it only drops to
 * zero when every reader has seen the connection end, which is when the session finishes.
 * Each reader after the first gets its own cloned device (if enabled) and closes it on exit;
 * the first device belongs to the session.
 */
final class ReaderPool {
    private static final System.Logger LOG = System.getLogger(ReaderPool.class.getName());

    /** Free readers kept beyond the minimum before surplus readers retire. */
    static final int SPARE_IDLE_READERS = 4;

    private final Session session;
    private final FuseDevice master;
    private final int minReaders;
    private final int maxReaders;
    private final boolean growOnDemand;
    private final boolean cloneDevices;
    private final int bufferSize;
    private final AtomicInteger alive = new AtomicInteger();
    private final AtomicInteger idle = new AtomicInteger();
    private final AtomicInteger started = new AtomicInteger();
    private final AtomicBoolean connectionLost = new AtomicBoolean();
    private final AtomicBoolean saturationReported = new AtomicBoolean();
    private final Set<FuseDevice> devices = ConcurrentHashMap.newKeySet();

    ReaderPool(Session session, FuseDevice master, int minReaders, int maxReaders, boolean growOnDemand,
            boolean cloneDevices, int bufferSize) {
        this.session = session;
        this.master = master;
        this.minReaders = minReaders;
        this.maxReaders = Math.max(minReaders, maxReaders);
        this.growOnDemand = growOnDemand;
        this.cloneDevices = cloneDevices;
        this.bufferSize = bufferSize;
    }

    void start() {
        for (int i = 0; i < minReaders; i++) {
            alive.incrementAndGet();
            startThread();
        }
    }

    /** The devices readers currently use; a reply can only go to the one its request came from. */
    Set<FuseDevice> devices() {
        return devices;
    }

    int bufferSize() {
        return bufferSize;
    }

    // ------------------------------------------------------------------ called by readers

    /** The device a new reader reads from: the session's own for the first, a clone for later ones. */
    FuseDevice acquireDevice() {
        FuseDevice device = master;
        if (cloneDevices && !devices.isEmpty()) {
            try {
                device = master.cloneDevice();
            } catch (SyscallException e) {
                LOG.log(Level.DEBUG, "FUSE_DEV_IOC_CLONE failed; sharing the first descriptor", e);
            }
        }
        devices.add(device);
        return device;
    }

    void releaseDevice(FuseDevice device) {
        if (device != master) {
            devices.remove(device);
            device.close();
        }
    }

    /** A reader thread is up and about to read. */
    void readerStarted() {
        idle.incrementAndGet();
    }

    /**
     * A reader took a request. If no other reader is free to read the next one, start a follower
     * before running it. "Free" includes readers on their way back to {@code read(2)}, so a
     * strict ping-pong between one client and two readers never starts a thread.
     */
    void requestArrived() {
        if (idle.decrementAndGet() == 0 && growOnDemand && !connectionLost.get()) {
            spawnIfBelowMax();
        }
    }

    /**
     * A reader finished a request; returns whether it should exit. Readers above the minimum
     * retire only while more than {@link #SPARE_IDLE_READERS} beyond the minimum are free, so a
     * load that varies a little around the pool size does not start and stop a thread per
     * request (each start costs a descriptor clone and a read buffer).
     */
    boolean requestDone() {
        int free = idle.incrementAndGet();
        if (!growOnDemand || free <= minReaders + SPARE_IDLE_READERS) {
            return false;
        }
        int count;
        while ((count = alive.get()) > minReaders) {
            if (alive.compareAndSet(count, count - 1)) {
                idle.decrementAndGet();
                return true;
            }
        }
        return false;
    }

    /**
     * A reader saw the connection end: no more followers are started, and operations still
     * running on other readers are interrupted now, because nobody waits for their replies and
     * the session cannot finish before they return.
     */
    void markConnectionLost() {
        if (connectionLost.compareAndSet(false, true)) {
            session.connectionLost();
        }
    }

    /** A reader exited for good; the last one to exit finishes the session. */
    void readerEnded() {
        markConnectionLost();
        if (alive.decrementAndGet() == 0) {
            session.finish();
        }
    }

    private void spawnIfBelowMax() {
        int count;
        while ((count = alive.get()) < maxReaders) {
            if (alive.compareAndSet(count, count + 1)) {
                saturationReported.set(false);
                startThread();
                return;
            }
        }
        if (saturationReported.compareAndSet(false, true)) {
            LOG.log(Level.WARNING, "all {0} FUSE reader threads are busy; new requests wait", maxReaders);
        }
    }

    private void startThread() {
        Thread.ofPlatform().daemon().name("fuse-reader-" + started.getAndIncrement()).start(new ChannelReader(session, this));
    }
}
