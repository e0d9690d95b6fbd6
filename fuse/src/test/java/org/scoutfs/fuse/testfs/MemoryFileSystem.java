package org.scoutfs.fuse.testfs;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.scoutfs.fuse.AttrReply;
import org.scoutfs.fuse.Created;
import org.scoutfs.fuse.DirectoryBuffer;
import org.scoutfs.fuse.DirectoryPlusBuffer;
import org.scoutfs.fuse.Entry;
import org.scoutfs.fuse.Errno;
import org.scoutfs.fuse.FileMode;
import org.scoutfs.fuse.FileName;
import org.scoutfs.fuse.FsStats;
import org.scoutfs.fuse.FuseException;
import org.scoutfs.fuse.FuseFileSystem;
import org.scoutfs.fuse.OpenFlags;
import org.scoutfs.fuse.OpenReply;
import org.scoutfs.fuse.RenameFlag;
import org.scoutfs.fuse.RequestContext;
import org.scoutfs.fuse.SetAttrChanges;
import org.scoutfs.fuse.SetxattrFlags;
import org.scoutfs.fuse.WriteFlags;
import org.scoutfs.fuse.Whence;

/**
 * A small but real POSIX filesystem in memory, for driving the FUSE layer through the kernel.
 *
 * <p>Directories, regular files, symlinks, special files, hard links, {@code user.*} xattrs,
 * rename flags, stable readdir cookies, lookup counting with inode eviction, and unlinked-but-open
 * files. One lock guards everything; test hooks in {@link FsProbe} run outside it so that a
 * blocked operation does not block the others.
 */
public final class MemoryFileSystem implements FuseFileSystem {
    private static final int FALLOC_FL_KEEP_SIZE = 1;
    private static final int FALLOC_FL_PUNCH_HOLE = 2;
    private static final String USER_NAMESPACE = "user.";

    private final Map<Long, MemoryInode> inodes = new HashMap<>();
    private final AtomicLong nextIno = new AtomicLong(FuseFileSystem.ROOT_INO + 1);
    private final AtomicLong nextFh = new AtomicLong(1);
    private final FsProbe probe = new FsProbe();
    private volatile Duration timeout = Duration.ofSeconds(1);

    public MemoryFileSystem() {
        MemoryInode root = new MemoryInode(ROOT_INO, 0, FileMode.S_IFDIR | 0755, 0, 0, Instant.now());
        root.parent = ROOT_INO;
        inodes.put(ROOT_INO, root);
    }

    public FsProbe probe() {
        return probe;
    }

    /** Entry and attribute timeout for every reply from now on. */
    public void setTimeout(Duration value) {
        timeout = value;
    }

    // ------------------------------------------------------------------ test access

    /** The inode number at {@code path} (relative to the root, '/'-separated), resolved directly. */
    public synchronized long inoOf(String path) {
        long ino = ROOT_INO;
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                Long child = node(ino).child(FileName.of(part));
                if (child == null) {
                    throw new IllegalArgumentException("no such path: " + path);
                }
                ino = child;
            }
        }
        return ino;
    }

    public synchronized long lookupCount(long ino) {
        MemoryInode inode = inodes.get(ino);
        return inode == null ? 0 : inode.lookups;
    }

    public synchronized boolean exists(long ino) {
        return inodes.containsKey(ino);
    }

    /** Makes later opens of {@code ino} bypass the page cache. */
    public synchronized void setDirectIo(long ino, boolean value) {
        node(ino).directIo = value;
    }

    /** Changes a file's size without telling the kernel, as another cluster node would. */
    public synchronized void truncateBehindKernel(long ino, long size) {
        MemoryInode inode = node(ino);
        inode.truncate(size);
        inode.mtime = Instant.now();
        inode.ctime = inode.mtime;
    }

    /** Renames without telling the kernel, as another cluster node would. */
    public synchronized void renameBehindKernel(long parent, String from, String to) {
        MemoryInode dir = node(parent);
        Long child = dir.child(FileName.of(from));
        dir.removeEntry(FileName.of(from));
        dir.addEntry(FileName.of(to), child);
    }

    /** Removes a name without telling the kernel. */
    public synchronized void unlinkBehindKernel(long parent, String name) {
        unlinkEntry(node(parent), FileName.of(name), Instant.now());
    }

    // ------------------------------------------------------------------ lifecycle

    @Override
    public void destroy() {
        probe.destroyCalls.incrementAndGet();
    }

    @Override
    public synchronized void forget(long ino, long nlookup) {
        probe.forgets.incrementAndGet();
        MemoryInode inode = inodes.get(ino);
        if (inode != null) {
            inode.lookups = Math.max(0, inode.lookups - nlookup);
            evictIfUnused(inode);
        }
    }

    // ------------------------------------------------------------------ names

    @Override
    public synchronized Entry lookup(RequestContext ctx, long parent, FileName name) {
        MemoryInode dir = directory(parent);
        long ino;
        if (name.isDot()) {
            ino = parent;
        } else if (name.isDotDot()) {
            ino = dir.parent;
        } else {
            Long child = dir.child(name);
            if (child == null) {
                throw new FuseException(Errno.ENOENT);
            }
            ino = child;
        }
        return handOut(node(ino));
    }

    @Override
    public synchronized Entry mknod(RequestContext ctx, long parent, FileName name, int mode, int rdev, int umask) {
        MemoryInode inode = newChild(ctx, parent, name, mode);
        inode.rdev = rdev;
        return handOut(inode);
    }

    @Override
    public synchronized Entry mkdir(RequestContext ctx, long parent, FileName name, int mode, int umask) {
        MemoryInode inode = newChild(ctx, parent, name, FileMode.S_IFDIR | (mode & FileMode.PERMISSION_MASK));
        inode.parent = parent;
        node(parent).nlink++;
        return handOut(inode);
    }

    @Override
    public synchronized Entry symlink(RequestContext ctx, long parent, FileName name, byte[] target) {
        MemoryInode inode = newChild(ctx, parent, name, FileMode.S_IFLNK | 0777);
        inode.symlinkTarget = target.clone();
        return handOut(inode);
    }

    @Override
    public synchronized byte[] readlink(RequestContext ctx, long ino) {
        MemoryInode inode = node(ino);
        if (inode.symlinkTarget == null) {
            throw new FuseException(Errno.EINVAL);
        }
        return inode.symlinkTarget.clone();
    }

    @Override
    public synchronized Entry link(RequestContext ctx, long ino, long newParent, FileName newName) {
        MemoryInode dir = directory(newParent);
        if (dir.child(newName) != null) {
            throw new FuseException(Errno.EEXIST);
        }
        MemoryInode inode = node(ino);
        dir.addEntry(newName, ino);
        inode.nlink++;
        Instant now = Instant.now();
        inode.ctime = now;
        dir.mtime = now;
        dir.ctime = now;
        return handOut(inode);
    }

    @Override
    public synchronized void unlink(RequestContext ctx, long parent, FileName name) {
        MemoryInode dir = directory(parent);
        Long child = dir.child(name);
        if (child == null) {
            throw new FuseException(Errno.ENOENT);
        }
        if (node(child).isDirectory()) {
            throw new FuseException(Errno.EISDIR);
        }
        unlinkEntry(dir, name, Instant.now());
    }

    @Override
    public synchronized void rmdir(RequestContext ctx, long parent, FileName name) {
        MemoryInode dir = directory(parent);
        Long child = dir.child(name);
        if (child == null) {
            throw new FuseException(Errno.ENOENT);
        }
        MemoryInode victim = node(child);
        if (!victim.isDirectory()) {
            throw new FuseException(Errno.ENOTDIR);
        }
        if (victim.hasEntries()) {
            throw new FuseException(Errno.ENOTEMPTY);
        }
        unlinkEntry(dir, name, Instant.now());
    }

    @Override
    public synchronized void rename(RequestContext ctx, long parent, FileName name, long newParent, FileName newName,
            Set<RenameFlag> flags) {
        MemoryInode from = directory(parent);
        MemoryInode to = directory(newParent);
        Long source = from.child(name);
        if (source == null) {
            throw new FuseException(Errno.ENOENT);
        }
        Long target = to.child(newName);
        if (flags.contains(RenameFlag.WHITEOUT)) {
            throw new FuseException(Errno.EINVAL, "whiteouts are not supported");
        }
        Instant now = Instant.now();
        if (flags.contains(RenameFlag.EXCHANGE)) {
            if (target == null) {
                throw new FuseException(Errno.ENOENT);
            }
            exchange(from, name, source, to, newName, target, now);
            return;
        }
        if (target != null) {
            if (flags.contains(RenameFlag.NOREPLACE)) {
                throw new FuseException(Errno.EEXIST);
            }
            if (target.equals(source)) {
                return;
            }
            checkReplaceable(node(source), node(target));
            unlinkEntry(to, newName, now);
        }
        from.removeEntry(name);
        to.addEntry(newName, source);
        moveDirectory(node(source), from, to);
        touchDirectories(from, to, now);
        node(source).ctime = now;
    }

    private void exchange(MemoryInode from, FileName name, long source, MemoryInode to, FileName newName, long target,
            Instant now) {
        from.replaceEntry(name, target);
        to.replaceEntry(newName, source);
        moveDirectory(node(source), from, to);
        moveDirectory(node(target), to, from);
        touchDirectories(from, to, now);
        node(source).ctime = now;
        node(target).ctime = now;
    }

    private void checkReplaceable(MemoryInode source, MemoryInode target) {
        if (target.isDirectory() && !source.isDirectory()) {
            throw new FuseException(Errno.EISDIR);
        }
        if (!target.isDirectory() && source.isDirectory()) {
            throw new FuseException(Errno.ENOTDIR);
        }
        if (target.isDirectory() && target.hasEntries()) {
            throw new FuseException(Errno.ENOTEMPTY);
        }
    }

    /** A directory moving to another parent takes its ".." link with it. */
    private static void moveDirectory(MemoryInode moved, MemoryInode from, MemoryInode to) {
        if (moved.isDirectory() && from != to) {
            from.nlink--;
            to.nlink++;
            moved.parent = to.ino;
        }
    }

    private static void touchDirectories(MemoryInode from, MemoryInode to, Instant now) {
        from.mtime = now;
        from.ctime = now;
        to.mtime = now;
        to.ctime = now;
    }

    // ------------------------------------------------------------------ attributes

    @Override
    public AttrReply getattr(RequestContext ctx, long ino, long fh) {
        runHook(probe.getattrHook, ctx, ino);
        synchronized (this) {
            return new AttrReply(node(ino).attributes(), timeout);
        }
    }

    @Override
    public synchronized AttrReply setattr(RequestContext ctx, long ino, SetAttrChanges changes) {
        MemoryInode inode = node(ino);
        Instant now = Instant.now();
        changes.mode().ifPresent(mode -> inode.mode = FileMode.type(inode.mode) | mode);
        changes.uid().ifPresent(uid -> inode.uid = uid);
        changes.gid().ifPresent(gid -> inode.gid = gid);
        changes.size().ifPresent(size -> {
            inode.truncate(size);
            inode.mtime = now;
        });
        changes.atime().ifPresent(t -> inode.atime = t);
        changes.mtime().ifPresent(t -> inode.mtime = t);
        inode.ctime = changes.ctime().orElse(now);
        return new AttrReply(inode.attributes(), timeout);
    }

    @Override
    public FsStats statfs(RequestContext ctx, long ino) {
        return new FsStats(1 << 20, 1 << 19, 1 << 19, 1 << 20, (1 << 20) - inodeCount(), 4096, 255, 4096);
    }

    private synchronized int inodeCount() {
        return inodes.size();
    }

    // ------------------------------------------------------------------ file data

    @Override
    public synchronized OpenReply open(RequestContext ctx, long ino, OpenFlags flags) {
        MemoryInode inode = node(ino);
        if (flags.has(OpenFlags.O_TRUNC) && flags.isWritable()) {
            inode.truncate(0);
            inode.mtime = Instant.now();
            inode.ctime = inode.mtime;
        }
        inode.openHandles++;
        long fh = nextFh.getAndIncrement();
        return inode.directIo ? OpenReply.of(fh, OpenReply.Flag.DIRECT_IO) : OpenReply.of(fh);
    }

    @Override
    public synchronized Created create(RequestContext ctx, long parent, FileName name, int mode, int umask,
            OpenFlags flags) {
        MemoryInode inode = newChild(ctx, parent, name, FileMode.S_IFREG | (mode & FileMode.PERMISSION_MASK));
        inode.openHandles++;
        return new Created(handOut(inode), OpenReply.of(nextFh.getAndIncrement()));
    }

    @Override
    public synchronized Created tmpfile(RequestContext ctx, long parent, int mode, int umask, OpenFlags flags) {
        directory(parent);
        MemoryInode inode = newInode(ctx, FileMode.S_IFREG | (mode & FileMode.PERMISSION_MASK));
        inode.nlink = 0;
        inode.openHandles++;
        return new Created(handOut(inode), OpenReply.of(nextFh.getAndIncrement()));
    }

    @Override
    public void read(RequestContext ctx, long ino, long fh, long offset, ByteBuffer destination) {
        runHook(probe.readHook, ctx, ino);
        probe.recordRead(destination.remaining());
        byte[] chunk = new byte[destination.remaining()];
        int n;
        synchronized (this) {
            n = node(ino).read(offset, chunk, chunk.length);
        }
        destination.put(chunk, 0, n);
    }

    @Override
    public int write(RequestContext ctx, long ino, long fh, long offset, ByteBuffer data, WriteFlags flags) {
        int length = data.remaining();
        probe.recordWrite(length);
        byte[] bytes = new byte[length];
        data.get(bytes);
        synchronized (this) {
            MemoryInode inode = node(ino);
            inode.write(offset, bytes);
            inode.mtime = Instant.now();
            inode.ctime = inode.mtime;
        }
        return length;
    }

    @Override
    public void flush(RequestContext ctx, long ino, long fh, long lockOwner) {
    }

    @Override
    public synchronized void release(RequestContext ctx, long ino, long fh, OpenFlags flags) {
        MemoryInode inode = inodes.get(ino);
        if (inode != null) {
            inode.openHandles--;
            evictIfUnused(inode);
        }
    }

    @Override
    public void fsync(RequestContext ctx, long ino, long fh, boolean dataOnly) {
        runHook(probe.fsyncHook, ctx, ino);
    }

    @Override
    public synchronized void fallocate(RequestContext ctx, long ino, long fh, long offset, long length, int mode) {
        MemoryInode inode = node(ino);
        if (mode == (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE)) {
            inode.zeroRange(offset, length);
        } else if (mode == 0 || mode == FALLOC_FL_KEEP_SIZE) {
            if (mode == 0 && offset + length > inode.size()) {
                inode.truncate(offset + length);
            }
        } else {
            throw new FuseException(Errno.EOPNOTSUPP);
        }
        inode.ctime = Instant.now();
    }

    @Override
    public synchronized long lseek(RequestContext ctx, long ino, long fh, long offset, Whence whence) {
        long size = node(ino).size();
        if (offset >= size) {
            throw new FuseException(Errno.ENXIO);
        }
        return whence == Whence.SEEK_DATA ? offset : size;
    }

    // ------------------------------------------------------------------ directories

    @Override
    public synchronized void readdir(RequestContext ctx, long ino, long fh, long offset, DirectoryBuffer buffer) {
        probe.readdirCalls.incrementAndGet();
        MemoryInode dir = directory(ino);
        if (offset < 1 && !buffer.add(FileName.DOT, ino, FileMode.S_IFDIR, 1)) {
            return;
        }
        if (offset < 2 && !buffer.add(FileName.DOT_DOT, dir.parent, FileMode.S_IFDIR, 2)) {
            return;
        }
        for (var e : dir.entriesAfter(Math.max(offset, 2)).entrySet()) {
            MemoryInode child = node(e.getValue().ino());
            if (!buffer.add(e.getValue().name(), child.ino, child.mode, e.getKey())) {
                return;
            }
        }
    }

    @Override
    public void readdirplus(RequestContext ctx, long ino, long fh, long offset, DirectoryPlusBuffer buffer) {
        probe.readdirplusCalls.incrementAndGet();
        FuseFileSystem.super.readdirplus(ctx, ino, fh, offset, buffer);
    }

    @Override
    public void fsyncdir(RequestContext ctx, long ino, long fh, boolean dataOnly) {
    }

    // ------------------------------------------------------------------ extended attributes

    @Override
    public synchronized void setxattr(RequestContext ctx, long ino, String name, byte[] value, SetxattrFlags flags) {
        checkNamespace(name);
        MemoryInode inode = node(ino);
        boolean exists = inode.xattrs.containsKey(name);
        if (flags.create() && exists) {
            throw new FuseException(Errno.EEXIST);
        }
        if (flags.replace() && !exists) {
            throw new FuseException(Errno.ENODATA);
        }
        inode.xattrs.put(name, value.clone());
        inode.ctime = Instant.now();
    }

    @Override
    public synchronized byte[] getxattr(RequestContext ctx, long ino, String name) {
        checkNamespace(name);
        byte[] value = node(ino).xattrs.get(name);
        if (value == null) {
            throw new FuseException(Errno.ENODATA);
        }
        return value.clone();
    }

    @Override
    public synchronized List<String> listxattr(RequestContext ctx, long ino) {
        return new ArrayList<>(node(ino).xattrs.keySet());
    }

    @Override
    public synchronized void removexattr(RequestContext ctx, long ino, String name) {
        checkNamespace(name);
        if (node(ino).xattrs.remove(name) == null) {
            throw new FuseException(Errno.ENODATA);
        }
    }

    /** Only the user namespace is stored; security, trusted and system are not supported. */
    private static void checkNamespace(String name) {
        if (!name.startsWith(USER_NAMESPACE)) {
            throw new FuseException(Errno.ENOTSUP);
        }
    }

    // ------------------------------------------------------------------ helpers (lock held)

    private MemoryInode node(long ino) {
        MemoryInode inode = inodes.get(ino);
        if (inode == null) {
            throw new FuseException(Errno.ENOENT, "stale inode " + ino);
        }
        return inode;
    }

    private MemoryInode directory(long ino) {
        MemoryInode inode = node(ino);
        if (!inode.isDirectory()) {
            throw new FuseException(Errno.ENOTDIR);
        }
        return inode;
    }

    private MemoryInode newInode(RequestContext ctx, int mode) {
        long ino = nextIno.getAndIncrement();
        MemoryInode inode = new MemoryInode(ino, ino * 7, mode, ctx.uid(), ctx.gid(), Instant.now());
        inodes.put(ino, inode);
        return inode;
    }

    private MemoryInode newChild(RequestContext ctx, long parent, FileName name, int mode) {
        MemoryInode dir = directory(parent);
        if (dir.child(name) != null) {
            throw new FuseException(Errno.EEXIST);
        }
        MemoryInode inode = newInode(ctx, mode);
        dir.addEntry(name, inode.ino);
        dir.mtime = inode.ctime;
        dir.ctime = inode.ctime;
        return inode;
    }

    /** Answers with an entry, which the kernel counts as one lookup. */
    private Entry handOut(MemoryInode inode) {
        inode.lookups++;
        return new Entry(inode.ino, inode.generation, inode.attributes(), timeout, timeout);
    }

    private void unlinkEntry(MemoryInode dir, FileName name, Instant now) {
        MemoryInode victim = node(dir.child(name));
        dir.removeEntry(name);
        dir.mtime = now;
        dir.ctime = now;
        victim.ctime = now;
        if (victim.isDirectory()) {
            victim.nlink = 0;
            dir.nlink--;
        } else {
            victim.nlink--;
        }
        evictIfUnused(victim);
    }

    /** An inode without links, kernel references or open handles is gone. */
    private void evictIfUnused(MemoryInode inode) {
        if (inode.ino != ROOT_INO && inode.nlink == 0 && inode.lookups == 0 && inode.openHandles == 0) {
            inodes.remove(inode.ino);
        }
    }

    private static void runHook(FsProbe.Hook hook, RequestContext ctx, long ino) {
        if (hook == null) {
            return;
        }
        try {
            hook.run(ctx, ino);
        } catch (FuseException e) {
            throw e;
        } catch (InterruptedException e) {
            throw new FuseException(Errno.EINTR, "interrupted in test hook");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return "MemoryFileSystem[" + inodeCount() + " inodes]";
    }
}
