package org.scoutfs.node.bus;

import java.util.List;

import io.vertx.core.eventbus.EventBus;

import org.scoutfs.lsm.forest.LogTreeRef;
import org.scoutfs.lsm.forest.Roots;
import org.scoutfs.lsm.format.Extent;
import org.scoutfs.lsm.server.MergeJob;
import org.scoutfs.lsm.server.ServerApi;

/**
 * The requests and replies of {@link ServerApi} on the bus: the API's own records, plus small
 * request records for calls with several arguments. All of them get a {@link RecordCodec}.
 */
public final class ServerMessages {
    private ServerMessages() {
    }

    public static final String OPEN_TRANSACTION = "openTransaction";
    public static final String COMMIT_LOG_TREE = "commitLogTree";
    public static final String GRANT = "grant";
    public static final String GET_ROOTS = "getRoots";
    public static final String ALLOC_INODES = "allocInodes";
    public static final String USAGE = "usage";
    public static final String FAREWELL = "farewell";
    public static final String START_MERGE = "startMerge";
    public static final String GROW_MERGE = "growMerge";
    public static final String COMPLETE_MERGE = "completeMerge";
    public static final String ABANDON_MERGE = "abandonMerge";

    /** A request naming only the asking mount. */
    public record ForMount(long rid) {
    }

    public record GrantRequest(long rid, long metaBlocks, long dataBlocks, boolean forDeletion) {
    }

    public record InodesRequest(long rid, long count) {
    }

    public record GrowMerge(long mergeSeq, long blocks) {
    }

    public record ForMerge(long mergeSeq) {
    }

    /** A merge job, or none. */
    public record MaybeMerge(MergeJob job) {
    }

    /** A list of extents. */
    public record Extents(List<Extent> extents) {
    }

    /** A reply with nothing in it. */
    public record Done() {
    }

    /** Registers codecs for every message type, once per event bus. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void registerCodecs(EventBus bus) {
        List<Class<? extends Record>> types = List.of(ForMount.class, GrantRequest.class, InodesRequest.class,
                Done.class, ServerApi.TransOpen.class, ServerApi.LogTreeCommit.class, ServerApi.CommitReply.class,
                ServerApi.Grant.class, ServerApi.InodeRange.class, ServerApi.Usage.class, Roots.class,
                LogTreeRef.class, Extent.class, GrowMerge.class, ForMerge.class, MaybeMerge.class, Extents.class,
                MergeJob.Result.class);
        for (Class<? extends Record> t : types) {
            try {
                bus.registerDefaultCodec((Class) t, new RecordCodec(t));
            } catch (IllegalStateException alreadyRegistered) {
                // another component of this node registered them first
            }
        }
    }
}
