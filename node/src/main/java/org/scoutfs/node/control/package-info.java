/**
 * The control channel: how the {@code scoutfs} command talks to the node serving a mount.
 *
 * <p><b>Why.</b> scoutfs's commands reach a mount through ioctls. FUSE forwards ioctls only in a
 * restricted form that cannot carry scoutfs's variable-sized buffers, and the session does not
 * forward them at all. A path also has to reach the right node, and there may be several mounts on
 * one machine. So every mount has its own Unix domain socket, served by
 * {@link org.scoutfs.node.control.ControlServer} from the moment the node is mounted until it
 * stops.
 *
 * <p><b>Finding it.</b> The socket is {@code mount-<st_dev>.sock} in the control directory:
 * {@code /run/scoutfs} ({@link org.scoutfs.node.NodeConfig#DEFAULT_CONTROL_DIR}), or
 * {@code $SCOUTFS_CONTROL_DIR} for both the mount and the commands. The device number is the
 * mount's own, so a command finds the socket from one {@code stat} of any path inside the mount. It
 * also checks the mount table that the path really is on a {@code fuse.scoutfs} mount, so it can
 * say so plainly when it is not. {@link org.scoutfs.node.control.ControlProtocol#socketPath} is the
 * one place the name is made.
 *
 * <p><b>Protocol.</b> One request per connection: a line of words, answered by {@code ok}, any
 * number of lines and {@code end}, or by one line {@code error ERRNO message}. Requests are
 * {@code walk-inodes}, {@code stat}, {@code df}, {@code statfs} and {@code sync}, whose arguments
 * and replies {@link org.scoutfs.node.control.ControlProtocol} lists, and {@code counters}: how
 * often each filesystem operation ran in this process, one {@code NAME COUNT} line each (no CLI
 * command asks for it yet). Numbers are unsigned decimal, except fsid and rid in hex.
 * {@code walk-inodes} first commits what this node changed, because {@code sync(1)} cannot reach a
 * FUSE filesystem. It then reads the index in pages and keeps every page within the stable sequence
 * seen by the first, so no entry at or below where the walk ends can appear later. {@code sync}
 * returns once everything changed through the mount is durable, the deletion of files already
 * unlinked and closed included; a walk's commit does not wait for those deletions.
 *
 * <p><b>Threads and access.</b> Each connection runs on its own virtual thread and may block on the
 * filesystem. Every local user may connect; {@code df} and {@code statfs} answer anyone, the rest
 * only root (by the peer's credentials), since by inode number they see past directory permissions.
 */
package org.scoutfs.node.control;
