package org.scoutfs.fuse;

/**
 * Where {@link FuseFileSystem#readdirplus} puts directory entries together with their lookup
 * results, so that {@code ls -l} needs no separate lookup per name.
 *
 * <p><b>Lookup counting.</b> A positive {@link Entry} accepted by {@link #add} counts as one
 * lookup, exactly as if the kernel had sent LOOKUP for that name: the filesystem increments its
 * lookup count of the entry's inode when (and only when) {@code add} returns {@code true}. The
 * kernel ignores the entry part of "." and "..", so those must go through
 * {@link #addWithoutEntry} and are never counted. If the reply cannot be delivered (the request
 * was aborted), the session calls {@link FuseFileSystem#forget} for every counted entry, so the
 * counts stay balanced without the filesystem doing anything.
 */
public interface DirectoryPlusBuffer {

    /**
     * Appends an entry with its lookup result if it fits.
     *
     * @param name the entry name; not "." or ".."
     * @param entry the lookup result; a positive entry counts as one lookup if accepted
     * @param nextOffset the cookie to resume after this entry (see {@link DirectoryBuffer})
     * @return {@code false} if the buffer is full; nothing was added and nothing counted
     */
    boolean add(FileName name, Entry entry, long nextOffset);

    /**
     * Appends an entry without lookup result; the kernel will look the name up itself if needed.
     * Use it for "." and "..", and for entries the filesystem does not want to pin.
     *
     * @return {@code false} if the buffer is full
     */
    boolean addWithoutEntry(FileName name, long ino, int mode, long nextOffset);

    /**
     * Whether an entry for {@code name} would fit right now. Lets the filesystem avoid a lookup
     * (and a lookup count) for an entry that would be refused.
     */
    boolean fits(FileName name);
}
