package org.scoutfs.node.control;

import java.io.PrintWriter;

import org.scoutfs.lsm.server.ServerApi;
import org.scoutfs.node.Node;
import org.scoutfs.node.fs.ScoutFs;

/** The requests of the control channel, carried out on a node. */
final class ControlCommands {
    private static final int WALK_PAGE = 4096;

    private final Node node;

    ControlCommands(Node node) {
        this.node = node;
    }

    /** A reply in progress: {@code ok}, lines, {@code end}. */
    static final class Reply {
        private final PrintWriter out;
        private boolean started;

        Reply(PrintWriter out) {
            this.out = out;
        }

        void line(String s) {
            start();
            out.println(s);
        }

        void field(String name, long value) {
            line(name + " " + Long.toUnsignedString(value));
        }

        private void start() {
            if (!started) {
                started = true;
                out.println(ControlProtocol.OK);
            }
        }

        void end() {
            start();
            out.println(ControlProtocol.END);
        }
    }

    void run(String[] w, Reply reply) {
        switch (w[0]) {
            case "walk-inodes" -> walk(w, reply);
            case "stat" -> stat(w, reply);
            case "df" -> df(reply);
            case "statfs" -> statfs(reply);
            case "counters" -> {
                ScoutFs.operationCounts().forEach(reply::field);
                reply.end();
            }
            case "cluster" -> {
                node.clusterStatus().lines().forEach(reply::line);
                reply.end();
            }
            case "sync" -> {
                node.filesystem().sync();
                reply.end();
            }
            default -> throw new IllegalArgumentException("unknown request '" + w[0] + "'");
        }
    }

    private static long number(String s) {
        return Long.parseUnsignedLong(s);
    }

    private void walk(String[] w, Reply reply) {
        if (w.length != 6) {
            throw new IllegalArgumentException("walk-inodes takes an index and two positions");
        }
        boolean data = switch (w[1]) {
            case "meta_seq" -> false;
            case "data_seq" -> true;
            default -> throw new IllegalArgumentException("unknown index '" + w[1] + "'");
        };
        long major = number(w[2]);
        long ino = number(w[3]);
        long lastMajor = number(w[4]);
        long lastIno = number(w[5]);
        ScoutFs fs = node.filesystem();
        // `sync` cannot reach a FUSE filesystem, so commit here what this node changed before the walk
        // (without waiting for the background deletion of a large unlinked file)
        fs.commit();
        while (true) {
            ScoutFs.IndexPage page = fs.walkInodes(data, major, ino, lastMajor, lastIno, WALK_PAGE);
            if (Long.compareUnsigned(lastMajor, page.stableSeq()) > 0) {
                // later pages stay within what was stable when the walk began
                lastMajor = page.stableSeq();
                lastIno = -1L;
            }
            for (ScoutFs.IndexEntry e : page.entries()) {
                reply.line(Long.toUnsignedString(e.major()) + " " + Long.toUnsignedString(e.ino()));
            }
            if (!page.more()) {
                break;
            }
            ScoutFs.IndexEntry last = page.entries().getLast();
            major = last.major();
            ino = last.ino() + 1;
            if (ino == 0) {
                major++;
                if (major == 0) {
                    break;
                }
            }
        }
        reply.end();
    }

    private void stat(String[] w, Reply reply) {
        if (w.length != 2) {
            throw new IllegalArgumentException("stat takes an inode number");
        }
        ScoutFs.InodeDetails d = node.filesystem().inodeDetails(number(w[1]));
        reply.field("meta_seq", d.metaSeq());
        reply.field("data_seq", d.dataSeq());
        reply.field("data_version", d.dataVersion());
        reply.field("online_blocks", d.onlineBlocks());
        reply.field("offline_blocks", d.offlineBlocks());
        reply.line("crtime " + d.crtimeSec() + "." + String.format("%09d", d.crtimeNsec()));
        reply.end();
    }

    private void df(Reply reply) {
        ServerApi.Usage u = node.usage();
        reply.field("total_meta_blocks", u.totalMetaBlocks());
        reply.field("free_meta_blocks", u.freeMetaBlocks());
        reply.field("total_data_blocks", u.totalDataBlocks());
        reply.field("free_data_blocks", u.freeDataBlocks());
        reply.end();
    }

    private void statfs(Reply reply) {
        ServerApi.Usage u = node.usage();
        reply.line("fsid " + String.format("%016x", node.fsid()));
        reply.line("rid " + String.format("%016x", node.rid()));
        reply.field("committed_seq", u.stableSeq());
        reply.field("total_meta_blocks", u.totalMetaBlocks());
        reply.field("total_data_blocks", u.totalDataBlocks());
        reply.end();
    }
}
