/**
 * A small in-memory POSIX filesystem for driving the FUSE layer through the real kernel in tests.
 *
 * <h2>What it is for</h2>
 * {@link org.scoutfs.fuse.testfs.MemoryFileSystem} implements enough of
 * {@link org.scoutfs.fuse.FuseFileSystem} for {@code cp}, {@code ls}, {@code mv}, {@code ln},
 * {@code setfattr} and java.nio.file to behave as on a real filesystem, and
 * {@link org.scoutfs.fuse.testfs.FsProbe} lets tests observe requests (largest write, readdir
 * calls, forgets) and inject blocking hooks.
 *
 * <h2>Invariants</h2>
 * Inodes live while they have links, kernel lookups or open handles; readdir cookies of an
 * entry never change; only {@code user.*} xattrs are stored (others are ENOTSUP), so the
 * error paths of the xattr protocol are reachable.
 *
 * <h2>Threads</h2>
 * One monitor guards all state; hooks run outside it so that a blocked operation does not
 * block the rest.
 *
 * <h2>What it deliberately does not do</h2>
 * Persistence, permission checks (the kernel does them with default_permissions), ACL
 * inheritance, sparse files, quotas.
 */
package org.scoutfs.fuse.testfs;
