package org.scoutfs.fuse.internal.session;

import java.util.ArrayList;
import java.util.List;
import org.scoutfs.fuse.RequestContext;
import org.scoutfs.fuse.internal.protocol.RequestMessage;
import org.scoutfs.fuse.internal.sys.FuseDevice;

/**
 * A request between being read from the kernel and being answered: its message, the device its
 * reply must go to, and its interrupt state.
 *
 * <p>Interrupt protocol. {@link #interrupt()} may run on any reader thread at any time. It sets
 * the flag, runs the registered callbacks, and interrupts the thread that runs the operation if
 * there is one. {@link #begin()} and {@link #end()} bracket the operation on its thread; both
 * take the same lock as {@code interrupt}, so a thread is only ever interrupted while it runs
 * this request, and {@code end} clears any interrupt status left behind, so it cannot leak into
 * the next task of a pooled thread.
 */
final class InFlightRequest implements RequestContext {
    private final RequestMessage message;
    private final FuseDevice device;
    private final boolean interruptThread;

    private volatile boolean interrupted;
    private Thread runner;
    private List<Runnable> callbacks;

    InFlightRequest(RequestMessage message, FuseDevice device, boolean interruptThread) {
        this.message = message;
        this.device = device;
        this.interruptThread = interruptThread;
    }

    RequestMessage message() {
        return message;
    }

    /** The device the request was read from; its reply must be written there. */
    FuseDevice device() {
        return device;
    }

    /** Marks the current thread as the one running the operation. */
    synchronized void begin() {
        runner = Thread.currentThread();
        if (interrupted && interruptThread) {
            runner.interrupt();
        }
    }

    /** The operation has returned; the thread is no longer ours to interrupt. */
    synchronized void end() {
        runner = null;
        Thread.interrupted();
    }

    /** The kernel (or the end of the session) asks the request to stop. Idempotent. */
    void interrupt() {
        List<Runnable> toRun;
        synchronized (this) {
            if (interrupted) {
                return;
            }
            interrupted = true;
            toRun = callbacks;
            callbacks = null;
            if (runner != null && interruptThread) {
                runner.interrupt();
            }
        }
        if (toRun != null) {
            toRun.forEach(InFlightRequest::runCallback);
        }
    }

    @Override
    public int uid() {
        return message.uid();
    }

    @Override
    public int gid() {
        return message.gid();
    }

    @Override
    public int pid() {
        return message.pid();
    }

    @Override
    public long unique() {
        return message.unique();
    }

    @Override
    public boolean isInterrupted() {
        return interrupted;
    }

    @Override
    public void onInterrupt(Runnable callback) {
        synchronized (this) {
            if (!interrupted) {
                if (callbacks == null) {
                    callbacks = new ArrayList<>(2);
                }
                callbacks.add(callback);
                return;
            }
        }
        runCallback(callback);
    }

    private static void runCallback(Runnable callback) {
        try {
            callback.run();
        } catch (RuntimeException e) {
            System.getLogger(InFlightRequest.class.getName())
                    .log(System.Logger.Level.WARNING, "interrupt callback failed", e);
        }
    }

    @Override
    public String toString() {
        return message.toString();
    }
}
