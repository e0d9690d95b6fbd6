package org.scoutfs.fuse;

/**
 * Where {@link FuseFileSystem#readdir} puts directory entries: the reply buffer of one READDIR
 * request, sized by the kernel (usually one page).
 *
 * <p>Offsets are cookies chosen by the filesystem. Each entry carries the offset at which the
 * next call should resume; the kernel passes it back as {@code offset} and passes 0 for the
 * first call. Cookies must stay valid while the directory is open even if entries are added or
 * removed meanwhile (POSIX allows new entries to be missed or seen, never old ones twice).
 */
@FunctionalInterface
public interface DirectoryBuffer {

    /**
     * Appends one entry if it fits.
     *
     * @param name the entry name
     * @param ino the inode number shown as {@code d_ino}
     * @param mode the entry's file type bits ({@link FileMode}); permission bits are ignored
     * @param nextOffset the cookie to resume after this entry; must not be 0
     * @return {@code false} if the buffer is full: nothing was added and the filesystem should
     *     return; the kernel asks again from this entry's offset
     */
    boolean add(FileName name, long ino, int mode, long nextOffset);
}
