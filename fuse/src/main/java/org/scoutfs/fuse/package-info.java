/**
 * Serving an inode-based filesystem to the Linux kernel through FUSE, with nothing but the JDK.
 *
 * <h2>What it is for</h2>
 * A scoutfs node implements {@link org.scoutfs.fuse.FuseFileSystem} (lookup, getattr, read,
 * write, readdir, ...) in terms of inode numbers and mounts it with
 * {@link org.scoutfs.fuse.FuseMount#mount}. This package is the whole public surface: the
 * operation interface, the value types that cross it ({@link org.scoutfs.fuse.Entry},
 * {@link org.scoutfs.fuse.FileAttributes}, {@link org.scoutfs.fuse.OpenReply}, ...), the one
 * failure type {@link org.scoutfs.fuse.FuseException} with its {@link org.scoutfs.fuse.Errno},
 * mount options, and {@link org.scoutfs.fuse.FuseNotifier} for invalidating kernel caches when
 * another node changes something. Everything under {@code internal} is implementation.
 *
 * <h2>Invariants the filesystem relies on</h2>
 * <ul>
 *   <li>Node id equals inode number; the root is {@link org.scoutfs.fuse.FuseFileSystem#ROOT_INO}.</li>
 *   <li>Every request gets exactly one reply, built from what the operation returned or threw;
 *       errno values are produced in exactly one place.</li>
 *   <li>Lookup counts balance: every entry handed to the kernel (by lookup, create, mknod, mkdir,
 *       symlink, link, tmpfile or an accepted readdirplus entry) comes back through forget,
 *       including entries whose reply the kernel never received.</li>
 *   <li>{@link org.scoutfs.fuse.FuseFileSystem#init} runs before any other operation and
 *       {@link org.scoutfs.fuse.FuseFileSystem#destroy} exactly once after the last one.</li>
 * </ul>
 *
 * <h2>Threads</h2>
 * Operations run concurrently, by default on the platform thread that read the request from
 * {@code /dev/fuse} (a new reader is started whenever none is left waiting), optionally on a
 * virtual thread per request. Notifications may be sent from any thread. All public types are
 * immutable values or thread-safe handles.
 *
 * <h2>What it deliberately does not do</h2>
 * No path-based API, no caching of its own (the kernel caches, the filesystem decides the
 * timeouts), no POSIX or flock lock forwarding (locks stay local to the node's kernel), no
 * ioctl, poll, splice, passthrough, DAX or io_uring, and no libfuse: the kernel protocol is
 * spoken directly.
 */
package org.scoutfs.fuse;
