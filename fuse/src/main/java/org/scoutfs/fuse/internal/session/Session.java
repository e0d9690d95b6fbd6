package org.scoutfs.fuse.internal.session;

import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.scoutfs.fuse.ConnectionInfo;
import org.scoutfs.fuse.Errno;
import org.scoutfs.fuse.FuseCounters;
import org.scoutfs.fuse.FuseFileSystem;
import org.scoutfs.fuse.FuseNotifier;
import org.scoutfs.fuse.MountOptions;
import org.scoutfs.fuse.internal.protocol.KernelAbi;
import org.scoutfs.fuse.internal.protocol.KernelAbi.Opcode;
import org.scoutfs.fuse.internal.protocol.KernelCodec;
import org.scoutfs.fuse.internal.protocol.RequestMessage;
import org.scoutfs.fuse.internal.sys.FuseDevice;
import org.scoutfs.fuse.internal.sys.MountedConnection;
import org.scoutfs.fuse.internal.sys.SyscallException;

/**
 * One FUSE connection from INIT to the end: reader threads, request routing, the filesystem's
 * lifecycle callbacks and the termination signal.
 *
 * <p>Routing. Readers call {@link #route} with the request still in their own buffer. Requests
 * that are cheap, order-sensitive or have no reply are handled right there: INIT (nothing else
 * arrives before its reply), FORGET and BATCH_FORGET, INTERRUPT (it must find its target while
 * the target runs), NOTIFY_REPLY and DESTROY. Every other request is copied to the heap,
 * registered in the {@link InFlightTable} and handed to the request executor.
 *
 * <p>Ending. The session ends when every reader has seen the connection go away. The last
 * reader then interrupts whatever still runs, waits (bounded) for it, calls
 * {@link FuseFileSystem#destroy} exactly once, closes the devices, releases the mount helper and
 * completes {@link #termination()}.
 */
public final class Session {
    private static final System.Logger LOG = System.getLogger(Session.class.getName());

    private final FuseFileSystem fs;
    private final MountOptions options;
    private final MountedConnection connection;
    private final SessionCounters counters = new SessionCounters();
    private final Replies replies = new Replies(counters);
    private final Dispatcher dispatcher;
    private final InFlightTable inFlight = new InFlightTable();
    private final Notifier notifier;
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final List<FuseDevice> devices = new ArrayList<>();
    private final AtomicInteger readersAlive = new AtomicInteger();
    private final AtomicBoolean destroyed = new AtomicBoolean();
    private final CompletableFuture<ConnectionInfo> initialized = new CompletableFuture<>();
    private final CompletableFuture<Void> termination = new CompletableFuture<>();

    public Session(FuseFileSystem fs, MountOptions options, MountedConnection connection) {
        this.fs = fs;
        this.options = options;
        this.connection = connection;
        this.dispatcher = new Dispatcher(fs, replies);
        this.notifier = new Notifier(connection.device(), counters);
        if (options.requestExecutor() != null) {
            this.executor = options.requestExecutor();
            this.ownedExecutor = null;
        } else {
            this.ownedExecutor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("fuse-op-", 0).factory());
            this.executor = ownedExecutor;
        }
    }

    /** Starts the reader threads; the kernel's INIT is the first thing they read. */
    public void start() {
        devices.add(connection.device());
        for (int i = 1; i < options.readerThreads(); i++) {
            devices.add(options.cloneDeviceFd() ? cloneOrShare(connection.device()) : connection.device());
        }
        int bufferSize = Math.max(KernelAbi.MIN_READ_BUFFER, options.maxWrite() + KernelAbi.REQUEST_HEADER_ROOM);
        readersAlive.set(devices.size());
        for (int i = 0; i < devices.size(); i++) {
            ChannelReader reader = new ChannelReader(this, devices.get(i), bufferSize);
            Thread.ofPlatform().daemon().name("fuse-reader-" + i).start(reader);
        }
    }

    private static FuseDevice cloneOrShare(FuseDevice master) {
        try {
            return master.cloneDevice();
        } catch (SyscallException e) {
            LOG.log(Level.WARNING, "FUSE_DEV_IOC_CLONE failed; readers will share one descriptor", e);
            return master;
        }
    }

    /** Waits for INIT to be answered; fails if the session ends first or {@code timeout} passes. */
    public ConnectionInfo awaitInit(Duration timeout) throws java.io.IOException {
        try {
            return initialized.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new java.io.IOException("the kernel sent no INIT within " + timeout, e);
        } catch (ExecutionException e) {
            throw new java.io.IOException("FUSE INIT failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting for INIT");
        }
    }

    public FuseNotifier notifier() {
        return notifier;
    }

    public FuseCounters counters() {
        return counters.snapshot();
    }

    /** Completes when the session has ended and everything is released. */
    public CompletableFuture<Void> termination() {
        return termination;
    }

    // ------------------------------------------------------------------ called by readers

    /** Handles or dispatches the request in the first {@code length} bytes of {@code buffer}. */
    void route(MemorySegment buffer, int length, FuseDevice device) {
        counters.requests.increment();
        RequestMessage message;
        try {
            message = RequestMessage.parse(buffer, length);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.ERROR, "dropping malformed request from the kernel: " + e.getMessage());
            return;
        }
        try {
            switch (message.opcode()) {
                case Opcode.INIT -> init(message, device);
                case Opcode.FORGET -> forget(message.nodeId(), KernelCodec.decodeForget(message));
                case Opcode.BATCH_FORGET -> batchForget(message);
                case Opcode.INTERRUPT -> interrupt(message, device);
                case Opcode.NOTIFY_REPLY -> notifier.completeRetrieve(message.unique(),
                        KernelCodec.decodeNotifyReplyData(message));
                case Opcode.DESTROY -> destroy(message, device);
                default -> dispatch(buffer, length, device);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "failed to handle " + message, e);
        }
    }

    void readerExited(ChannelReader reader) {
        if (readersAlive.decrementAndGet() == 0) {
            finish();
        }
    }

    // ------------------------------------------------------------------ inline requests

    private void init(RequestMessage message, FuseDevice device) {
        KernelCodec.InitRequest kernel = KernelCodec.decodeInit(message);
        if (kernel.major() != KernelAbi.MAJOR) {
            replies.headerOnly(device, message.unique(), -Errno.EPROTO.code());
            initialized.completeExceptionally(new IllegalStateException("kernel speaks FUSE " + kernel.major()
                    + "." + kernel.minor() + ", this session only major " + KernelAbi.MAJOR));
            return;
        }
        InitNegotiator.Outcome outcome = InitNegotiator.negotiate(kernel, options);
        try {
            fs.init(outcome.connection());
        } catch (RuntimeException e) {
            replies.headerOnly(device, message.unique(), -Errno.EIO.code());
            initialized.completeExceptionally(e);
            return;
        }
        dispatcher.setExtendedSetxattr(outcome.connection().extendedSetxattr());
        notifier.setConnection(outcome.connection());
        try (ReplyBuffer buffer = ReplyBuffer.allocate(outcome.replySize())) {
            KernelCodec.encodeInitOut(buffer.payload(), 0, outcome.reply());
            if (replies.sendRaw(device, message.unique(), 0, buffer, outcome.replySize())) {
                LOG.log(Level.DEBUG, () -> "FUSE session initialized: " + outcome.connection());
                initialized.complete(outcome.connection());
            } else {
                initialized.completeExceptionally(new IllegalStateException("the kernel refused the INIT reply"));
            }
        }
    }

    private void forget(long ino, long nlookup) {
        try {
            fs.forget(ino, nlookup);
        } catch (RuntimeException e) {
            counters.unexpectedErrors.increment();
            LOG.log(Level.ERROR, "forget(" + ino + ", " + nlookup + ") failed", e);
        }
    }

    private void batchForget(RequestMessage message) {
        for (KernelCodec.Forget forget : KernelCodec.decodeBatchForget(message)) {
            forget(forget.nodeId(), forget.nlookup());
        }
    }

    /**
     * Interrupts the target request, ignores an INTERRUPT for one already answered, and answers
     * EAGAIN for one not registered yet so the kernel queues the INTERRUPT again. The EAGAIN must
     * reach the device whose processing list holds the target; when that is not the device the
     * INTERRUPT came on, the kernel refuses it with ENOENT and the other devices are tried.
     */
    private void interrupt(RequestMessage message, FuseDevice device) {
        counters.interrupts.increment();
        long target = KernelCodec.decodeInterrupt(message);
        if (inFlight.interrupt(target) != InFlightTable.InterruptOutcome.UNKNOWN) {
            return;
        }
        int eagain = -Errno.EAGAIN.code();
        if (replies.headerOnly(device, message.unique(), eagain)) {
            return;
        }
        for (FuseDevice other : devices) {
            if (other != device && replies.headerOnly(other, message.unique(), eagain)) {
                return;
            }
        }
    }

    private void destroy(RequestMessage message, FuseDevice device) {
        destroyFilesystemOnce();
        replies.headerOnly(device, message.unique(), 0);
    }

    // ------------------------------------------------------------------ dispatched requests

    private void dispatch(MemorySegment buffer, int length, FuseDevice device) {
        MemorySegment copy = MemorySegment.ofArray(buffer.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE));
        InFlightRequest request = new InFlightRequest(RequestMessage.parse(copy, length), device,
                options.interruptWorkerThreads());
        inFlight.register(request);
        try {
            executor.execute(() -> {
                try {
                    dispatcher.dispatch(request);
                } finally {
                    inFlight.complete(request);
                }
            });
        } catch (RejectedExecutionException e) {
            replies.error(request, Errno.EIO);
            inFlight.complete(request);
        }
    }

    // ------------------------------------------------------------------ ending

    private void finish() {
        inFlight.interruptAll();
        awaitInFlight("the connection ended");
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
        destroyFilesystemOnce();
        notifier.close();
        devices.stream().distinct().forEach(FuseDevice::close);
        connection.release();
        initialized.completeExceptionally(new IllegalStateException("the FUSE session ended before INIT"));
        termination.complete(null);
    }

    private void destroyFilesystemOnce() {
        if (destroyed.compareAndSet(false, true)) {
            awaitInFlight("destroy");
            try {
                fs.destroy();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "FuseFileSystem.destroy failed", e);
            }
        }
    }

    private void awaitInFlight(String why) {
        try {
            if (!inFlight.awaitEmpty(options.closeTimeout())) {
                LOG.log(Level.WARNING, "{0} operations still running after {1}; continuing with {2}",
                        inFlight.size(), options.closeTimeout(), why);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
