package org.scoutfs.node.verticle;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.LongConsumer;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;

import org.scoutfs.lsm.NotServingException;
import org.scoutfs.lsm.server.MergeJob;
import org.scoutfs.lsm.server.ServerApi;
import org.scoutfs.node.bus.Addresses;
import org.scoutfs.node.bus.Failures;
import org.scoutfs.node.bus.LockMessages;
import org.scoutfs.node.bus.Ping;
import org.scoutfs.node.recovery.FarewellGate;
import org.scoutfs.node.bus.ServerMessages;
import org.scoutfs.node.recovery.RecoveryMessages;

/**
 * A quorum member's server endpoints on the event bus, registered for the node's life (see
 * {@link Addresses}): requests for the volume server, keepalives of mounts, and requests for the
 * lock server. While the node leads a term ({@link #serve}), requests of that term go to that
 * term's server and lock server; any other term's requests, and every request while the node does
 * not lead, are refused as not served, so a mount that still thinks this node leads goes looking
 * for the current leader. Each server request runs on its own virtual thread, because server calls
 * block (a commit waits for the device) and concurrent callers are what let one commit serve many
 * of them.
 */
public final class ServerEndpointVerticle extends VerticleBase {
    private static final System.Logger LOG = System.getLogger(ServerEndpointVerticle.class.getName());

    /** What serves one term on this node; farewells go through {@code farewells}. */
    public record Serving(long term, ServerApi server, LockServerVerticle locks, LongConsumer keepalive,
                          FarewellGate farewells) {
    }

    private final long fsid;
    private final long rid;
    private volatile Serving serving;
    private ExecutorService calls;
    private final Map<String, Function<Object, Object>> operations = new HashMap<>();

    public ServerEndpointVerticle(long fsid, long rid) {
        this.fsid = fsid;
        this.rid = rid;
    }

    /** Serves {@code s}'s term from now on. */
    public void serve(Serving s) {
        serving = s;
    }

    /** Stops serving {@code term} (if it is the one served): its requests are refused from now on. */
    public void stop(long term) {
        Serving s = serving;
        if (s != null && s.term() == term) {
            serving = null;
        }
    }

    @Override
    public Future<?> start() {
        calls = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("scoutfs-server-call-", 0).factory());
        EventBus bus = vertx.eventBus();
        ServerMessages.registerCodecs(bus);
        LockMessages.registerCodecs(bus);
        RecoveryMessages.registerCodecs(bus);
        Ping.registerCodec(bus);
        define();
        MessageConsumer<Object> server = bus.consumer(Addresses.server(fsid, rid), this::serverRequest);
        MessageConsumer<Object> locks = bus.consumer(Addresses.lockServer(fsid, rid), this::lockRequest);
        return Future.all(server.completion(), locks.completion());
    }

    @SuppressWarnings("unchecked")
    private <T> void op(String name, Function<T, Object> handler) {
        operations.put(name, body -> handler.apply((T) body));
    }

    private ServerApi api() {
        return serving.server();
    }

    private void define() {
        op(ServerMessages.GREET, (ServerApi.Greeting g) -> api().greet(g));
        op(ServerMessages.OPEN_TRANSACTION, (ServerMessages.OpenTransaction o) ->
                api().openTransaction(o.rid(), o.committingSeq()));
        op(ServerMessages.CLOSE_TRANSACTION, (ServerMessages.CloseTransaction c) -> {
            api().closeTransaction(c.rid(), c.transSeq());
            return new ServerMessages.Done();
        });
        op(ServerMessages.COMMIT_LOG_TREE, (ServerApi.LogTreeCommit c) -> api().commitLogTree(c));
        op(ServerMessages.GRANT, (ServerMessages.GrantRequest g) ->
                api().grant(g.rid(), g.grantSeq(), g.metaBlocks(), g.dataBlocks(), g.forDeletion()));
        op(ServerMessages.GET_ROOTS, (ServerMessages.Done d) -> api().getRoots());
        op(ServerMessages.ALLOC_INODES, (ServerMessages.InodesRequest r) -> api().allocInodes(r.rid(), r.count()));
        op(ServerMessages.USAGE, (ServerMessages.ForMount m) -> api().usage(m.rid()));
        op(ServerMessages.START_MERGE, (ServerMessages.ForMount m) -> new ServerMessages.MaybeMerge(api().startMerge(m.rid())));
        op(ServerMessages.GROW_MERGE, (ServerMessages.GrowMerge g) ->
                new ServerMessages.Extents(api().growMerge(g.mergeSeq(), g.blocks())));
        op(ServerMessages.COMPLETE_MERGE, (MergeJob.Result r) -> {
            api().completeMerge(r);
            return new ServerMessages.Done();
        });
        op(ServerMessages.ABANDON_MERGE, (ServerMessages.ForMerge m) -> {
            api().abandonMerge(m.mergeSeq());
            return new ServerMessages.Done();
        });
        op(ServerMessages.FAREWELL, (ServerMessages.ForMount m) -> {
            serving.farewells().farewell(m.rid());
            return new ServerMessages.Done();
        });
    }

    /** The term this request is for, if this node serves it now; otherwise the request is refused. */
    private Serving servingFor(Message<Object> msg) {
        Serving s = serving;
        String term = msg.headers().get(Addresses.TERM);
        if (s == null || term == null || Long.parseLong(term) != s.term()) {
            msg.fail(Failures.NOT_SERVING, "mount " + Long.toHexString(rid) + " does not serve term " + term
                    + (s == null ? "" : "; it serves term " + s.term()));
            return null;
        }
        return s;
    }

    private void serverRequest(Message<Object> msg) {
        if (msg.body() instanceof Ping p) {
            msg.reply(p);
            return;
        }
        Serving s = servingFor(msg);
        if (s == null) {
            return;
        }
        String op = msg.headers().get(Addresses.OP);
        if (RecoveryMessages.KEEPALIVE.equals(op) && msg.body() instanceof RecoveryMessages.KeepAlive k) {
            s.keepalive().accept(k.rid());
            msg.reply(new RecoveryMessages.StillServing(s.term()));
            return;
        }
        Function<Object, Object> handler = operations.get(op);
        if (handler == null) {
            msg.fail(Failures.ILLEGAL_ARGUMENT, "unknown server operation " + op);
            return;
        }
        calls.execute(() -> {
            try {
                if (serving != s) {
                    throw new NotServingException("the server of term " + s.term() + " stopped");
                }
                msg.reply(handler.apply(msg.body()));
            } catch (RuntimeException | Error e) {
                int code = Failures.code(e);
                if (code == Failures.INTERNAL) {
                    LOG.log(System.Logger.Level.ERROR, "server " + op + " failed", e);
                }
                msg.fail(code, Failures.message(e));
            }
        });
    }

    private void lockRequest(Message<Object> msg) {
        if (msg.body() instanceof Ping p) {
            msg.reply(p);
            return;
        }
        Serving s = servingFor(msg);
        if (s == null) {
            return;
        }
        switch (msg.body()) {
            case LockMessages.LockRequest r -> s.locks().request(msg, r);
            case LockMessages.LockReport r -> s.locks().report(msg, r);
            case LockMessages.ClientGone g -> s.locks().departure(msg, g);
            default -> msg.fail(Failures.ILLEGAL_ARGUMENT, "unexpected lock message " + msg.body());
        }
    }

    @Override
    public Future<?> stop() {
        serving = null;
        calls.shutdown();
        return Future.succeededFuture();
    }
}
