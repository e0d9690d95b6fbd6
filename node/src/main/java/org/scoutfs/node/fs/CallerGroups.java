package org.scoutfs.node.fs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.scoutfs.fuse.RequestContext;

/**
 * Group membership of the process behind a request. FUSE passes only the primary gid; the
 * supplementary groups are read from /proc when a rule needs them (rarely: only setgid edge
 * cases the kernel leaves to the filesystem).
 */
final class CallerGroups {
    private CallerGroups() {
    }

    /** Whether the caller may act as a member of {@code gid}: a member, or root. */
    static boolean isMemberOrRoot(RequestContext ctx, int gid) {
        return ctx.uid() == 0 || isMember(ctx, gid);
    }

    static boolean isMember(RequestContext ctx, int gid) {
        if (ctx.gid() == gid) {
            return true;
        }
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Integer.toString(ctx.pid()), "status"))) {
                if (line.startsWith("Groups:")) {
                    for (String g : line.substring("Groups:".length()).trim().split("\\s+")) {
                        if (!g.isEmpty() && Integer.parseInt(g) == gid) {
                            return true;
                        }
                    }
                    return false;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // the process is gone: judge by its primary group alone
        }
        return false;
    }
}
