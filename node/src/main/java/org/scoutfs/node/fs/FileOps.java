package org.scoutfs.node.fs;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.scoutfs.fuse.AttrReply;
import org.scoutfs.fuse.Errno;
import org.scoutfs.fuse.FsStats;
import org.scoutfs.fuse.FuseException;
import org.scoutfs.fuse.RequestContext;
import org.scoutfs.fuse.SetAttrChanges;
import org.scoutfs.fuse.SetxattrFlags;
import org.scoutfs.fuse.Whence;
import org.scoutfs.lsm.NoSpaceException;
import org.scoutfs.lsm.format.Format;
import org.scoutfs.lsm.format.InodeItem.Timespec;
import org.scoutfs.lsm.server.ServerApi;
import org.scoutfs.lsm.txn.Txn;

/** Operations on one inode: attributes, contents, extended attributes, durability, capacity. */
final class FileOps {
    private static final int FALLOC_FL_KEEP_SIZE = 0x01;
    private static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    /** Rough metadata an inode takes, to estimate how many more inodes fit. */
    private static final long META_BYTES_PER_INODE = 1024;

    private final FsCore fs;

    FileOps(FsCore fs) {
        this.fs = fs;
    }

    AttrReply getattr(long ino) {
        try (InodeLocks.Held l = fs.locks.read(ino)) {
            return fs.attr(fs.inodes.read(ino));
        }
    }

    /**
     * A caller without CAP_FSETID wrote to or truncated the file: setuid goes, and setgid goes if
     * the group may execute it or the caller is not in the file's group, as on local filesystems.
     */
    private static void killPrivileges(RequestContext ctx, Inode inode) {
        if (!inode.isRegular()) {
            return;
        }
        inode.mode &= ~Inode.S_ISUID;
        if ((inode.mode & Inode.S_ISGID) != 0 && ((inode.mode & 0010) != 0 || !CallerGroups.isMember(ctx, inode.gid))) {
            inode.mode &= ~Inode.S_ISGID;
        }
    }

    /**
     * A chown of a file drops setuid, and setgid when the group may execute it or the caller is
     * outside the new group; the kernel leaves this to filesystems that handle privileges.
     */
    private static void dropPrivilegesOnChown(RequestContext ctx, Inode inode) {
        if (inode.isDir()) {
            return;
        }
        inode.mode &= ~Inode.S_ISUID;
        if ((inode.mode & Inode.S_ISGID) != 0
                && ((inode.mode & 0010) != 0 || !CallerGroups.isMemberOrRoot(ctx, inode.gid))) {
            inode.mode &= ~Inode.S_ISGID;
        }
    }

    /** Truncating down frees space, so it may use the metadata reserve kept for deletions. */
    private static boolean shrinks(Inode inode, SetAttrChanges c) {
        return c.size().isPresent() && c.size().getAsLong() < inode.size;
    }

    AttrReply setattr(RequestContext ctx, long ino, SetAttrChanges c) {
        try (InodeLocks.Held l = fs.locks.write(ino)) {
            Inode inode = fs.inodes.read(ino);
            long seq = l.writeSeq();
            Timespec now = fs.now();
            boolean dataChanged = false;
            try (Txn t = shrinks(inode, c) ? fs.store.holdForDeletion() : fs.store.hold()) {
                if (c.size().isPresent()) {
                    long size = c.size().getAsLong();
                    if (inode.isDir()) {
                        throw new FuseException(Errno.EISDIR);
                    }
                    if (!inode.isRegular()) {
                        throw new FuseException(Errno.EINVAL);
                    }
                    if (size != inode.size) {
                        fs.data.truncate(t, inode, size, seq);
                        dataChanged = true;
                        if (c.mtime().isEmpty() && !c.mtimeIsNow()) {
                            inode.mtime = now;
                        }
                    }
                }
                // chown(file, -1, -1) arrives as a change of ctime alone (or of nothing, without the
                // writeback cache); it clears the bits too
                boolean chownWithoutIds = c.uid().isEmpty() && c.gid().isEmpty()
                        && c.mode().isEmpty() && c.size().isEmpty() && c.atime().isEmpty() && c.mtime().isEmpty()
                        && !c.atimeIsNow() && !c.mtimeIsNow();
                if (c.uid().isPresent() || c.gid().isPresent() || chownWithoutIds) {
                    c.uid().ifPresent(uid -> inode.uid = uid);
                    c.gid().ifPresent(gid -> inode.gid = gid);
                    dropPrivilegesOnChown(ctx, inode);
                }
                if (c.mode().isPresent()) {
                    inode.mode = (inode.mode & Inode.S_IFMT) | (c.mode().getAsInt() & 07777);
                    chmodAcl(t, inode, seq);
                }
                if (c.killSuidGid()) {
                    killPrivileges(ctx, inode);
                }
                if (c.atimeIsNow()) {
                    inode.atime = now;
                } else {
                    c.atime().ifPresent(a -> inode.atime = Inode.timespec(a));
                }
                if (c.mtimeIsNow()) {
                    inode.mtime = now;
                } else {
                    c.mtime().ifPresent(m -> inode.mtime = Inode.timespec(m));
                }
                inode.ctime = c.ctime().map(Inode::timespec).orElse(now);
                fs.inodes.write(t, inode, dataChanged, seq);
            }
            return fs.attr(inode);
        }
    }

    /** After a chmod, an access ACL's owner, mask and other entries follow the new mode. */
    private void chmodAcl(Txn t, Inode inode, long seq) {
        if (!fs.options.posixAcl()) {
            return;
        }
        Xattrs.Stored acl = fs.xattrs.find(inode, Acls.ACCESS);
        if (acl != null) {
            fs.xattrs.remove(t, inode.ino, acl, seq);
            fs.xattrs.put(t, inode, Acls.ACCESS, Acls.encode(Acls.chmod(Acls.decode(acl.value()), inode.mode)), seq);
        }
    }

    /** At open: truncates for {@code O_TRUNC}, and clears setuid/setgid when the kernel asks. */
    void prepareOpen(RequestContext ctx, long ino, boolean truncate, boolean dropSetIds) {
        try (InodeLocks.Held l = fs.locks.write(ino)) {
            Inode inode = fs.inodes.read(ino);
            if (!inode.isRegular()) {
                return;
            }
            boolean shrink = truncate && inode.size > 0;
            int modeBefore = inode.mode;
            if (dropSetIds) {
                killPrivileges(ctx, inode);
            }
            if (!shrink && inode.mode == modeBefore) {
                return;
            }
            long seq = l.writeSeq();
            Timespec now = fs.now();
            try (Txn t = shrink ? fs.store.holdForDeletion() : fs.store.hold()) {
                if (shrink) {
                    fs.data.truncate(t, inode, 0, seq);
                    inode.touchMtimeCtime(now);
                } else {
                    inode.touchCtime(now);
                }
                fs.inodes.write(t, inode, shrink, seq);
            }
        }
    }

    void read(long ino, long offset, ByteBuffer dst) {
        try (InodeLocks.Held l = fs.locks.read(ino)) {
            Inode inode = fs.inodes.read(ino);
            if (inode.isDir()) {
                throw new FuseException(Errno.EISDIR);
            }
            fs.data.read(inode, offset, dst);
        }
    }

    /** @param append write at the end of the file as it is now, whatever {@code offset} says */
    int write(RequestContext ctx, long ino, long offset, ByteBuffer data, boolean dropSetIds, boolean append) {
        if (offset < 0 || offset + data.remaining() < 0) {
            throw new FuseException(Errno.EFBIG);
        }
        try (InodeLocks.Held l = fs.locks.write(ino)) {
            Inode inode = fs.inodes.read(ino);
            if (!inode.isRegular()) {
                throw new FuseException(inode.isDir() ? Errno.EISDIR : Errno.EINVAL);
            }
            if (append) {
                offset = inode.size;
                if (offset + data.remaining() < 0) {
                    throw new FuseException(Errno.EFBIG);
                }
            }
            long seq = l.writeSeq();
            if (dropSetIds) {
                killPrivileges(ctx, inode);
            }
            try (Txn t = fs.store.hold()) {
                long done = writeWhatFits(t, inode, offset, data, seq);
                inode.touchMtimeCtime(fs.now());
                fs.inodes.write(t, inode, true, seq);
                return (int) done;
            }
        }
    }

    /** Writes as much as the space allows: a short write when the volume fills up, ENOSPC if nothing fits. */
    private long writeWhatFits(Txn t, Inode inode, long offset, ByteBuffer data, long seq) {
        int len = data.remaining();
        int chunk = len;
        long written = 0;
        while (written < len) {
            ByteBuffer part = data.slice(data.position() + (int) written, (int) Math.min(chunk, len - written));
            try {
                fs.data.write(t, inode, offset + written, part, seq);
                written += part.capacity();
            } catch (NoSpaceException e) {
                if (chunk > Format.DATA_BLOCK_SIZE) {
                    chunk = Math.max(Format.DATA_BLOCK_SIZE, chunk / 4);
                    continue;
                }
                if (written == 0) {
                    throw new FuseException(Errno.ENOSPC, e.getMessage(), e);
                }
                break;
            }
        }
        return written;
    }

    void fsync() {
        fs.data.device().force();
        fs.store.sync();
    }

    void fallocate(long ino, long offset, long length, int mode) {
        if (offset < 0 || length <= 0) {
            throw new FuseException(Errno.EINVAL);
        }
        boolean keepSize = (mode & FALLOC_FL_KEEP_SIZE) != 0;
        boolean punch = (mode & FALLOC_FL_PUNCH_HOLE) != 0;
        if ((mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE)) != 0 || (punch && !keepSize)) {
            throw new FuseException(Errno.EOPNOTSUPP, "fallocate mode 0x" + Integer.toHexString(mode) + " is not supported");
        }
        try (InodeLocks.Held l = fs.locks.write(ino)) {
            Inode inode = fs.inodes.read(ino);
            if (!inode.isRegular()) {
                throw new FuseException(inode.isDir() ? Errno.EISDIR : Errno.ENODEV);
            }
            long seq = l.writeSeq();
            try (Txn t = punch ? fs.store.holdForDeletion() : fs.store.hold()) {
                if (punch) {
                    fs.data.punch(t, inode, offset, length, seq);
                    inode.touchMtimeCtime(fs.now());
                } else {
                    try {
                        fs.data.preallocate(t, inode, offset, length, seq);
                    } catch (NoSpaceException e) {
                        throw new FuseException(Errno.ENOSPC, e.getMessage(), e);
                    }
                    if (!keepSize && offset + length > inode.size) {
                        inode.size = offset + length;
                        inode.touchMtimeCtime(fs.now());
                    } else {
                        inode.touchCtime(fs.now());
                    }
                }
                fs.inodes.write(t, inode, true, seq);
            }
        }
    }

    long lseek(long ino, long offset, Whence whence) {
        try (InodeLocks.Held l = fs.locks.read(ino)) {
            Inode inode = fs.inodes.read(ino);
            return whence == Whence.SEEK_DATA ? fs.data.seekData(inode, offset) : fs.data.seekHole(inode, offset);
        }
    }

    /**
     * Capacity: data blocks as they are, and inodes as the metadata space could hold at about
     * {@value #META_BYTES_PER_INODE} bytes each, of which the volume's inode count is used.
     */
    FsStats statfs() {
        ServerApi.Usage u = fs.store.usage();
        long files = u.totalMetaBlocks() * (Format.META_BLOCK_SIZE / META_BYTES_PER_INODE);
        long freeFiles = Math.max(0, files - u.inodeCount());
        return new FsStats(u.totalDataBlocks(), u.freeDataBlocks(), u.freeDataBlocks(), files, freeFiles,
                Format.DATA_BLOCK_SIZE, 255, Format.DATA_BLOCK_SIZE);
    }

    // ---------------------------------------------------------------- extended attributes

    private static final List<String> NAMESPACES = List.of("user.", "trusted.", "security.");

    private static void checkName(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length > Xattrs.MAX_NAME) {
            throw new FuseException(Errno.ERANGE);
        }
        if (NAMESPACES.contains(name)) {
            throw new FuseException(Errno.EINVAL, "extended attribute name without a name after its namespace");
        }
        boolean known = name.startsWith("user.") || name.startsWith("trusted.") || name.startsWith("security.")
                || name.equals(Acls.ACCESS) || name.equals(Acls.DEFAULT);
        if (!known) {
            throw new FuseException(Errno.EOPNOTSUPP, "extended attribute namespace of " + name + " is not supported");
        }
    }

    void setxattr(long ino, String name, byte[] value, SetxattrFlags flags) {
        checkName(name);
        if (value.length > Xattrs.MAX_VALUE) {
            throw new FuseException(Errno.E2BIG);
        }
        boolean acl = name.equals(Acls.ACCESS) || name.equals(Acls.DEFAULT);
        if (acl && !fs.options.posixAcl()) {
            throw new FuseException(Errno.EOPNOTSUPP);
        }
        try (InodeLocks.Held l = fs.locks.write(ino)) {
            Inode inode = fs.inodes.read(ino);
            Xattrs.Stored old = fs.xattrs.find(inode, name);
            if (flags.create() && old != null) {
                throw new FuseException(Errno.EEXIST);
            }
            if (flags.replace() && old == null) {
                throw new FuseException(Errno.ENODATA);
            }
            byte[] stored = value;
            if (name.equals(Acls.ACCESS)) {
                List<Acls.Entry> entries = Acls.decode(value);
                inode.mode = (inode.mode & ~0777) | Acls.permissionBits(entries);
                if (flags.clearSgidForAcl()) {
                    inode.mode &= ~Inode.S_ISGID;
                }
                stored = Acls.equivalentToMode(entries) ? null : value;
            } else if (name.equals(Acls.DEFAULT)) {
                if (!inode.isDir()) {
                    throw new FuseException(Errno.EACCES);
                }
                Acls.decode(value);
            }
            long seq = l.writeSeq();
            try (Txn t = fs.store.hold()) {
                if (old != null) {
                    fs.xattrs.remove(t, ino, old, seq);
                }
                if (stored != null) {
                    fs.xattrs.put(t, inode, name, stored, seq);
                }
                inode.touchCtime(fs.now());
                fs.inodes.write(t, inode, false, seq);
            }
        }
    }

    byte[] getxattr(long ino, String name) {
        try (InodeLocks.Held l = fs.locks.read(ino)) {
            Xattrs.Stored x = fs.xattrs.find(fs.inodes.read(ino), name);
            if (x == null) {
                throw new FuseException(Errno.ENODATA);
            }
            return x.value();
        }
    }

    /** Names of the inode's attributes; trusted ones only for root, as local filesystems do. */
    List<String> listxattr(long ino, boolean privileged) {
        try (InodeLocks.Held l = fs.locks.read(ino)) {
            Inode inode = fs.inodes.read(ino);
            List<String> names = new ArrayList<>();
            for (Xattrs.Stored x : fs.xattrs.all(inode)) {
                String name = new String(x.name(), StandardCharsets.UTF_8);
                if (privileged || !name.startsWith("trusted.")) {
                    names.add(name);
                }
            }
            return names;
        }
    }

    void removexattr(long ino, String name) {
        try (InodeLocks.Held l = fs.locks.write(ino)) {
            Inode inode = fs.inodes.read(ino);
            Xattrs.Stored x = fs.xattrs.find(inode, name);
            if (x == null) {
                throw new FuseException(Errno.ENODATA);
            }
            long seq = l.writeSeq();
            try (Txn t = fs.store.holdForDeletion()) {
                fs.xattrs.remove(t, ino, x, seq);
                inode.touchCtime(fs.now());
                fs.inodes.write(t, inode, false, seq);
            }
        }
    }
}
