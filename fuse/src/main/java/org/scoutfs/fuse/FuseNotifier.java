package org.scoutfs.fuse;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Tells the kernel, unasked, that its caches are stale: the filesystem's half of cache
 * coherence. A clustered filesystem calls these when another node takes a lock that covers
 * cached inodes or names.
 *
 * <p>Each call writes one notification message to {@code /dev/fuse} and returns when the kernel
 * has applied it. Calls are thread-safe and may come from any thread at any time while the
 * mount is alive. A {@code false} result means the kernel did not have the object cached
 * (nothing to do); failures other than that throw {@link FuseException}, with
 * {@link Errno#ENOTCONN} once the session has ended.
 *
 * <h2>The deadlock rule</h2>
 * The kernel applies a notification while holding locks of the objects involved:
 * {@link #invalidateEntry}, {@link #expireEntry} and {@link #deleteEntry} take the parent
 * directory's inode lock, and {@link #invalidateInode} locks the cached pages of the range. Many
 * requests arrive while the kernel already holds such a lock on behalf of the caller: create,
 * mkdir, unlink, rmdir, rename, link and symlink hold the parent directory lock, lookup may hold
 * it, and read holds the locked pages it wants to fill. So:
 * <ul>
 *   <li>Never notify synchronously, from inside an operation, about the directory (or the page
 *       range) that the operation's own request concerns: the notification would wait for a lock
 *       held by the very process that waits for this operation's reply.</li>
 *   <li>More generally, an operation must not wait for a notification that could need a lock the
 *       kernel holds while waiting for some other in-flight request. A lock callback that
 *       invalidates caches while requests on the same directory are blocked on that cluster lock
 *       is exactly this case.</li>
 *   <li>Use {@link #runAsync} from inside operations and from lock-revocation paths that may be
 *       waited on by requests: it queues the notification on a session thread and returns at
 *       once, so the request can reply and release the kernel's lock.</li>
 * </ul>
 *
 * <p>Calls made on a virtual thread are carried out on a platform thread, because a blocking
 * {@code write(2)} would otherwise pin the virtual thread's carrier for as long as the kernel
 * waits for its lock.
 */
public interface FuseNotifier {

    /**
     * Drops the kernel's cached attributes of {@code ino} and, if {@code offset >= 0}, its
     * cached data from {@code offset} for {@code length} bytes ({@code length <= 0}: to the end).
     *
     * @return {@code false} if the kernel has no inode {@code ino} cached
     */
    boolean invalidateInode(long ino, long offset, long length);

    /** Drops only the cached attributes of {@code ino}; cached data stays. */
    default boolean invalidateAttributes(long ino) {
        return invalidateInode(ino, -1, 0);
    }

    /**
     * Drops the kernel's cached binding of {@code name} in directory {@code parent}, and the
     * parent's cached attributes; the next access looks the name up again.
     *
     * @return {@code false} if the kernel has no inode {@code parent} cached
     */
    boolean invalidateEntry(long parent, FileName name);

    /**
     * Marks the cached binding of {@code name} as expired without unhashing it: the next access
     * revalidates with a lookup, but current users (a process with it as cwd, a mount point) are
     * not disturbed. Falls back to {@link #invalidateEntry} on kernels without expire-only
     * support ({@link ConnectionInfo#expireOnly()}).
     */
    boolean expireEntry(long parent, FileName name);

    /**
     * Tells the kernel that {@code name} in {@code parent}, which referred to inode
     * {@code child}, was removed: the dentry is dropped and, like a local unlink, watchers
     * (inotify) see a deletion.
     *
     * @return {@code false} if the kernel has no inode {@code parent} cached
     */
    boolean deleteEntry(long parent, long child, FileName name);

    /**
     * Pushes data into the kernel's page cache of {@code ino} at {@code offset} (and extends the
     * cached size if the data ends beyond it), so later reads need no READ request.
     *
     * @return {@code false} if the kernel has no inode {@code ino} cached
     */
    boolean store(long ino, long offset, ByteBuffer data);

    /**
     * Asks the kernel for the data it has cached for {@code ino} (for example dirty pages with
     * writeback caching). The future completes with the bytes the kernel had, possibly fewer
     * than {@code size}, or exceptionally with {@link FuseException}.
     */
    CompletableFuture<byte[]> retrieve(long ino, long offset, int size);

    /**
     * Asks the kernel to drop its dentries and inodes for {@code inos} if nothing uses them, so
     * their lookup counts drop to zero through forget. Needs kernel protocol 7.45.
     *
     * @throws UnsupportedOperationException if the kernel is older than 7.45
     */
    void prune(long... inos);

    /**
     * Invalidates every cached dentry at once (the kernel's "epoch"). Needs kernel protocol 7.44.
     * Useful after a cluster recovery when any cached name might be stale.
     *
     * @throws UnsupportedOperationException if the kernel is older than 7.44
     */
    void incrementEpoch();

    /**
     * Runs {@code notifications} on a session thread and returns at once; invocations run one at
     * a time in submission order. This is the safe way to notify from inside an operation (see
     * the deadlock rule above). The future completes when the notifications have run, and
     * exceptionally with whatever they threw.
     */
    CompletableFuture<Void> runAsync(Consumer<FuseNotifier> notifications);
}
