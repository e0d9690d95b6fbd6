package org.scoutfs.node.fs;

import java.time.Instant;

import org.scoutfs.fuse.FileAttributes;
import org.scoutfs.lsm.format.Format;
import org.scoutfs.lsm.format.InodeItem;
import org.scoutfs.lsm.format.InodeItem.Timespec;

/**
 * A mutable copy of an inode item, owned by one operation while it holds the inode's locks.
 * {@link Inodes#write} moves its index entries from the sequences it was read with.
 */
final class Inode {
    static final int S_IFMT = 0170000;
    static final int S_IFREG = 0100000;
    static final int S_IFDIR = 0040000;
    static final int S_IFLNK = 0120000;
    static final int S_ISUID = 04000;
    static final int S_ISGID = 02000;
    static final int S_ISVTX = 01000;

    final long ino;
    long size;
    long metaSeq;
    long dataSeq;
    long dataVersion;
    long onlineBlocks;
    long offlineBlocks;
    long nextReaddirPos;
    long nextXattrId;
    int nlink;
    int uid;
    int gid;
    int mode;
    long rdev;
    int flags;
    Timespec atime;
    Timespec ctime;
    Timespec mtime;
    Timespec crtime;
    long proj;
    long generation;
    /** Not yet written: it has no index entries to move. */
    boolean isNew;

    Inode(long ino, InodeItem item, boolean isNew) {
        this.ino = ino;
        size = item.size();
        metaSeq = item.metaSeq();
        dataSeq = item.dataSeq();
        dataVersion = item.dataVersion();
        onlineBlocks = item.onlineBlocks();
        offlineBlocks = item.offlineBlocks();
        nextReaddirPos = item.nextReaddirPos();
        nextXattrId = item.nextXattrId();
        nlink = item.nlink();
        uid = item.uid();
        gid = item.gid();
        mode = item.mode();
        rdev = item.rdev();
        flags = item.flags();
        atime = item.atime();
        ctime = item.ctime();
        mtime = item.mtime();
        crtime = item.crtime();
        proj = item.proj();
        generation = item.generation();
        this.isNew = isNew;
    }

    InodeItem toItem() {
        return new InodeItem(size, metaSeq, dataSeq, dataVersion, onlineBlocks, offlineBlocks, nextReaddirPos,
                nextXattrId, nlink, uid, gid, mode, rdev, flags, atime, ctime, mtime, crtime, proj, generation);
    }

    int type() {
        return mode & S_IFMT;
    }

    boolean isDir() {
        return type() == S_IFDIR;
    }

    boolean isRegular() {
        return type() == S_IFREG;
    }

    boolean isSymlink() {
        return type() == S_IFLNK;
    }

    /** The directory entry type ({@code d_type}) of this inode. */
    int direntType() {
        return type() >>> 12;
    }

    void touchCtime(Timespec now) {
        ctime = now;
    }

    void touchMtimeCtime(Timespec now) {
        mtime = now;
        ctime = now;
    }

    FileAttributes attributes() {
        return FileAttributes.builder().ino(ino).size(size).blocks(onlineBlocks * (Format.DATA_BLOCK_SIZE / 512))
                .atime(instant(atime)).mtime(instant(mtime)).ctime(instant(ctime)).mode(mode).nlink(nlink).uid(uid)
                .gid(gid).rdev((int) rdev).blksize(Format.DATA_BLOCK_SIZE).build();
    }

    static Instant instant(Timespec t) {
        return Instant.ofEpochSecond(t.sec(), t.nsec());
    }

    static Timespec timespec(Instant i) {
        return new Timespec(i.getEpochSecond(), i.getNano());
    }
}
