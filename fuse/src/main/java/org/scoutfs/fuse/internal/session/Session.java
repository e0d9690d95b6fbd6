package org.scoutfs.fuse.internal.session;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
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

/**
 * One FUSE connection from INIT to the end: reader threads, request routing, the filesystem's
 * lifecycle callbacks and the termination signal.
 *
 * <p>Routing. Readers call {@link #route} with the request still in their own buffer. Requests
 * that are cheap, order-sensitive or have no reply are handled right there: INIT (nothing else
 * arrives before its reply), FORGET and BATCH_FORGET, INTERRUPT (it must find its target while
 * the target runs), NOTIFY_REPLY and DESTROY. Every other request is registered in the
 * {@link InFlightTable} and either run on the same reader thread, straight from its buffer (the
 * default; the {@link ReaderPool} keeps another reader waiting meanwhile), or copied to the heap
 * and handed to an executor.
 *
 * <p>Ending. The session ends when every reader has seen the connection go away. The last
 * reader then interrupts whatever still runs, waits (bounded) for it, calls
 * {@link FuseFileSystem#destroy} exactly once, closes the first device (readers close their
 * clones), releases the mount helper and completes {@link #termination()}.
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
    /** Where dispatched operations run; {@code null} means on the reader thread that read them. */
    private final Executor executor;
    private final ExecutorService ownedExecutor;
    private final ReaderPool readers;
    private final AtomicBoolean finished = new AtomicBoolean();
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
            this.ownedExecutor = null;
            this.executor = options.requestExecutor();
        } else if (options.dispatch() == MountOptions.Dispatch.VIRTUAL_THREADS) {
            this.ownedExecutor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("fuse-op-", 0).factory());
            this.executor = ownedExecutor;
        } else {
            this.ownedExecutor = null;
            this.executor = null;
        }
        int bufferSize = Math.max(KernelAbi.MIN_READ_BUFFER, options.maxWrite() + KernelAbi.REQUEST_HEADER_ROOM);
        this.readers = new ReaderPool(this, connection.device(), options.readerThreads(), options.maxReaderThreads(),
                executor == null, options.cloneDeviceFd(), bufferSize);
    }

    /** Starts the reader threads; the kernel's INIT is the first thing they read. */
    public void start() {
        readers.start();
    }

    /** Waits for INIT to be answered; fails if the session ends first or {@code timeout} passes. */
    public ConnectionInfo awaitInit(Duration timeout) throws IOException {
        try {
            return initialized.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new IOException("the kernel sent no INIT within " + timeout, e);
        } catch (ExecutionException e) {
            throw new IOException("FUSE INIT failed", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for INIT");
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
        for (FuseDevice other : readers.devices()) {
            if (other != device && replies.headerOnly(other, message.unique(), eagain)) {
                return;
            }
        }
    }

    private void destroy(RequestMessage message, FuseDevice device) {
        LOG.log(Level.DEBUG, "the kernel sent DESTROY");
        destroyFilesystemOnce();
        replies.headerOnly(device, message.unique(), 0);
    }

    // ------------------------------------------------------------------ dispatched requests

    /**
     * Runs the request on this reader thread, straight from the read buffer, or copies it to the
     * heap and hands it to the executor. The copy is what lets the reader reuse its buffer.
     */
    private void dispatch(MemorySegment buffer, int length, FuseDevice device) {
        if (executor == null) {
            InFlightRequest request = register(RequestMessage.parse(buffer, length), device);
            runAndComplete(request);
            return;
        }
        MemorySegment copy = MemorySegment.ofArray(buffer.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE));
        InFlightRequest request = register(RequestMessage.parse(copy, length), device);
        try {
            executor.execute(() -> runAndComplete(request));
        } catch (RejectedExecutionException e) {
            replies.error(request, Errno.EIO);
            inFlight.complete(request);
        }
    }

    private InFlightRequest register(RequestMessage message, FuseDevice device) {
        InFlightRequest request = new InFlightRequest(message, device, options.interruptWorkerThreads());
        inFlight.register(request);
        return request;
    }

    private void runAndComplete(InFlightRequest request) {
        try {
            dispatcher.dispatch(request);
        } finally {
            inFlight.complete(request);
        }
    }

    // ------------------------------------------------------------------ ending

    /** The first reader to see the connection end calls this; operations still running are pointless now. */
    void connectionLost() {
        inFlight.interruptAll();
    }

    /** Called once by the last reader to exit. */
    void finish() {
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        inFlight.interruptAll();
        awaitInFlight("the connection ended");
        if (ownedExecutor != null) {
            ownedExecutor.shutdown();
        }
        destroyFilesystemOnce();
        notifier.close();
        connection.device().close();
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
