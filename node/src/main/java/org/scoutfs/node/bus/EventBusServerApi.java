package org.scoutfs.node.bus;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;

import org.scoutfs.lsm.forest.Roots;
import org.scoutfs.lsm.format.Extent;
import org.scoutfs.lsm.server.MergeJob;
import org.scoutfs.lsm.server.ServerApi;

/**
 * {@link ServerApi} carried over the event bus to the server of one election term, at the
 * endpoint of the node that leads it. Calls block the calling thread until the reply arrives, so
 * they must come from worker or virtual threads, never from an event loop. A server that does not
 * answer in time, or is not there, is a {@link ServerUnreachableException}; a node that does not
 * (or no longer) serve the term answers with {@link org.scoutfs.lsm.NotServingException}; finding
 * the next server is the caller's business.
 */
public final class EventBusServerApi implements ServerApi {
    private final Vertx vertx;
    private final long fsid;
    private final long leader;
    private final long term;
    private final long timeoutMillis;

    /** @param leader the mount id of the node that leads {@code term} */
    public EventBusServerApi(Vertx vertx, long fsid, long leader, long term, Duration timeout) {
        this.vertx = vertx;
        this.fsid = fsid;
        this.leader = leader;
        this.term = term;
        this.timeoutMillis = timeout.toMillis();
        ServerMessages.registerCodecs(vertx.eventBus());
    }

    public long term() {
        return term;
    }

    public long leader() {
        return leader;
    }

    private <T> T call(String operation, Object body, Class<T> replyType) {
        if (Context.isOnEventLoopThread()) {
            throw new IllegalStateException("server call " + operation + " from an event loop thread would block it");
        }
        DeliveryOptions options = new DeliveryOptions().setSendTimeout(timeoutMillis)
                .addHeader(Addresses.OP, operation).addHeader(Addresses.TERM, Long.toString(term));
        Future<Message<Object>> f = vertx.eventBus().request(Addresses.server(fsid, leader), body, options);
        try {
            Object reply = f.toCompletionStage().toCompletableFuture()
                    .get(timeoutMillis + 1000, TimeUnit.MILLISECONDS).body();
            return replyType.cast(reply);
        } catch (ExecutionException e) {
            throw Failures.rethrow("server " + operation, e.getCause());
        } catch (TimeoutException e) {
            throw new ServerUnreachableException("server " + operation + " did not answer in " + timeoutMillis + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for server " + operation, e);
        }
    }

    @Override
    public Welcome greet(Greeting greeting) {
        return call(ServerMessages.GREET, greeting, Welcome.class);
    }

    @Override
    public TransOpen openTransaction(long rid, long committingSeq) {
        return call(ServerMessages.OPEN_TRANSACTION, new ServerMessages.OpenTransaction(rid, committingSeq),
                TransOpen.class);
    }

    @Override
    public void closeTransaction(long rid, long transSeq) {
        call(ServerMessages.CLOSE_TRANSACTION, new ServerMessages.CloseTransaction(rid, transSeq),
                ServerMessages.Done.class);
    }

    @Override
    public CommitReply commitLogTree(LogTreeCommit commit) {
        return call(ServerMessages.COMMIT_LOG_TREE, commit, CommitReply.class);
    }

    @Override
    public Grant grant(long rid, long grantSeq, long metaBlocks, long dataBlocks, boolean forDeletion) {
        return call(ServerMessages.GRANT,
                new ServerMessages.GrantRequest(rid, grantSeq, metaBlocks, dataBlocks, forDeletion), Grant.class);
    }

    @Override
    public Roots getRoots() {
        return call(ServerMessages.GET_ROOTS, new ServerMessages.Done(), Roots.class);
    }

    @Override
    public InodeRange allocInodes(long rid, long count) {
        return call(ServerMessages.ALLOC_INODES, new ServerMessages.InodesRequest(rid, count), InodeRange.class);
    }

    @Override
    public Usage usage(long rid) {
        return call(ServerMessages.USAGE, new ServerMessages.ForMount(rid), Usage.class);
    }

    @Override
    public MergeJob startMerge(long rid) {
        return call(ServerMessages.START_MERGE, new ServerMessages.ForMount(rid), ServerMessages.MaybeMerge.class).job();
    }

    @Override
    public List<Extent> growMerge(long mergeSeq, long blocks) {
        return call(ServerMessages.GROW_MERGE, new ServerMessages.GrowMerge(mergeSeq, blocks),
                ServerMessages.Extents.class).extents();
    }

    @Override
    public void completeMerge(MergeJob.Result result) {
        call(ServerMessages.COMPLETE_MERGE, result, ServerMessages.Done.class);
    }

    @Override
    public void abandonMerge(long mergeSeq) {
        call(ServerMessages.ABANDON_MERGE, new ServerMessages.ForMerge(mergeSeq), ServerMessages.Done.class);
    }

    @Override
    public void farewell(long rid) {
        call(ServerMessages.FAREWELL, new ServerMessages.ForMount(rid), ServerMessages.Done.class);
    }
}
