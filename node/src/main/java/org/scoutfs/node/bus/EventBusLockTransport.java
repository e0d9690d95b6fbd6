package org.scoutfs.node.bus;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import org.scoutfs.locking.LockMode;
import org.scoutfs.locking.LockRange;
import org.scoutfs.locking.client.LockClient;
import org.scoutfs.lsm.NotServingException;

/**
 * A mount's {@link LockClient} joined to the lock server of the current term over the event bus.
 * Requests go to the lock server endpoint of the leader the {@link ServerLocator} names, for its
 * term; grants and
 * invalidations arrive on the mount's own address and are handed to the client on an event loop,
 * which is fine because the client's inbound methods never block. The acknowledgement of an
 * invalidation is sent as the reply once the client has finished it, from whatever thread
 * finished it. Messages of an older term than the current one come from a deposed server and are
 * ignored.
 *
 * <p>A request that cannot reach the server is not failed: the locator reconnects, and the
 * client sends its open requests again to the new server after reporting what it holds
 * ({@link LockClient#resendRequests}). Other failures come back to the client as the exceptions of
 * {@link Failures}, so the filesystem never sees the bus.
 */
public final class EventBusLockTransport implements LockClient.Transport, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EventBusLockTransport.class.getName());

    private final Vertx vertx;
    private final long fsid;
    private final long rid;
    private final ServerLocator locator;
    private final long timeoutMillis;
    private volatile LockClient client;
    private MessageConsumer<Object> consumer;

    /** @param timeout how long the server may take to accept a request (not to grant it) */
    public EventBusLockTransport(Vertx vertx, long fsid, long rid, ServerLocator locator, Duration timeout) {
        this.vertx = vertx;
        this.fsid = fsid;
        this.rid = rid;
        this.locator = locator;
        this.timeoutMillis = timeout.toMillis();
        LockMessages.registerCodecs(vertx.eventBus());
        Ping.registerCodec(vertx.eventBus());
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
            case LockMessages.LockGrant g -> {
                if (current(g.term())) {
                    client.granted(g.range(), g.lockMode(), g.writeSeq(), g.commitSeq());
                }
            }
            case LockMessages.LockInvalidation inv -> {
                if (current(inv.term())) {
                    invalidate(msg, inv);
                } else {
                    msg.fail(Failures.NOT_SERVING, "invalidation from the deposed lock server of term " + inv.term());
                }
            }
            case Ping p -> msg.reply(p);
            default -> msg.fail(Failures.ILLEGAL_ARGUMENT, "unexpected lock message " + msg.body());
        }
    }

    private boolean current(long term) {
        long now = locator.term();
        if (Long.compareUnsigned(term, now) < 0) {
            LOG.log(System.Logger.Level.DEBUG, "ignoring a lock message of term {0}; the current term is {1}", term, now);
            return false;
        }
        return true;
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
        long term = locator.term();
        if (term == 0) {
            RuntimeException outage = locator.outage();
            if (outage != null) {
                vertx.runOnContext(v -> client.requestFailed(range, outage));
            }
            return; // not connected: sent again once this node has reported to the next server
        }
        vertx.eventBus().request(Addresses.lockServer(fsid, locator.leader()),
                        new LockMessages.LockRequest(rid, range, mode.code()), to(term, LockMessages.REQUEST))
                .onFailure(t -> {
                    RuntimeException e = Failures.rethrow("lock request for " + range, t);
                    if (e instanceof ServerUnreachableException || e instanceof NotServingException) {
                        locator.lost(term, e);
                    } else {
                        client.requestFailed(range, e);
                    }
                });
    }

    /**
     * Reports every lock this node holds to the lock server of {@code term}, which took over after
     * a failover; the future completes once it has them.
     */
    public Future<Void> report(long leader, long term, List<LockClient.Held> held) {
        List<LockMessages.HeldLock> locks = held.stream()
                .map(h -> new LockMessages.HeldLock(h.range(), h.mode().code(), h.writeSeq())).toList();
        return vertx.eventBus().request(Addresses.lockServer(fsid, leader), new LockMessages.LockReport(rid, locks),
                        to(term, LockMessages.REPORT))
                .<Void>mapEmpty()
                .recover(t -> Future.failedFuture(Failures.rethrow("lock report", t)));
    }

    /**
     * Tells the lock server this mount left: it forgets the mount's locks and serves those waiting
     * for them. Only after the mount's last transaction is committed, or the mount was fenced.
     */
    public Future<Void> farewell() {
        long term = locator.term();
        return vertx.eventBus().request(Addresses.lockServer(fsid, locator.leader()), new LockMessages.ClientGone(rid),
                        to(term, LockMessages.CLIENT_GONE))
                .<Void>mapEmpty()
                .recover(t -> Future.failedFuture(Failures.rethrow("lock farewell", t)));
    }

    private DeliveryOptions to(long term, String operation) {
        return new DeliveryOptions().setSendTimeout(timeoutMillis).addHeader(Addresses.OP, operation)
                .addHeader(Addresses.TERM, Long.toString(term));
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
