package org.scoutfs.node.control;

import java.nio.file.Path;

/**
 * The control channel between the {@code scoutfs} command and a mounted node: a Unix domain socket
 * per mount, named after the mount's device number, so a command finds it from any path inside
 * the mount with one {@code stat}. FUSE cannot carry scoutfs's ioctls, so this carries what they
 * did.
 *
 * <p>A request is one line of space-separated words. A reply is {@code ok}, any number of lines,
 * then {@code end}; or a single line {@code error ERRNO message}. Requests:
 * <pre>
 * walk-inodes meta_seq|data_seq FIRST-MAJOR FIRST-INO LAST-MAJOR LAST-INO
 *                              lines "MAJOR INO", in index order, clamped to the last stable seq
 * stat INO                     lines "FIELD VALUE": meta_seq data_seq data_version online_blocks
 *                              offline_blocks crtime
 * df                           lines "FIELD VALUE": total_meta_blocks free_meta_blocks
 *                              total_data_blocks free_data_blocks
 * statfs                       lines "FIELD VALUE": fsid rid committed_seq total_meta_blocks
 *                              total_data_blocks
 * sync                         nothing; returns once everything changed before is durable
 * </pre>
 * Numbers are unsigned decimal (hex for fsid and rid). Anyone may ask for {@code df} and
 * {@code statfs}, which statfs(2) tells everyone anyway; the rest need root (the peer's
 * credentials), because by inode number they see every inode whatever the directories allow:
 * others get {@code error EPERM}.
 */
public final class ControlProtocol {
    private ControlProtocol() {
    }

    public static final String OK = "ok";
    public static final String END = "end";
    public static final String ERROR = "error";

    /** Where the control socket of the mount with device number {@code dev} lives. */
    public static Path socketPath(Path controlDir, long dev) {
        return controlDir.resolve("mount-" + Long.toUnsignedString(dev) + ".sock");
    }
}
