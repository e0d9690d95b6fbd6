/**
 * A node: one JVM that serves one mount of a volume, from {@code scoutfs mount} to unmount.
 *
 * <p><b>Starting.</b> {@code scoutfs mount} spawns {@link org.scoutfs.node.NodeMain} in its own
 * session with the {@link org.scoutfs.node.NodeConfig} as JSON. It runs the Vert.x launcher with
 * {@link org.scoutfs.node.NodeVerticle} as the main verticle, which starts a
 * {@link org.scoutfs.node.Node} on a worker thread and then opens the mount's control socket
 * ({@link org.scoutfs.node.control}). The node opens the devices, claims them with a POSIX lock and
 * checks the super block, then starts the server role and deploys it as two verticles: the volume
 * server and the lock server. There is no election yet, so every node is its volume's only server,
 * and it reclaims whatever earlier mounts left behind; the lock refuses a second mount that would
 * do the same to a live one. Next comes the client side: transactions, the lock client and the
 * filesystem ({@link org.scoutfs.node.fs}). It reaches the server only over the event bus
 * ({@link org.scoutfs.node.bus}), exactly as a node in another process would, so one code path
 * serves both cases. Then the node deletes orphans that an earlier mount left, starts the
 * compaction verticle (a commit every interval, and the merges the server hands out) and mounts
 * FUSE. The mount comes last so that the kernel never sees a half-started filesystem. Once it is
 * mounted the process prints {@code ready} and closes standard output, which is what the mount
 * command waits for.
 *
 * <p><b>Stopping.</b> The node's last commit and its farewell go to the server verticles, so
 * shutting down must happen while they still answer. Undeploy order cannot promise that, so
 * {@link org.scoutfs.node.NodeVerticle#shutdown()} shuts down explicitly before Vert.x stops. That
 * holds whether the filesystem was unmounted from outside (the verticle then closes Vert.x, which
 * ends the process) or the process got SIGTERM. The steps undo the start: remove the control
 * socket, unmount, stop background work, finish pending deletions and reap unused orphans, make the
 * final commit and say farewell (the server finalizes the log tree and takes back unused grants),
 * tell the lock server the mount is gone, commit the server, undeploy, close the devices. A failing
 * step does not skip the ones after it. A clean unmount leaves nothing to recover; a node that dies
 * instead is recovered by the next mount.
 *
 * <p><b>Threads.</b> FUSE operations run on the session's platform reader threads and block where
 * they must (cluster locks, commits, the device). Event loops only move messages, and every
 * blocking service behind the bus runs on virtual threads ({@link org.scoutfs.node.verticle}).
 */
package org.scoutfs.node;
