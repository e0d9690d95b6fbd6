package org.scoutfs.node.bus;

import java.time.Duration;
import java.util.concurrent.CompletionException;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import org.scoutfs.locking.LockMode;
import org.scoutfs.locking.LockRange;
import org.scoutfs.locking.client.LockClient;

/**
 * A mount's {@link LockClient} joined to the lock server over the event bus. Requests go to the
 * server's address; grants and invalidations arrive on the mount's own address and are handed to
 * the client on an event loop, which is fine because the client's inbound methods never block.
 * The acknowledgement of an invalidation is sent as the reply once the client has finished it,
 * from whatever thread finished it.
 *
 * <p>Failures to reach the server come back to the client as the exceptions of {@link Failures},
 * so the filesystem never sees the bus.
 */
public final class EventBusLockTransport implements LockClient.Transport, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EventBusLockTransport.class.getName());

    private final Vertx vertx;
    private final long fsid;
    private final long rid;
    private final DeliveryOptions options;
    private volatile LockClient client;
    private MessageConsumer<Object> consumer;

    /** @param timeout how long the server may take to accept a request (not to grant it) */
    public EventBusLockTransport(Vertx vertx, long fsid, long rid, Duration timeout) {
        this.vertx = vertx;
        this.fsid = fsid;
        this.rid = rid;
        this.options = new DeliveryOptions().setSendTimeout(timeout.toMillis());
        LockMessages.registerCodecs(vertx.eventBus());
    }

    /**
     * Starts delivering the server's messages to {@code client}, which was built with this
     * transport. The future completes once the mount's address is registered on the whole bus;
     * wait for it before the first lock call, or the first grant may find no one listening.
     */
    public Future<Void> attach(LockClient client) {
        if (this.client != null) {
            throw new IllegalStateException("transport of mount " + Long.toHexString(rid) + " already attached");
        }
        this.client = client;
        consumer = vertx.eventBus().consumer(Addresses.lockClient(fsid, rid), this::receive);
        return consumer.completion();
    }

    private void receive(Message<Object> msg) {
        switch (msg.body()) {
            case LockMessages.LockGrant g -> client.granted(g.range(), g.lockMode(), g.writeSeq());
            case LockMessages.LockInvalidation inv -> invalidate(msg, inv);
            default -> msg.fail(Failures.ILLEGAL_ARGUMENT, "unexpected lock message " + msg.body());
        }
    }

    private void invalidate(Message<Object> msg, LockMessages.LockInvalidation inv) {
        try {
            client.invalidate(inv.range(), LockMode.ofCode(inv.fromMode()), LockMode.ofCode(inv.toMode()))
                    .whenComplete((now, failed) -> {
                        if (failed == null) {
                            msg.reply(new LockMessages.LockAcknowledgement(inv.range(), now.code()));
                        } else {
                            Throwable cause = failed instanceof CompletionException ce ? ce.getCause() : failed;
                            msg.fail(Failures.code(cause), Failures.message(cause));
                        }
                    });
        } catch (RuntimeException e) {
            msg.fail(Failures.code(e), Failures.message(e));
        }
    }

    @Override
    public void request(LockRange range, LockMode mode) {
        vertx.eventBus().request(Addresses.lockServer(fsid, LockMessages.REQUEST),
                        new LockMessages.LockRequest(rid, range, mode.code()), options)
                .onFailure(t -> client.requestFailed(range, Failures.rethrow("lock request for " + range, t)));
    }

    /**
     * Tells the lock server this mount left: it forgets the mount's locks and serves those waiting
     * for them. Only after the mount's last transaction is committed, or the mount was fenced.
     */
    public Future<Void> farewell() {
        return vertx.eventBus().request(Addresses.lockServer(fsid, LockMessages.CLIENT_GONE),
                        new LockMessages.ClientGone(rid), options)
                .<Void>mapEmpty()
                .recover(t -> Future.failedFuture(Failures.rethrow("lock farewell", t)));
    }

    /** Stops receiving; the server's later messages to this mount find no one. */
    @Override
    public void close() {
        if (consumer != null) {
            consumer.unregister().onFailure(t -> LOG.log(System.Logger.Level.WARNING,
                    "unregistering lock address of mount " + Long.toHexString(rid), t));
        }
    }
}
