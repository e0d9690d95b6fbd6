package org.scoutfs.node.fs;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

import org.scoutfs.lsm.server.ServerApi;

/**
 * Hands out inode numbers from runs the server reserved for this node. Directories and other
 * inodes come from separate runs so they land in different lock groups; a run is a whole lock
 * group, so a node's new files rarely share a lock with another node's. Numbers are never reused;
 * what is left of a run when the node stops is simply never used.
 *
 * <p>The server makes a reservation durable before it answers, which takes a commit; so the next
 * run is asked for in the background while a quarter of the current one is left, and a create
 * only waits for the server when files are made faster than a commit completes. A request still
 * on its way when the node stops is let go: its numbers, like the rest of a run, are never used.
 */
final class InodeNumbers {
    private static final int RUN = 1024;
    /** Numbers left in a run when the next one is asked for. */
    private static final int REFILL_AT = RUN / 4;

    private final ServerApi server;
    private final long rid;
    private final Executor background = task -> Thread.ofVirtual().name("scoutfs-inode-numbers").start(task);
    private final Run dirs = new Run();
    private final Run others = new Run();

    InodeNumbers(ServerApi server, long rid) {
        this.server = server;
        this.rid = rid;
    }

    long next(boolean directory) {
        return (directory ? dirs : others).next();
    }

    /** The numbers of one kind: the run in use and the one asked for after it. */
    private final class Run {
        private long next;
        private long end;
        private CompletableFuture<ServerApi.InodeRange> coming;

        synchronized long next() {
            if (next == end) {
                ServerApi.InodeRange r = takeComing();
                next = r.first();
                end = r.first() + r.count();
            }
            if (end - next <= REFILL_AT && coming == null) {
                coming = CompletableFuture.supplyAsync(() -> server.allocInodes(rid, RUN), background);
            }
            return next++;
        }

        /** The run asked for in the background, or, if there is none or asking failed, one asked for now. */
        private ServerApi.InodeRange takeComing() {
            CompletableFuture<ServerApi.InodeRange> f = coming;
            coming = null;
            if (f != null) {
                try {
                    return f.join();
                } catch (CompletionException e) {
                    // asking again reports the failure, with its own cause, to this caller
                }
            }
            return server.allocInodes(rid, RUN);
        }
    }
}
