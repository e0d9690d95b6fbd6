package org.scoutfs.node.fs;

import java.util.List;
import java.util.Set;

import org.scoutfs.fuse.DirectoryBuffer;
import org.scoutfs.fuse.DirectoryPlusBuffer;
import org.scoutfs.fuse.Entry;
import org.scoutfs.fuse.Errno;
import org.scoutfs.fuse.FileName;
import org.scoutfs.fuse.FuseException;
import org.scoutfs.fuse.RenameFlag;
import org.scoutfs.fuse.RequestContext;
import org.scoutfs.lsm.format.DirentItem;
import org.scoutfs.lsm.format.InodeItem.Timespec;
import org.scoutfs.lsm.format.Zones;
import org.scoutfs.lsm.txn.Txn;

/**
 * Operations on names: lookup, creating every kind of inode, links, unlink, rmdir, rename and
 * listing directories.
 *
 * <p>An operation that acts on the inode a name points at first finds it without locks, then
 * locks every inode involved at once (in order) and checks the name still points there, trying
 * again if not. Locks are never taken while others are held, so two nodes can never wait for each
 * other.
 */
final class NamespaceOps {
    /** Largest number of links to one inode. */
    private static final int LINK_MAX = Integer.MAX_VALUE;
    /** Symbolic link targets are at most PATH_MAX including the terminating NUL. */
    private static final int SYMLINK_MAX = 4095;
    private static final byte[] EMPTY = new byte[0];

    private final FsCore fs;
    private final Lifetimes lifetimes;
    private final Reaper reaper;
    private final ListingAttributes listingAttributes = new ListingAttributes();

    NamespaceOps(FsCore fs, Lifetimes lifetimes, Reaper reaper) {
        this.fs = fs;
        this.lifetimes = lifetimes;
        this.reaper = reaper;
    }

    // ---------------------------------------------------------------- lookup

    Entry lookup(long parent, FileName name) {
        byte[] n = FsCore.nameBytes(name);
        listingAttributes.lookedUp(parent);
        while (true) {
            long guess = guess(parent, n);
            if (name.isDot()) {
                guess = parent;
            } else if (name.isDotDot()) {
                guess = fs.dirs.parent(parent);
            }
            try (InodeLocks.Held l = fs.locks.read(parent, guess)) {
                fs.directory(parent);
                long target;
                if (name.isDot()) {
                    target = parent;
                } else if (name.isDotDot()) {
                    target = fs.dirs.parent(parent);
                } else {
                    DirentItem d = fs.dirs.lookup(parent, n);
                    if (d == null) {
                        return Entry.negative(fs.options.cacheTimeout());
                    }
                    target = d.ino();
                }
                if (target != guess) {
                    continue;
                }
                Inode inode = fs.inodes.read(target);
                lifetimes.lookedUp(target, inode.isDir());
                return fs.entry(inode);
            }
        }
    }

    /** The inode a name points at now, read without locks: a guess to lock and check. */
    private long guess(long dir, byte[] name) {
        DirentItem d = fs.dirs.lookup(dir, name);
        return d == null ? 0 : d.ino();
    }

    // ---------------------------------------------------------------- creating

    /** How a new inode starts: its type and permission bits, and what it needs besides. */
    record NewInode(int mode, long rdev, byte[] symlinkTarget) {
    }

    Entry create(RequestContext ctx, long parent, FileName name, NewInode spec, int umask) {
        byte[] n = FsCore.nameBytes(name);
        int type = spec.mode & Inode.S_IFMT;
        if (spec.symlinkTarget != null && spec.symlinkTarget.length > SYMLINK_MAX) {
            throw new FuseException(Errno.ENAMETOOLONG, "symbolic link target longer than " + SYMLINK_MAX);
        }
        long ino = fs.numbers.next(type == Inode.S_IFDIR);
        Inode inode;
        try (InodeLocks.Held l = fs.locks.write(parent, ino)) {
            Inode dir = fs.directory(parent);
            if (fs.dirs.lookup(parent, n) != null) {
                throw new FuseException(Errno.EEXIST);
            }
            inode = newInode(ctx, dir, ino, spec, umask);
            List<Acls.Entry> defaultAcl = type == Inode.S_IFLNK ? null : defaultAcl(dir);
            Acls.Inherited inherited = null;
            if (defaultAcl != null) {
                inherited = Acls.inherit(defaultAcl, inode.mode & 07777);
                inode.mode = (inode.mode & ~07777) | inherited.mode();
            } else if (fs.options.posixAcl() && type != Inode.S_IFLNK) {
                inode.mode &= ~(umask & 0777);
            }
            long seq = l.writeSeq();
            Timespec now = inode.ctime;
            try (Txn t = fs.store.hold()) {
                if (inode.isDir()) {
                    inode.nlink = 2;
                    dir.nlink++;
                }
                if (spec.symlinkTarget != null) {
                    t.put(Zones.symlinkKey(ino, 0), spec.symlinkTarget, seq);
                    inode.size = spec.symlinkTarget.length;
                }
                if (inherited != null && inherited.access() != null) {
                    fs.xattrs.put(t, inode, Acls.ACCESS, Acls.encode(inherited.access()), seq);
                }
                if (defaultAcl != null && inode.isDir()) {
                    fs.xattrs.put(t, inode, Acls.DEFAULT, Acls.encode(defaultAcl), seq);
                }
                fs.dirs.add(t, dir, n, ino, inode.direntType(), seq);
                dir.touchMtimeCtime(now);
                fs.inodes.write(t, inode, false, seq);
                fs.inodes.write(t, dir, false, seq);
                t.addInodeCount(1);
            }
        }
        lifetimes.lookedUp(ino, inode.isDir());
        return fs.entry(inode);
    }

    /** An unnamed regular file ({@code O_TMPFILE}): an orphan until {@code linkat} names it. */
    Entry createUnnamed(RequestContext ctx, long parent, int mode, int umask) {
        long ino = fs.numbers.next(false);
        Inode inode;
        try (InodeLocks.Held l = fs.locks.write(parent, ino)) {
            Inode dir = fs.directory(parent);
            inode = newInode(ctx, dir, ino, new NewInode(mode, 0, null), umask);
            if (fs.options.posixAcl()) {
                inode.mode &= ~(umask & 0777);
            }
            inode.nlink = 0;
            long seq = l.writeSeq();
            try (Txn t = fs.store.hold()) {
                fs.inodes.write(t, inode, false, seq);
                t.put(Zones.orphanKey(ino), EMPTY, seq);
                t.addInodeCount(1);
            }
        }
        lifetimes.lookedUp(ino, inode.isDir());
        return fs.entry(inode);
    }

    private Inode newInode(RequestContext ctx, Inode dir, long ino, NewInode spec, int umask) {
        int mode = spec.mode;
        int gid = ctx.gid();
        if ((dir.mode & Inode.S_ISGID) != 0) {
            // a setgid directory hands its group to new inodes and its setgid bit to new directories
            gid = dir.gid;
            if ((mode & Inode.S_IFMT) == Inode.S_IFDIR) {
                mode |= Inode.S_ISGID;
            } else if ((mode & Inode.S_ISGID) != 0 && !CallerGroups.isMemberOrRoot(ctx, gid)) {
                mode &= ~Inode.S_ISGID;
            }
        }
        return Inodes.fresh(ino, mode, ctx.uid(), gid, spec.rdev, fs.now());
    }

    private List<Acls.Entry> defaultAcl(Inode dir) {
        if (!fs.options.posixAcl()) {
            return null;
        }
        Xattrs.Stored def = fs.xattrs.find(dir, Acls.DEFAULT);
        return def == null ? null : Acls.decode(def.value());
    }

    // ---------------------------------------------------------------- links

    Entry link(long ino, long newParent, FileName newName) {
        byte[] n = FsCore.nameBytes(newName);
        Inode inode;
        try (InodeLocks.Held l = fs.locks.write(newParent, ino)) {
            Inode dir = fs.directory(newParent);
            inode = fs.inodes.read(ino);
            if (inode.isDir()) {
                throw new FuseException(Errno.EPERM, "hard links to directories are not allowed");
            }
            if (inode.nlink >= LINK_MAX) {
                throw new FuseException(Errno.EMLINK);
            }
            if (fs.dirs.lookup(newParent, n) != null) {
                throw new FuseException(Errno.EEXIST);
            }
            long seq = l.writeSeq();
            Timespec now = fs.now();
            try (Txn t = fs.store.hold()) {
                if (inode.nlink == 0) {
                    t.delete(Zones.orphanKey(ino), seq);
                }
                inode.nlink++;
                inode.touchCtime(now);
                fs.dirs.add(t, dir, n, ino, inode.direntType(), seq);
                dir.touchMtimeCtime(now);
                fs.inodes.write(t, inode, false, seq);
                fs.inodes.write(t, dir, false, seq);
            }
        }
        lifetimes.lookedUp(ino, inode.isDir());
        return fs.entry(inode);
    }

    void unlink(long parent, FileName name, boolean directory) {
        byte[] n = FsCore.nameBytes(name);
        if (directory && name.isDot()) {
            throw new FuseException(Errno.EINVAL);
        }
        while (true) {
            long guess = guess(parent, n);
            if (guess == 0) {
                fs.directory(parent);
                throw new FuseException(Errno.ENOENT);
            }
            try (InodeLocks.Held l = fs.locks.write(parent, guess)) {
                Inode dir = fs.directory(parent);
                DirentItem d = fs.dirs.lookup(parent, n);
                if (d == null) {
                    throw new FuseException(Errno.ENOENT);
                }
                if (d.ino() != guess) {
                    continue;
                }
                Inode victim = fs.inodes.read(d.ino());
                if (directory && !victim.isDir()) {
                    throw new FuseException(Errno.ENOTDIR);
                }
                if (!directory && victim.isDir()) {
                    throw new FuseException(Errno.EISDIR);
                }
                if (directory && !fs.dirs.isEmpty(victim.ino)) {
                    throw new FuseException(Errno.ENOTEMPTY);
                }
                long seq = l.writeSeq();
                Timespec now = fs.now();
                try (Txn t = fs.store.holdForDeletion()) {
                    fs.dirs.remove(t, dir, d, seq);
                    dropLink(t, dir, victim, now, seq);
                    dir.touchMtimeCtime(now);
                    fs.inodes.write(t, dir, false, seq);
                }
                if (victim.nlink == 0 && !lifetimes.markUnlinked(victim.ino)) {
                    reaper.maybeDelete(victim.ino);
                }
                return;
            }
        }
    }

    /** One name of {@code victim} in {@code dir} is gone: count it, orphan the inode at zero. */
    private void dropLink(Txn t, Inode dir, Inode victim, Timespec now, long seq) {
        if (victim.isDir()) {
            victim.nlink = 0;
            dir.nlink--;
        } else {
            victim.nlink--;
        }
        victim.touchCtime(now);
        if (victim.nlink == 0) {
            t.put(Zones.orphanKey(victim.ino), EMPTY, seq);
        }
        fs.inodes.write(t, victim, false, seq);
    }

    // ---------------------------------------------------------------- rename

    void rename(long parent, FileName name, long newParent, FileName newName, Set<RenameFlag> flags) {
        byte[] from = FsCore.nameBytes(name);
        byte[] to = FsCore.nameBytes(newName);
        if (flags.contains(RenameFlag.WHITEOUT)) {
            throw new FuseException(Errno.EINVAL, "whiteouts are not supported");
        }
        boolean exchange = flags.contains(RenameFlag.EXCHANGE);
        boolean noReplace = flags.contains(RenameFlag.NOREPLACE);
        if (exchange && noReplace) {
            throw new FuseException(Errno.EINVAL);
        }
        boolean crossDir = parent != newParent;
        while (true) {
            long srcGuess = guess(parent, from);
            long dstGuess = guess(newParent, to);
            if (srcGuess == 0) {
                fs.directory(parent);
                throw new FuseException(Errno.ENOENT);
            }
            InodeLocks.Held l = crossDir ? fs.locks.writeWithRename(parent, newParent, srcGuess, dstGuess)
                    : fs.locks.write(parent, srcGuess, dstGuess);
            try (l) {
                Inode srcDir = fs.directory(parent);
                Inode dstDir = crossDir ? fs.directory(newParent) : srcDir;
                DirentItem s = fs.dirs.lookup(parent, from);
                DirentItem d = fs.dirs.lookup(newParent, to);
                if (s == null) {
                    throw new FuseException(Errno.ENOENT);
                }
                if (s.ino() != srcGuess || (d == null ? 0 : d.ino()) != dstGuess) {
                    continue;
                }
                renameLocked(l.writeSeq(), srcDir, dstDir, s, d, to, exchange, noReplace);
                return;
            }
        }
    }

    private void renameLocked(long seq, Inode srcDir, Inode dstDir, DirentItem s, DirentItem d, byte[] to,
                              boolean exchange, boolean noReplace) {
        boolean crossDir = srcDir != dstDir;
        if (d != null && noReplace) {
            throw new FuseException(Errno.EEXIST);
        }
        if (d == null && exchange) {
            throw new FuseException(Errno.ENOENT);
        }
        if (d != null && d.ino() == s.ino()) {
            return; // two names of one inode: rename does nothing
        }
        Inode src = fs.inodes.read(s.ino());
        Inode dst = d == null ? null : fs.inodes.read(d.ino());
        if (crossDir && src.isDir() && isSelfOrAncestor(src.ino, dstDir.ino)) {
            throw new FuseException(Errno.EINVAL, "cannot move a directory into itself");
        }
        if (exchange && crossDir && dst.isDir() && isSelfOrAncestor(dst.ino, srcDir.ino)) {
            throw new FuseException(Errno.EINVAL, "cannot move a directory into itself");
        }
        if (dst != null && !exchange) {
            if (src.isDir() && !dst.isDir()) {
                throw new FuseException(Errno.ENOTDIR);
            }
            if (!src.isDir() && dst.isDir()) {
                throw new FuseException(Errno.EISDIR);
            }
            if (dst.isDir() && !fs.dirs.isEmpty(dst.ino)) {
                throw new FuseException(Errno.ENOTEMPTY);
            }
        }
        Timespec now = fs.now();
        // replacing a name frees its target, so it may use the reserve kept for deletions
        try (Txn t = dst != null && !exchange ? fs.store.holdForDeletion() : fs.store.hold()) {
            fs.dirs.remove(t, srcDir, s, seq);
            if (exchange) {
                fs.dirs.remove(t, dstDir, d, seq);
                fs.dirs.add(t, dstDir, to, src.ino, src.direntType(), seq);
                fs.dirs.add(t, srcDir, s.name(), dst.ino, dst.direntType(), seq);
                if (crossDir && src.isDir() != dst.isDir()) {
                    int moved = src.isDir() ? 1 : -1;
                    srcDir.nlink -= moved;
                    dstDir.nlink += moved;
                }
                dst.touchCtime(now);
                fs.inodes.write(t, dst, false, seq);
            } else {
                if (d != null) {
                    fs.dirs.remove(t, dstDir, d, seq);
                    dropLink(t, dstDir, dst, now, seq);
                }
                fs.dirs.add(t, dstDir, to, src.ino, src.direntType(), seq);
                if (crossDir && src.isDir()) {
                    srcDir.nlink--;
                    dstDir.nlink++;
                }
            }
            src.touchCtime(now);
            fs.inodes.write(t, src, false, seq);
            srcDir.touchMtimeCtime(now);
            fs.inodes.write(t, srcDir, false, seq);
            if (crossDir) {
                dstDir.touchMtimeCtime(now);
                fs.inodes.write(t, dstDir, false, seq);
            }
        }
        if (dst != null && !exchange && dst.nlink == 0 && !lifetimes.markUnlinked(dst.ino)) {
            reaper.maybeDelete(dst.ino);
        }
    }

    /** True if directory {@code ancestor} is {@code dir} or one of its parents. */
    private boolean isSelfOrAncestor(long ancestor, long dir) {
        long at = dir;
        for (int depth = 0; depth < 100_000; depth++) {
            if (at == ancestor) {
                return true;
            }
            if (at == Zones.ROOT_INO) {
                return false;
            }
            at = fs.dirs.parent(at);
        }
        throw new FuseException(Errno.ELOOP, "directory tree deeper than expected above " + dir);
    }

    // ---------------------------------------------------------------- symlinks

    byte[] readlink(long ino) {
        try (InodeLocks.Held l = fs.locks.read(ino)) {
            Inode inode = fs.inodes.read(ino);
            if (!inode.isSymlink()) {
                throw new FuseException(Errno.EINVAL);
            }
            byte[] target = fs.store.get(Zones.symlinkKey(ino, 0));
            if (target == null) {
                throw new org.scoutfs.lsm.CorruptionException("symbolic link " + ino + " has no target item");
            }
            return target;
        }
    }

    // ---------------------------------------------------------------- readdir

    /** Cookies: "." ends at 1, ".." at 2, the entry at position p at p + 1. */
    void readdir(long ino, long offset, DirectoryBuffer out) {
        long parent;
        try (InodeLocks.Held l = fs.locks.read(ino)) {
            fs.directory(ino);
            parent = fs.dirs.parent(ino);
        }
        if (offset < 1 && !out.add(FileName.DOT, ino, Inode.S_IFDIR, 1)) {
            return;
        }
        if (offset < 2 && !out.add(FileName.DOT_DOT, parent, Inode.S_IFDIR, 2)) {
            return;
        }
        long pos = Math.max(offset, Zones.FIRST_READDIR_POS);
        while (true) {
            List<DirentItem> batch;
            try (InodeLocks.Held l = fs.locks.read(ino)) {
                batch = fs.dirs.list(ino, pos, 128);
            }
            for (DirentItem d : batch) {
                if (!out.add(FileName.of(d.name()), d.ino(), d.type() << 12, d.pos() + 1)) {
                    return;
                }
                pos = d.pos() + 1;
            }
            if (batch.size() < 128) {
                return;
            }
        }
    }

    void readdirplus(long ino, long offset, DirectoryPlusBuffer out) {
        long parent;
        try (InodeLocks.Held l = fs.locks.read(ino)) {
            fs.directory(ino);
            parent = fs.dirs.parent(ino);
        }
        if (offset < 1 && !out.addWithoutEntry(FileName.DOT, ino, Inode.S_IFDIR, 1)) {
            return;
        }
        if (offset < 2 && !out.addWithoutEntry(FileName.DOT_DOT, parent, Inode.S_IFDIR, 2)) {
            return;
        }
        boolean attributes = listingAttributes.wanted(ino, offset);
        long pos = Math.max(offset, Zones.FIRST_READDIR_POS);
        while (true) {
            List<DirentItem> batch;
            try (InodeLocks.Held l = fs.locks.read(ino)) {
                batch = fs.dirs.list(ino, pos, 64);
            }
            Inode[] inodes = attributes ? readAll(batch) : new Inode[batch.size()];
            for (int i = 0; i < batch.size(); i++) {
                DirentItem d = batch.get(i);
                FileName name = FileName.of(d.name());
                if (!out.fits(name)) {
                    return;
                }
                Inode inode = inodes[i];
                boolean added = inode == null
                        ? out.addWithoutEntry(name, d.ino(), d.type() << 12, d.pos() + 1)
                        : out.add(name, fs.entry(inode), d.pos() + 1);
                if (!added) {
                    return;
                }
                if (inode != null) {
                    lifetimes.lookedUp(d.ino(), inode.isDir());
                }
                pos = d.pos() + 1;
            }
            if (batch.size() < 64) {
                return;
            }
        }
    }

    /**
     * The inodes a batch of entries names (null for one being deleted), read under one set of
     * locks: the entries of a directory mostly share a few inode groups, so a batch takes a few
     * locks once instead of one lock round per entry.
     */
    private Inode[] readAll(List<DirentItem> batch) {
        long[] inos = new long[batch.size()];
        for (int i = 0; i < inos.length; i++) {
            inos[i] = batch.get(i).ino();
        }
        Inode[] inodes = new Inode[inos.length];
        if (inos.length == 0) {
            return inodes;
        }
        try (InodeLocks.Held l = fs.locks.read(inos)) {
            for (int i = 0; i < inos.length; i++) {
                inodes[i] = fs.inodes.readOrNull(inos[i]);
            }
        }
        return inodes;
    }
}
