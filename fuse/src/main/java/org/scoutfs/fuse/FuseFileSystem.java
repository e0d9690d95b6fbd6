package org.scoutfs.fuse;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;

/**
 * An inode-based filesystem served to the kernel through FUSE: the "low-level" interface.
 *
 * <p><b>Node ids are inode numbers.</b> Every request names its object by the inode number the
 * filesystem returned in an {@link Entry}; the root directory is {@link #ROOT_INO}. There is no
 * path translation anywhere.
 *
 * <p><b>Lookup counts.</b> The kernel keeps a count per inode of the entries it was given
 * (lookup, create, mknod, mkdir, symlink, link, tmpfile and accepted readdirplus entries) and
 * later gives them back through {@link #forget}. While the count is above zero the filesystem
 * must answer requests for that inode number, even after the last link is gone (an open,
 * unlinked file). When the count reaches zero and there are no links, the inode may be freed.
 * The kernel does not give back the root's count, and after unmount it gives back nothing:
 * {@link #destroy} ends all counts.
 *
 * <p><b>Errors.</b> Operations fail by throwing {@link FuseException}; every method not
 * overridden throws it with {@link Errno#ENOSYS}, which the kernel remembers for most operations
 * and then handles itself or stops asking (for example without access it relies on
 * {@code default_permissions}; without create it uses mknod plus open). Any other exception is
 * a bug: it is logged and the request fails with {@link Errno#EIO}.
 *
 * <p><b>Threads.</b> Operations run concurrently on several threads (see
 * {@link MountOptions.Dispatch}: by default on the thread that read the request, with another
 * reader started whenever none is left waiting), including several operations on the same
 * inode; the filesystem does its own locking. The kernel serializes what POSIX requires (for
 * example it holds a directory's lock across create and unlink in it). An operation may block;
 * it holds only its own thread. Buffers and the {@link RequestContext} passed to an operation
 * are valid only until it returns. Forget runs on a thread that reads requests from the kernel
 * and should not block.
 *
 * <p><b>Permissions.</b> With {@link MountOptions.Builder#defaultPermissions} (the default) the
 * kernel checks mode bits (and ACLs with {@link MountOptions.Builder#posixAcl}) before sending a
 * request; otherwise the filesystem must check {@link RequestContext#uid()} itself.
 */
public interface FuseFileSystem {
    /** The node id the kernel uses for the root directory. */
    long ROOT_INO = 1;

    /** Called once, before any other operation, with the negotiated connection parameters. */
    default void init(ConnectionInfo connection) {
    }

    /**
     * Called once when the session ends: the kernel sent DESTROY, the filesystem was unmounted,
     * or the connection was lost. No other operation runs concurrently or afterwards.
     */
    default void destroy() {
    }

    /**
     * Resolves {@code name} in directory {@code parent}. A positive result counts as one lookup.
     * With {@link MountOptions.Builder#exportSupport} on, "." and ".." must be answered too.
     *
     * @throws FuseException {@link Errno#ENOENT} if there is no such name (or return
     *     {@link Entry#negative} to let the kernel cache the absence)
     */
    default Entry lookup(RequestContext ctx, long parent, FileName name) {
        throw enosys();
    }

    /**
     * The kernel dropped {@code nlookup} references to {@code ino}. Has no reply, cannot fail,
     * and runs on a request-reading thread: keep it quick.
     */
    default void forget(long ino, long nlookup) {
    }

    /**
     * Current attributes of {@code ino}.
     *
     * @param fh the handle of the open file the request came through ({@code fstat}), or -1
     */
    default AttrReply getattr(RequestContext ctx, long ino, long fh) {
        throw enosys();
    }

    /** Applies the present {@code changes} and returns the resulting attributes. */
    default AttrReply setattr(RequestContext ctx, long ino, SetAttrChanges changes) {
        throw enosys();
    }

    /** The target of symbolic link {@code ino}, as raw bytes without a terminating NUL. */
    default byte[] readlink(RequestContext ctx, long ino) {
        throw enosys();
    }

    /** Creates symbolic link {@code name} in {@code parent} pointing at {@code target}. */
    default Entry symlink(RequestContext ctx, long parent, FileName name, byte[] target) {
        throw enosys();
    }

    /**
     * Creates a special or regular file. {@code mode} includes the file type; the kernel has
     * already applied {@code umask} unless POSIX ACLs are on, in which case the filesystem
     * applies it after inheriting default ACLs.
     */
    default Entry mknod(RequestContext ctx, long parent, FileName name, int mode, int rdev, int umask) {
        throw enosys();
    }

    /** Creates directory {@code name}; see {@link #mknod} for {@code mode} and {@code umask}. */
    default Entry mkdir(RequestContext ctx, long parent, FileName name, int mode, int umask) {
        throw enosys();
    }

    /** Removes a non-directory name; the inode lives on while its lookup count is above zero. */
    default void unlink(RequestContext ctx, long parent, FileName name) {
        throw enosys();
    }

    /** Removes an empty directory. */
    default void rmdir(RequestContext ctx, long parent, FileName name) {
        throw enosys();
    }

    /**
     * Renames {@code name} in {@code parent} to {@code newName} in {@code newParent}, replacing
     * an existing target as POSIX rename does unless {@code flags} say otherwise.
     */
    default void rename(RequestContext ctx, long parent, FileName name, long newParent, FileName newName,
            Set<RenameFlag> flags) {
        throw enosys();
    }

    /** Creates hard link {@code newName} in {@code newParent} to inode {@code ino}. */
    default Entry link(RequestContext ctx, long ino, long newParent, FileName newName) {
        throw enosys();
    }

    /**
     * Opens file {@code ino}. With atomic O_TRUNC negotiated, {@code flags} may contain
     * {@link OpenFlags#O_TRUNC} and the filesystem truncates here.
     */
    default OpenReply open(RequestContext ctx, long ino, OpenFlags flags) {
        throw enosys();
    }

    /**
     * Reads from {@code offset} into {@code destination}, up to its remaining space. Returning
     * fewer bytes than asked means end of file (unless the file was opened with direct I/O, where
     * the count is passed to the caller as is). The bytes read are those between the buffer's
     * position on entry and its position on return. Any thread may fill the buffer while the
     * operation runs; it must not be used after returning.
     */
    default void read(RequestContext ctx, long ino, long fh, long offset, ByteBuffer destination) {
        throw enosys();
    }

    /**
     * Writes {@code data} (all of its remaining bytes) at {@code offset}. The buffer is a
     * read-only view of the request: any thread may read it while the operation runs, nobody
     * after it returns.
     *
     * @return the number of bytes written; short writes are passed to the caller
     */
    default int write(RequestContext ctx, long ino, long fh, long offset, ByteBuffer data, WriteFlags flags) {
        throw enosys();
    }

    /** Capacity figures; {@code ino} is the inode the caller asked about. */
    default FsStats statfs(RequestContext ctx, long ino) {
        throw enosys();
    }

    /**
     * Called on every {@code close(2)} of a file descriptor (there may be several per open, after
     * {@code dup}); the place to report deferred write errors.
     */
    default void flush(RequestContext ctx, long ino, long fh, long lockOwner) {
        throw enosys();
    }

    /** The last reference to the open file is gone; {@code fh} will not be used again. */
    default void release(RequestContext ctx, long ino, long fh, OpenFlags flags) {
    }

    /** Makes the file's data (and metadata unless {@code dataOnly}) durable. */
    default void fsync(RequestContext ctx, long ino, long fh, boolean dataOnly) {
        throw enosys();
    }

    /**
     * Sets extended attribute {@code name}.
     *
     * @throws FuseException {@link Errno#EEXIST} or {@link Errno#ENODATA} as {@code flags}
     *     demand; {@link Errno#ENOTSUP} for a namespace the filesystem does not store
     */
    default void setxattr(RequestContext ctx, long ino, String name, byte[] value, SetxattrFlags flags) {
        throw enosys();
    }

    /**
     * The value of extended attribute {@code name}. The session handles the size probing of
     * {@code getxattr(2)}: it answers a size query with the value's length and fails with
     * {@link Errno#ERANGE} when the caller's buffer is too small.
     *
     * @throws FuseException {@link Errno#ENODATA} if the attribute does not exist
     */
    default byte[] getxattr(RequestContext ctx, long ino, String name) {
        throw enosys();
    }

    /** The names of all extended attributes; the session encodes them and handles size probing. */
    default List<String> listxattr(RequestContext ctx, long ino) {
        throw enosys();
    }

    /** Removes extended attribute {@code name}, or throws {@link Errno#ENODATA}. */
    default void removexattr(RequestContext ctx, long ino, String name) {
        throw enosys();
    }

    /** Opens directory {@code ino} for reading. */
    default OpenReply opendir(RequestContext ctx, long ino, OpenFlags flags) {
        return OpenReply.of(0);
    }

    /** Lists directory entries starting at cookie {@code offset} (0 for the first call). */
    default void readdir(RequestContext ctx, long ino, long fh, long offset, DirectoryBuffer buffer) {
        throw enosys();
    }

    /**
     * Lists directory entries with their lookup results (see {@link DirectoryPlusBuffer} for how
     * this counts lookups). The default combines {@link #readdir} and {@link #lookup}.
     */
    default void readdirplus(RequestContext ctx, long ino, long fh, long offset, DirectoryPlusBuffer buffer) {
        ReaddirPlusFallback.fill(this, ctx, ino, fh, offset, buffer);
    }

    /** The last reference to the open directory is gone. */
    default void releasedir(RequestContext ctx, long ino, long fh) {
    }

    /** Makes the directory's contents durable. */
    default void fsyncdir(RequestContext ctx, long ino, long fh, boolean dataOnly) {
        throw enosys();
    }

    /**
     * Checks {@code access(2)} permission {@code mask} (R_OK 4, W_OK 2, X_OK 1, F_OK 0). Only
     * sent without {@link MountOptions.Builder#defaultPermissions}.
     */
    default void access(RequestContext ctx, long ino, int mask) {
        throw enosys();
    }

    /** Creates and opens a regular file in one step; counts as one lookup. */
    default Created create(RequestContext ctx, long parent, FileName name, int mode, int umask, OpenFlags flags) {
        throw enosys();
    }

    /**
     * Creates and opens an unnamed regular file in directory {@code parent} ({@code O_TMPFILE});
     * counts as one lookup. It has no links until {@code linkat} gives it one.
     */
    default Created tmpfile(RequestContext ctx, long parent, int mode, int umask, OpenFlags flags) {
        throw enosys();
    }

    /** Allocates or deallocates space as {@code fallocate(2)} with the Linux {@code mode} bits. */
    default void fallocate(RequestContext ctx, long ino, long fh, long offset, long length, int mode) {
        throw enosys();
    }

    /**
     * Finds data or holes for {@code lseek(2)}.
     *
     * @throws FuseException {@link Errno#ENXIO} if {@code offset} is at or beyond end of file
     */
    default long lseek(RequestContext ctx, long ino, long fh, long offset, Whence whence) {
        throw enosys();
    }

    private static FuseException enosys() {
        return new FuseException(Errno.ENOSYS);
    }
}
