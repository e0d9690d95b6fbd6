package org.scoutfs.node.verticle;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import io.vertx.core.AsyncResult;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import org.scoutfs.locking.LockMode;
import org.scoutfs.locking.LockRange;
import org.scoutfs.locking.server.LockServer;
import org.scoutfs.node.bus.Addresses;
import org.scoutfs.node.bus.Failures;
import org.scoutfs.node.bus.LockMessages;

/**
 * The cluster's {@link LockServer} for one election term, behind the leader's lock server
 * endpoint ({@link ServerEndpointVerticle}).
 *
 * <p>The lock server is entered only from one thread of its own (a virtual thread running one task
 * at a time), never from an event loop: handing out a write sequence may wait for the volume
 * server. Its outgoing messages are sent in order from this verticle's context, which keeps each
 * mount's grants and invalidations in the order the server produced them.
 *
 * <p>An invalidation is a bus request whose reply is the mount's acknowledgement. If the mount
 * does not answer in time, or has no address registered, the invalidation is sent again after a
 * pause until it answers or is declared gone ({@link LockMessages.ClientGone}, or
 * {@link #clientGone} once the leader fenced it): the lock server must not assume a silent mount
 * has stopped writing.
 *
 * <p>A lock server that takes over after a failover starts recovering: it takes the mounts'
 * {@link LockMessages.LockReport reports} of what they hold, tells {@code reported} of each, and
 * grants nothing until {@link #finishRecovery()}. Grants carry the volume server's last durable
 * commit, which includes the commits the previous holders made before they gave the lock up.
 */
public final class LockServerVerticle extends VerticleBase {
    private static final System.Logger LOG = System.getLogger(LockServerVerticle.class.getName());

    /**
     * @param invalidationTimeout how long a mount may take to acknowledge (it commits a transaction)
     * @param retryDelay          pause before asking an unresponsive mount again
     */
    public record Options(Duration invalidationTimeout, Duration retryDelay) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(60), Duration.ofSeconds(1));
        }
    }

    private final long fsid;
    private final long term;
    private final LongSupplier writeSeqs;
    private final LongSupplier commitSeqs;
    private final boolean recovering;
    private final LongConsumer reported;
    private final Options options;
    private ExecutorService lockThread;
    private Context busContext;
    private LockServer server;
    /** Mounts declared gone; their late requests are refused. Touched only on the lock thread. */
    private final Set<Long> departed = new HashSet<>();

    /**
     * @param writeSeqs  fresh global sequences for writable grants (the volume server's newWriteSeq)
     * @param commitSeqs the volume server's last durable commit, for grants to carry
     * @param recovering true if mounts of an earlier server must report what they hold first
     * @param reported   told of each mount whose report arrived, on the lock thread
     */
    public LockServerVerticle(long fsid, long term, LongSupplier writeSeqs, LongSupplier commitSeqs, boolean recovering,
                              LongConsumer reported, Options options) {
        this.fsid = fsid;
        this.term = term;
        this.writeSeqs = writeSeqs;
        this.commitSeqs = commitSeqs;
        this.recovering = recovering;
        this.reported = reported;
        this.options = options;
    }

    @Override
    public Future<?> start() {
        busContext = context;
        lockThread = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("scoutfs-lock-server").factory());
        server = new LockServer(new BusOutbox(), writeSeqs, recovering);
        LockMessages.registerCodecs(vertx.eventBus());
        return Future.succeededFuture();
    }

    /** A mount's request, from the node's lock server endpoint. */
    public void request(Message<?> msg, LockMessages.LockRequest r) {
        serve(msg, () -> {
            refuseDeparted(r.rid());
            server.request(r.rid(), r.range(), r.lockMode());
            return new LockMessages.Accepted();
        });
    }

    /** A mount's report of what it holds, after a failover. */
    public void report(Message<?> msg, LockMessages.LockReport r) {
        serve(msg, () -> {
            refuseDeparted(r.rid());
            if (server.recovering()) {
                for (LockMessages.HeldLock h : r.held()) {
                    server.recover(r.rid(), h.range(), LockMode.ofCode(h.mode()));
                }
                reported.accept(r.rid());
            }
            // once recovered, what the server knows is the truth; a mount that greets this
            // server again sends its open requests once more, and repeats are taken once
            return new LockMessages.Accepted();
        });
    }

    /** A mount's farewell. */
    public void departure(Message<?> msg, LockMessages.ClientGone g) {
        serve(msg, () -> {
            departed.add(g.rid());
            server.clientGone(g.rid());
            return new LockMessages.Accepted();
        });
    }

    /** Forgets a mount the leader fenced. Completes once its locks are free for others. */
    public CompletableFuture<Void> clientGone(long rid) {
        return CompletableFuture.runAsync(() -> {
            departed.add(rid);
            server.clientGone(rid);
        }, lockThread);
    }

    /** Every mount of the last server reported or was declared gone: starts granting. */
    public CompletableFuture<Void> finishRecovery() {
        return CompletableFuture.runAsync(server::finishRecovery, lockThread);
    }

    /** Runs a request on the lock thread and replies with its result or its failure code. */
    private void serve(Message<?> msg, java.util.function.Supplier<Object> handler) {
        lockThread.execute(() -> {
            try {
                msg.reply(handler.get());
            } catch (RuntimeException e) {
                msg.fail(Failures.code(e), Failures.message(e));
            }
        });
    }

    private void refuseDeparted(long rid) {
        if (departed.contains(rid)) {
            throw new IllegalStateException("mount " + Long.toHexString(rid) + " was declared gone");
        }
    }

    /** Sends from the verticle's context, in the order the lock server produced the messages. */
    private final class BusOutbox implements LockServer.Outbox {
        @Override
        public void grant(long client, LockRange range, LockMode mode, long writeSeq) {
            var grant = new LockMessages.LockGrant(term, range, mode.code(), writeSeq, commitSeqs.getAsLong());
            busContext.runOnContext(v -> vertx.eventBus().send(Addresses.lockClient(fsid, client), grant));
        }

        @Override
        public void invalidate(long client, LockRange range, LockMode fromMode, LockMode toMode) {
            busContext.runOnContext(v -> sendInvalidation(client, range, fromMode, toMode));
        }
    }

    private void sendInvalidation(long client, LockRange range, LockMode fromMode, LockMode toMode) {
        DeliveryOptions delivery = new DeliveryOptions().setSendTimeout(options.invalidationTimeout().toMillis());
        vertx.eventBus().<LockMessages.LockAcknowledgement>request(Addresses.lockClient(fsid, client),
                        new LockMessages.LockInvalidation(term, range, fromMode.code(), toMode.code()), delivery)
                .onComplete(answer -> lockThread.execute(() -> answered(client, range, fromMode, toMode, answer)));
    }

    /** Requires: on the lock thread. */
    private void answered(long client, LockRange range, LockMode fromMode, LockMode toMode,
                          AsyncResult<Message<LockMessages.LockAcknowledgement>> answer) {
        if (answer.succeeded()) {
            try {
                server.acknowledge(client, range, LockMode.ofCode(answer.result().body().mode()));
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "bad acknowledgement from mount " + Long.toHexString(client), e);
            }
            return;
        }
        if (departed.contains(client) || !server.awaitsAcknowledgement(client, range)) {
            return;
        }
        Throwable t = answer.cause();
        boolean unanswered = t instanceof ReplyException re && re.failureType() != ReplyFailure.RECIPIENT_FAILURE;
        LOG.log(unanswered ? System.Logger.Level.WARNING : System.Logger.Level.ERROR,
                "mount {0} did not acknowledge invalidation of {1} to {2}: {3}; asking again",
                Long.toHexString(client), range, toMode, t.getMessage());
        vertx.setTimer(options.retryDelay().toMillis(), id -> lockThread.execute(() -> {
            if (!departed.contains(client) && server.awaitsAcknowledgement(client, range)) {
                busContext.runOnContext(v -> sendInvalidation(client, range, fromMode, toMode));
            }
        }));
    }

    @Override
    public Future<?> stop() {
        lockThread.shutdown();
        return Future.succeededFuture();
    }
}
