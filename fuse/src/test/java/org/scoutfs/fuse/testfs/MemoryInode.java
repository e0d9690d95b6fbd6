package org.scoutfs.fuse.testfs;

import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.scoutfs.fuse.FileAttributes;
import org.scoutfs.fuse.FileMode;
import org.scoutfs.fuse.FileName;

/**
 * One inode of {@link MemoryFileSystem}: attributes plus file data, directory entries or a
 * symlink target. Not thread-safe; the filesystem guards every inode with its one lock.
 */
final class MemoryInode {
    /** Directory entries in creation order, keyed by a cookie that never changes. */
    record DirEntry(FileName name, long ino) {
    }

    static final long FIRST_ENTRY_COOKIE = 3;

    final long ino;
    final long generation;
    int mode;
    int nlink;
    int uid;
    int gid;
    int rdev;
    Instant atime;
    Instant mtime;
    Instant ctime;
    long lookups;
    int openHandles;
    long parent;
    boolean directIo;

    private byte[] data = new byte[0];
    private long size;
    byte[] symlinkTarget;
    final Map<String, byte[]> xattrs = new HashMap<>();
    private final TreeMap<Long, DirEntry> entriesByCookie = new TreeMap<>();
    private final Map<FileName, Long> cookiesByName = new HashMap<>();
    private long nextCookie = FIRST_ENTRY_COOKIE;

    MemoryInode(long ino, long generation, int mode, int uid, int gid, Instant now) {
        this.ino = ino;
        this.generation = generation;
        this.mode = mode;
        this.uid = uid;
        this.gid = gid;
        this.atime = now;
        this.mtime = now;
        this.ctime = now;
        this.nlink = FileMode.isDirectory(mode) ? 2 : 1;
    }

    boolean isDirectory() {
        return FileMode.isDirectory(mode);
    }

    FileAttributes attributes() {
        return FileAttributes.builder()
                .ino(ino).size(size()).blocks((size() + 511) / 512)
                .atime(atime).mtime(mtime).ctime(ctime)
                .mode(mode).nlink(nlink).uid(uid).gid(gid).rdev(rdev).blksize(65536)
                .build();
    }

    long size() {
        if (symlinkTarget != null) {
            return symlinkTarget.length;
        }
        if (isDirectory()) {
            return entriesByCookie.size();
        }
        return size;
    }

    // ---------------------------------------------------------------- file data

    int read(long offset, byte[] into, int length) {
        if (offset >= size) {
            return 0;
        }
        int n = (int) Math.min(length, size - offset);
        System.arraycopy(data, (int) offset, into, 0, n);
        return n;
    }

    void write(long offset, byte[] bytes) {
        long end = offset + bytes.length;
        ensureCapacity(end);
        System.arraycopy(bytes, 0, data, (int) offset, bytes.length);
        size = Math.max(size, end);
    }

    void truncate(long newSize) {
        if (newSize < size) {
            Arrays.fill(data, (int) newSize, (int) size, (byte) 0);
        } else {
            ensureCapacity(newSize);
        }
        size = newSize;
    }

    void zeroRange(long offset, long length) {
        long end = Math.min(size, offset + length);
        if (offset < end) {
            Arrays.fill(data, (int) offset, (int) end, (byte) 0);
        }
    }

    private void ensureCapacity(long needed) {
        if (needed > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("memory file too large: " + needed);
        }
        if (needed > data.length) {
            data = Arrays.copyOf(data, (int) Math.max(needed, Math.min(Integer.MAX_VALUE - 8, data.length * 2L)));
        }
    }

    // ---------------------------------------------------------------- directory entries

    Long child(FileName name) {
        Long cookie = cookiesByName.get(name);
        return cookie == null ? null : entriesByCookie.get(cookie).ino();
    }

    void addEntry(FileName name, long childIno) {
        long cookie = nextCookie++;
        entriesByCookie.put(cookie, new DirEntry(name, childIno));
        cookiesByName.put(name, cookie);
    }

    /** Points an existing name at another inode, keeping its position in the listing. */
    void replaceEntry(FileName name, long childIno) {
        long cookie = cookiesByName.get(name);
        entriesByCookie.put(cookie, new DirEntry(name, childIno));
    }

    void removeEntry(FileName name) {
        Long cookie = cookiesByName.remove(name);
        if (cookie != null) {
            entriesByCookie.remove(cookie);
        }
    }

    boolean hasEntries() {
        return !entriesByCookie.isEmpty();
    }

    /** Entries whose cookie is greater than {@code cookie}, in listing order. */
    Map<Long, DirEntry> entriesAfter(long cookie) {
        return entriesByCookie.tailMap(cookie, false);
    }
}
