package org.scoutfs.node.verticle;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;

import org.scoutfs.lsm.server.ServerApi;
import org.scoutfs.node.bus.Addresses;
import org.scoutfs.node.bus.Failures;
import org.scoutfs.node.bus.ServerMessages;

/**
 * Serves {@link ServerApi} on the event bus at the addresses of one election term. Each request
 * runs on its own virtual thread, because server calls block (a commit waits for the device) and
 * concurrent callers are what let one commit serve many of them.
 */
public final class ServerVerticle extends VerticleBase {
    private static final System.Logger LOG = System.getLogger(ServerVerticle.class.getName());

    private final long fsid;
    private final long term;
    private final ServerApi server;
    private ExecutorService calls;

    public ServerVerticle(long fsid, long term, ServerApi server) {
        this.fsid = fsid;
        this.term = term;
        this.server = server;
    }

    @Override
    public Future<?> start() {
        calls = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("scoutfs-server-call-", 0).factory());
        EventBus bus = vertx.eventBus();
        ServerMessages.registerCodecs(bus);
        serve(bus, ServerMessages.GREET, (ServerApi.Greeting g) -> server.greet(g));
        serve(bus, ServerMessages.OPEN_TRANSACTION, (ServerMessages.OpenTransaction o) ->
                server.openTransaction(o.rid(), o.committingSeq()));
        serve(bus, ServerMessages.CLOSE_TRANSACTION, (ServerMessages.CloseTransaction c) -> {
            server.closeTransaction(c.rid(), c.transSeq());
            return new ServerMessages.Done();
        });
        serve(bus, ServerMessages.COMMIT_LOG_TREE, (ServerApi.LogTreeCommit c) -> server.commitLogTree(c));
        serve(bus, ServerMessages.GRANT, (ServerMessages.GrantRequest g) ->
                server.grant(g.rid(), g.grantSeq(), g.metaBlocks(), g.dataBlocks(), g.forDeletion()));
        serve(bus, ServerMessages.GET_ROOTS, (ServerMessages.Done d) -> server.getRoots());
        serve(bus, ServerMessages.ALLOC_INODES, (ServerMessages.InodesRequest r) -> server.allocInodes(r.rid(), r.count()));
        serve(bus, ServerMessages.USAGE, (ServerMessages.ForMount m) -> server.usage(m.rid()));
        serve(bus, ServerMessages.START_MERGE, (ServerMessages.ForMount m) ->
                new ServerMessages.MaybeMerge(server.startMerge(m.rid())));
        serve(bus, ServerMessages.GROW_MERGE, (ServerMessages.GrowMerge g) ->
                new ServerMessages.Extents(server.growMerge(g.mergeSeq(), g.blocks())));
        serve(bus, ServerMessages.COMPLETE_MERGE, (org.scoutfs.lsm.server.MergeJob.Result r) -> {
            server.completeMerge(r);
            return new ServerMessages.Done();
        });
        serve(bus, ServerMessages.ABANDON_MERGE, (ServerMessages.ForMerge m) -> {
            server.abandonMerge(m.mergeSeq());
            return new ServerMessages.Done();
        });
        serve(bus, ServerMessages.FAREWELL, (ServerMessages.ForMount m) -> {
            server.farewell(m.rid());
            return new ServerMessages.Done();
        });
        // started once every address is known to the whole cluster, so the first requests find it
        return Future.all(registrations);
    }

    private final java.util.List<Future<Void>> registrations = new java.util.ArrayList<>();

    private <T> void serve(EventBus bus, String operation, Function<T, Object> handler) {
        registrations.add(bus.<T>consumer(Addresses.server(fsid, term, operation),
                msg -> calls.execute(() -> answer(operation, msg, handler))).completion());
    }

    private static <T> void answer(String operation, Message<T> msg, Function<T, Object> handler) {
        try {
            msg.reply(handler.apply(msg.body()));
        } catch (RuntimeException | Error e) {
            int code = Failures.code(e);
            if (code == Failures.INTERNAL) {
                LOG.log(System.Logger.Level.ERROR, "server " + operation + " failed", e);
            }
            msg.fail(code, Failures.message(e));
        }
    }

    @Override
    public Future<?> stop() {
        calls.shutdown();
        return Future.succeededFuture();
    }
}
