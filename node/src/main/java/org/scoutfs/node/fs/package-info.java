/**
 * The POSIX filesystem, kept entirely as items in the node's item store.
 *
 * <p>{@link org.scoutfs.node.fs.ScoutFs} is what the FUSE session calls. Node ids are inode
 * numbers. It hands name operations to {@code NamespaceOps} and single-inode operations to
 * {@code FileOps}, and turns storage failures into errno in one place ({@code guard}): no space is
 * {@code ENOSPC}, damage and anything else the caller did not cause is {@code EIO}.
 *
 * <p><b>Items.</b> An inode is one item, keyed by its number. A directory entry is three items with
 * the same value ({@code Directories}): one keyed by name hash and position for lookup, one keyed
 * by position for readdir, and a back-reference keyed by the target inode, which gives a directory
 * its {@code ..} and an inode its links. Positions come from a counter in the directory inode and
 * are never reused, so readdir lists entries in creation order and an offset stays valid while
 * entries come and go. An extended attribute is a header, its name and its value cut into
 * item-sized parts under an id from the inode's counter ({@code Xattrs}), so names that hash alike
 * never collide. POSIX ACLs are such attributes, in the kernel's own encoding ({@code Acls}). The
 * kernel enforces them; the filesystem keeps the mode bits in step and makes new inodes inherit a
 * directory's default ACL. A symbolic link's target is one item. File contents are extents of 4 KiB
 * blocks keyed by their last block ({@code FileData}). A write into a hole allocates whole blocks,
 * zero-filled around the written bytes, from the node's data grant; a write over allocated blocks
 * goes in place. Data reaches the device before the commit that makes it reachable, and freed
 * blocks are reused only after the commit that frees them. Inode numbers come in runs of one lock
 * group ({@code InodeNumbers}), directories and files from separate runs, and are never reused;
 * the next run is asked for while a quarter of the current one is left, so creates rarely wait
 * for the server's commit of a reservation.
 *
 * <p><b>Indices.</b> Every change of an inode goes through {@code Inodes.write}. The first change
 * in a transaction moves the inode's {@code meta_seq} entry to that transaction's sequence,
 * deleting the old entry in the same transaction. {@code data_seq} entries (regular files only)
 * move when contents or size change, and {@code data_version} counts such changes. So at every
 * commit each inode has exactly one entry per index. The entries take no lock of their own: their
 * keys hold the inode number, so only the holder of the inode's lock writes them, and walks read
 * committed roots, not locked items. {@link org.scoutfs.node.fs.ScoutFs#walkInodes} scans only what
 * the server has committed and clamps the range to the last stable sequence. An entry that a walk
 * has passed can therefore never appear behind it later.
 *
 * <p><b>Locks.</b> Before touching inodes an operation takes, through {@code InodeLocks}, the
 * cluster locks of their inode groups ({@link org.scoutfs.node.fs.ClusterLocks}): READ to look,
 * WRITE to change. Changes also take a local mutex per inode, because this node's threads share its
 * cluster locks. Cross-directory renames add the global rename lock. The order is always the same:
 * cluster locks, then mutexes, then the transaction hold, because a lock may wait for a commit and
 * a commit waits for holds. An operation on the inode a name points at finds it first without
 * locks, locks everything at once, checks that the name still points there and starts over if not,
 * so it never asks for a lock while it holds one. Every item it writes carries at least the lock's
 * write sequence, so a later holder's items outrank an earlier holder's in any log tree. When the
 * node gives up a lock, or part of one, {@link org.scoutfs.node.fs.FsInvalidator} commits if the
 * lock allowed writing. If the node can no longer read under it, the invalidator also tells the
 * kernel to drop the attributes and pages it cached for the inodes of that range. That is why the
 * kernel may trust entries and attributes for a long time ({@link org.scoutfs.node.fs.FsOptions}).
 *
 * <p><b>Deletion.</b> An inode whose last link goes away gets an orphan item in the same
 * transaction ({@code O_TMPFILE} inodes are born with one). {@code Lifetimes} counts the kernel's
 * lookups and the open files of each inode. When both reach zero and no link is left,
 * {@code Reaper} deletes the inode on its own thread, because the trigger (a forget) must not
 * block; requests gather for a few milliseconds and are deleted in a batch, so an {@code rm -r}
 * does not wake the thread once per file. It deletes the inode's extents, attributes, target,
 * index entries, inode and orphan item. Orphans left by a crash are reaped at the next mount, and
 * those still open at unmount are reaped when the session ends.
 *
 * <p><b>Large deletions in slices.</b> A file's extents go in slices of a bounded number, each in
 * a transaction hold of its own, under the inode's lock taken afresh, because a commit waits for
 * every hold and every new hold waits behind a waiting commit: whatever one slice costs, every
 * operation on the node may wait for. So a slice is one scan that starts after the last extent
 * the slice before it freed. Starting again at block 0 would walk over the deletion markers of
 * all earlier slices (they stay in the memtables and log trees until a merge drops them), and a
 * file of n extents would cost n²/2 steps, most of them inside holds. The reaper also commits
 * whenever the open transaction holds a few thousand freed extents, because the server checks and
 * records each freed extent in its own commit, under the monitor all its requests wait for: so no
 * commit carries an unbounded amount of freeing, and a large file's space becomes reusable while
 * it is deleted. A slice's changes share one hold, so a commit has all of a slice or none of it:
 * a crash leaves the file shorter by whole slices, its inode consistent with the extents left and
 * its orphan item in place, and the next mount's reaper finishes it. Blocks a slice freed are
 * reusable only once a commit holding the slice is durable, as for any other free.
 *
 * <p><b>A full volume.</b> Changes that free space (unlink, rmdir, rename over a name, truncating
 * down, punching holes, removing attributes, the reaper) hold the transaction "for deletion": they
 * may use metadata the server keeps in reserve, so a full volume can still shrink. A write that
 * runs out of data blocks returns short and fails only if nothing fit. Blocks freed by a
 * transaction are reusable only once it is durable. So when an operation finds no space,
 * {@code guard} waits for pending deletions, commits if the open transaction freed anything, and
 * runs the operation once more.
 *
 * <p><b>Listings.</b> A READDIRPLUS reply carries the entries' attributes only where they will be
 * used: past the start of a listing (the kernel saw lookups), or in a directory whose entries were
 * looked up after an earlier listing ({@code ListingAttributes}); otherwise names only, which keeps
 * the kernel from making an inode per entry that nobody asked for.
 *
 * <p><b>Threads.</b> Operations run concurrently on the FUSE session's threads and may block. Apart
 * from lifetime counts, inode number runs, the local mutexes and the listing hint, nothing of the
 * filesystem lives in memory. There is no item cache: every operation reads the item store (open transactions, then
 * committed trees through the block cache).
 */
package org.scoutfs.node.fs;
