package org.scoutfs.fuse;

import java.time.Instant;
import java.util.Objects;

/**
 * The attributes of one inode as the kernel caches them ({@code struct fuse_attr}).
 *
 * @param ino inode number; equal to the node id the kernel uses for this inode
 * @param size file size in bytes
 * @param blocks allocated space in 512-byte units, as {@code st_blocks}
 * @param atime last access time, nanosecond precision
 * @param mtime last data modification time
 * @param ctime last status change time
 * @param mode file type and permission bits ({@link FileMode})
 * @param nlink number of hard links
 * @param uid owner user id
 * @param gid owner group id
 * @param rdev device number for character and block special files, else 0
 * @param blksize preferred I/O size; 0 lets the kernel choose
 */
public record FileAttributes(
        long ino,
        long size,
        long blocks,
        Instant atime,
        Instant mtime,
        Instant ctime,
        int mode,
        int nlink,
        int uid,
        int gid,
        int rdev,
        int blksize) {

    public FileAttributes {
        Objects.requireNonNull(atime, "atime");
        Objects.requireNonNull(mtime, "mtime");
        Objects.requireNonNull(ctime, "ctime");
        if (size < 0 || blocks < 0) {
            throw new IllegalArgumentException("size and blocks cannot be negative");
        }
    }

    /** A builder starting from all-zero attributes and the epoch for every time. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these attributes, for a copy with a few fields changed. */
    public Builder toBuilder() {
        return new Builder()
                .ino(ino).size(size).blocks(blocks)
                .atime(atime).mtime(mtime).ctime(ctime)
                .mode(mode).nlink(nlink).uid(uid).gid(gid).rdev(rdev).blksize(blksize);
    }

    /** Mutable builder; the record has too many same-typed components to construct safely by position. */
    public static final class Builder {
        private long ino;
        private long size;
        private long blocks;
        private Instant atime = Instant.EPOCH;
        private Instant mtime = Instant.EPOCH;
        private Instant ctime = Instant.EPOCH;
        private int mode;
        private int nlink;
        private int uid;
        private int gid;
        private int rdev;
        private int blksize;

        private Builder() {
        }

        public Builder ino(long value) {
            ino = value;
            return this;
        }

        public Builder size(long value) {
            size = value;
            return this;
        }

        public Builder blocks(long value) {
            blocks = value;
            return this;
        }

        public Builder atime(Instant value) {
            atime = value;
            return this;
        }

        public Builder mtime(Instant value) {
            mtime = value;
            return this;
        }

        public Builder ctime(Instant value) {
            ctime = value;
            return this;
        }

        /** Sets atime, mtime and ctime to the same instant. */
        public Builder times(Instant value) {
            return atime(value).mtime(value).ctime(value);
        }

        public Builder mode(int value) {
            mode = value;
            return this;
        }

        public Builder nlink(int value) {
            nlink = value;
            return this;
        }

        public Builder uid(int value) {
            uid = value;
            return this;
        }

        public Builder gid(int value) {
            gid = value;
            return this;
        }

        public Builder rdev(int value) {
            rdev = value;
            return this;
        }

        public Builder blksize(int value) {
            blksize = value;
            return this;
        }

        public FileAttributes build() {
            return new FileAttributes(ino, size, blocks, atime, mtime, ctime, mode, nlink, uid, gid, rdev, blksize);
        }
    }
}
