package org.scoutfs.fuse;

/**
 * Filesystem-wide capacity figures for {@code statfs(2)} ({@code struct fuse_kstatfs}).
 *
 * @param blocks total data blocks, in units of {@code fragmentSize}
 * @param freeBlocks free blocks
 * @param availableBlocks free blocks available to unprivileged users
 * @param files total inodes
 * @param freeFiles free inodes
 * @param blockSize preferred I/O block size ({@code f_bsize})
 * @param maxNameLength longest supported name in bytes ({@code f_namemax})
 * @param fragmentSize unit of the block counts ({@code f_frsize})
 */
public record FsStats(
        long blocks,
        long freeBlocks,
        long availableBlocks,
        long files,
        long freeFiles,
        int blockSize,
        int maxNameLength,
        int fragmentSize) {
}
