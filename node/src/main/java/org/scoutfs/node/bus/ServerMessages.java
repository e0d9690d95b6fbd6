package org.scoutfs.node.bus;

import java.util.List;

import io.vertx.core.eventbus.EventBus;

import org.scoutfs.lsm.forest.LogTreeRef;
import org.scoutfs.lsm.forest.Roots;
import org.scoutfs.lsm.format.BlockRef;
import org.scoutfs.lsm.format.BtreeRoot;
import org.scoutfs.lsm.format.Extent;
import org.scoutfs.lsm.format.Key;
import org.scoutfs.lsm.format.LogTreesRecord;
import org.scoutfs.lsm.format.MountedClientRecord;
import org.scoutfs.lsm.server.MergeJob;
import org.scoutfs.lsm.server.ServerApi;

/**
 * The requests and replies of {@link ServerApi} on the bus: the API's own records, plus small
 * request records for calls with several arguments. All of them get a {@link RecordCodec}.
 */
public final class ServerMessages {
    private ServerMessages() {
    }

    public static final String GREET = "greet";
    public static final String OPEN_TRANSACTION = "openTransaction";
    public static final String CLOSE_TRANSACTION = "closeTransaction";
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

    public record OpenTransaction(long rid, long committingSeq) {
    }

    public record CloseTransaction(long rid, long transSeq) {
    }

    public record GrantRequest(long rid, long grantSeq, long metaBlocks, long dataBlocks, boolean forDeletion) {
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

    /** Every record that crosses the bus for the server, nested ones included. */
    static final List<Class<? extends Record>> TYPES = List.of(ForMount.class, OpenTransaction.class,
            CloseTransaction.class, GrantRequest.class, InodesRequest.class, Done.class, ServerApi.Greeting.class,
            ServerApi.Welcome.class, MountedClientRecord.class, LogTreesRecord.class, ServerApi.TransOpen.class,
            ServerApi.LogTreeCommit.class, ServerApi.CommitReply.class, ServerApi.Grant.class,
            ServerApi.InodeRange.class, ServerApi.Usage.class, Roots.class, LogTreeRef.class, BtreeRoot.class,
            BlockRef.class, Extent.class, Key.class, GrowMerge.class, ForMerge.class, MaybeMerge.class, Extents.class,
            MergeJob.class, MergeJob.Result.class);

    /** Every message type, for the cluster hash. */
    public static List<Class<? extends Record>> wireTypes() {
        return TYPES;
    }

    /** Registers codecs for every message type, once per event bus. */
    public static void registerCodecs(EventBus bus) {
        RecordCodec.registerAll(bus, TYPES);
    }
}
