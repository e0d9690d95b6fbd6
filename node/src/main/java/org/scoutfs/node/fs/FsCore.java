package org.scoutfs.node.fs;

import java.time.Clock;
import java.time.Instant;

import org.scoutfs.fuse.AttrReply;
import org.scoutfs.fuse.Entry;
import org.scoutfs.fuse.Errno;
import org.scoutfs.fuse.FileName;
import org.scoutfs.fuse.FuseException;
import org.scoutfs.lsm.format.InodeItem.Timespec;
import org.scoutfs.lsm.txn.NodeStore;

/** The parts every filesystem operation uses, and the small helpers they share. */
final class FsCore {
    final NodeStore store;
    final InodeLocks locks;
    final Inodes inodes;
    final Directories dirs;
    final Xattrs xattrs;
    final FileData data;
    final InodeNumbers numbers;
    final FsOptions options;
    final Clock clock;
    final InodeUse elsewhere;

    FsCore(NodeStore store, InodeLocks locks, FileData data, InodeNumbers numbers, FsOptions options, Clock clock,
           InodeUse elsewhere) {
        this.store = store;
        this.locks = locks;
        this.inodes = new Inodes(store);
        this.dirs = new Directories(store);
        this.xattrs = new Xattrs(store);
        this.data = data;
        this.numbers = numbers;
        this.options = options;
        this.clock = clock;
        this.elsewhere = elsewhere;
    }

    Timespec now() {
        Instant i = clock.instant();
        return new Timespec(i.getEpochSecond(), i.getNano());
    }

    Entry entry(Inode inode) {
        return Entry.of(inode.attributes(), inode.generation, options.cacheTimeout());
    }

    AttrReply attr(Inode inode) {
        return new AttrReply(inode.attributes(), options.cacheTimeout());
    }

    static byte[] nameBytes(FileName name) {
        if (name.length() > org.scoutfs.lsm.format.DirentItem.MAX_NAME) {
            throw new FuseException(Errno.ENAMETOOLONG);
        }
        return name.toByteArray();
    }

    /** The directory {@code ino}, which must exist, be a directory and not be deleted. */
    Inode directory(long ino) {
        Inode dir = inodes.read(ino);
        if (!dir.isDir()) {
            throw new FuseException(Errno.ENOTDIR);
        }
        if (dir.nlink == 0) {
            throw new FuseException(Errno.ENOENT, "directory " + ino + " was removed");
        }
        return dir;
    }
}
