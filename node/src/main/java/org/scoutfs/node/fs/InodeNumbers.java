package org.scoutfs.node.fs;

import org.scoutfs.lsm.server.ServerApi;

/**
 * Hands out inode numbers from runs the server reserved for this node. Directories and other
 * inodes come from separate runs so they land in different lock groups; a run is a whole lock
 * group, so a node's new files rarely share a lock with another node's. Numbers are never reused;
 * what is left of a run when the node stops is simply never used.
 */
final class InodeNumbers {
    private static final int RUN = 1024;

    private final ServerApi server;
    private final long rid;
    private long nextDir;
    private long endDir;
    private long nextOther;
    private long endOther;

    InodeNumbers(ServerApi server, long rid) {
        this.server = server;
        this.rid = rid;
    }

    synchronized long next(boolean directory) {
        if (directory) {
            if (nextDir == endDir) {
                ServerApi.InodeRange r = server.allocInodes(rid, RUN);
                nextDir = r.first();
                endDir = r.first() + r.count();
            }
            return nextDir++;
        }
        if (nextOther == endOther) {
            ServerApi.InodeRange r = server.allocInodes(rid, RUN);
            nextOther = r.first();
            endOther = r.first() + r.count();
        }
        return nextOther++;
    }
}
