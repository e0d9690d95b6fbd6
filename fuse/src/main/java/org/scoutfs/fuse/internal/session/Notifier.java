package org.scoutfs.fuse.internal.session;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.scoutfs.fuse.ConnectionInfo;
import org.scoutfs.fuse.Errno;
import org.scoutfs.fuse.FileName;
import org.scoutfs.fuse.FuseException;
import org.scoutfs.fuse.FuseNotifier;
import org.scoutfs.fuse.internal.protocol.KernelAbi;
import org.scoutfs.fuse.internal.protocol.KernelAbi.OutHeader;
import org.scoutfs.fuse.internal.protocol.KernelCodec;
import org.scoutfs.fuse.internal.sys.FuseDevice;
import org.scoutfs.fuse.internal.sys.LibC;
import org.scoutfs.fuse.internal.sys.SyscallException;

/**
 * Writes unsolicited notifications to the session's first device.
 *
 * <p>Each notification is encoded into a confined arena and written with one {@code write(2)}.
 * The write returns once the kernel has applied it, which can take a while: it waits for inode
 * and page locks. That is why calls from virtual threads are moved to a platform thread (a
 * virtual thread blocked in a native call pins its carrier), and why {@link #runAsync} exists
 * (see the deadlock rule on {@link FuseNotifier}).
 *
 * <p>Retrieve: the kernel answers a retrieve notification with a NOTIFY_REPLY request whose
 * unique id is the id we chose; {@link #completeRetrieve} matches it to the waiting future.
 */
final class Notifier implements FuseNotifier {
    private final FuseDevice device;
    private final SessionCounters counters;
    private final ExecutorService blockingCalls = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("fuse-notify-", 0).factory());
    private final ExecutorService ordered = Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("fuse-notify-async").factory());
    private final AtomicLong nextRetrieveId = new AtomicLong(1);
    private final Map<Long, CompletableFuture<byte[]>> pendingRetrieves = new ConcurrentHashMap<>();
    private volatile ConnectionInfo connection;
    private volatile boolean closed;

    Notifier(FuseDevice device, SessionCounters counters) {
        this.device = device;
        this.counters = counters;
    }

    void setConnection(ConnectionInfo value) {
        connection = value;
    }

    @Override
    public boolean invalidateInode(long ino, long offset, long length) {
        int size = OutHeader.SIZE + KernelAbi.NotifyInvalInodeOut.SIZE;
        return send(size, s -> KernelCodec.encodeNotifyInvalInode(s, ino, offset, length));
    }

    @Override
    public boolean invalidateEntry(long parent, FileName name) {
        return sendInvalEntry(parent, name, false);
    }

    @Override
    public boolean expireEntry(long parent, FileName name) {
        ConnectionInfo info = connection;
        return sendInvalEntry(parent, name, info != null && info.expireOnly());
    }

    private boolean sendInvalEntry(long parent, FileName name, boolean expireOnly) {
        int size = KernelCodec.notifyEntrySize(KernelAbi.NotifyInvalEntryOut.SIZE, name);
        return send(size, s -> KernelCodec.encodeNotifyInvalEntry(s, parent, name, expireOnly));
    }

    @Override
    public boolean deleteEntry(long parent, long child, FileName name) {
        int size = KernelCodec.notifyEntrySize(KernelAbi.NotifyDeleteOut.SIZE, name);
        return send(size, s -> KernelCodec.encodeNotifyDelete(s, parent, child, name));
    }

    @Override
    public boolean store(long ino, long offset, ByteBuffer data) {
        int length = data.remaining();
        int at = OutHeader.SIZE + KernelAbi.NotifyStoreOut.SIZE;
        MemorySegment source = MemorySegment.ofBuffer(data);
        return send(at + length, s -> {
            KernelCodec.encodeNotifyStore(s, ino, offset, length);
            MemorySegment.copy(source, 0, s, at, length);
        });
    }

    @Override
    public CompletableFuture<byte[]> retrieve(long ino, long offset, int size) {
        long id = nextRetrieveId.getAndIncrement();
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        pendingRetrieves.put(id, result);
        try {
            int length = OutHeader.SIZE + KernelAbi.NotifyRetrieveOut.SIZE;
            if (!send(length, s -> KernelCodec.encodeNotifyRetrieve(s, id, ino, offset, size))) {
                throw new FuseException(Errno.ENOENT, "inode " + ino + " is not cached");
            }
        } catch (RuntimeException e) {
            pendingRetrieves.remove(id);
            result.completeExceptionally(e);
        }
        return result;
    }

    /** Called by a reader for a NOTIFY_REPLY request: hands the retrieved bytes to the waiter. */
    void completeRetrieve(long id, MemorySegment data) {
        CompletableFuture<byte[]> waiter = pendingRetrieves.remove(id);
        if (waiter != null) {
            waiter.complete(data.toArray(ValueLayout.JAVA_BYTE));
        }
    }

    @Override
    public void prune(long... inos) {
        requireKernelMinor(45, "prune");
        int size = OutHeader.SIZE + KernelAbi.NotifyPruneOut.SIZE + inos.length * 8;
        send(size, s -> KernelCodec.encodeNotifyPrune(s, inos));
    }

    @Override
    public void incrementEpoch() {
        requireKernelMinor(44, "incrementEpoch");
        send(OutHeader.SIZE, KernelCodec::encodeNotifyIncEpoch);
    }

    @Override
    public CompletableFuture<Void> runAsync(Consumer<FuseNotifier> notifications) {
        if (closed) {
            return CompletableFuture.failedFuture(notConnected());
        }
        return CompletableFuture.runAsync(() -> notifications.accept(this), ordered);
    }

    /** The session has ended: refuse new notifications and fail pending retrieves. */
    void close() {
        closed = true;
        ordered.shutdown();
        blockingCalls.shutdown();
        pendingRetrieves.values().forEach(f -> f.completeExceptionally(notConnected()));
        pendingRetrieves.clear();
    }

    private void requireKernelMinor(int minor, String what) {
        ConnectionInfo info = connection;
        if (info == null || info.kernelMinor() < minor) {
            throw new UnsupportedOperationException(what + " needs FUSE protocol 7." + minor);
        }
    }

    /**
     * Encodes into a buffer of {@code size} bytes and writes it.
     *
     * @return false if the kernel reports the object as not cached (ENOENT)
     */
    private boolean send(int size, Consumer<MemorySegment> encoder) {
        if (closed) {
            throw notConnected();
        }
        if (Thread.currentThread().isVirtual()) {
            return onPlatformThread(() -> write(size, encoder));
        }
        return write(size, encoder);
    }

    private boolean write(int size, Consumer<MemorySegment> encoder) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment message = arena.allocate(size, 8);
            encoder.accept(message);
            device.write(LibC.allocateCallState(arena), message);
            return true;
        } catch (SyscallException e) {
            if (e.is(Errno.ENOENT)) {
                return false;
            }
            if (e.is(Errno.ENODEV) || e.is(Errno.ECONNABORTED)) {
                throw notConnected();
            }
            counters.failedReplies.increment();
            throw new FuseException(e.errno(), "notification refused by the kernel", e);
        }
    }

    private boolean onPlatformThread(Supplier<Boolean> call) {
        try {
            return CompletableFuture.supplyAsync(call, blockingCalls).join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        } catch (RejectedExecutionException e) {
            throw notConnected();
        }
    }

    private static FuseException notConnected() {
        return new FuseException(Errno.ENOTCONN, "the FUSE session has ended");
    }
}
