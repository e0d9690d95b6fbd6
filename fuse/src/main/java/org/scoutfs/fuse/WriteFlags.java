package org.scoutfs.fuse;

/**
 * How a write request came about ({@code fuse_write_in.write_flags} and {@code flags}).
 *
 * @param cacheWrite the write comes from the kernel's page cache (writeback of dirty pages)
 *     rather than directly from a {@code write(2)} call; with writeback caching the file
 *     handle is then only a guess, any open handle of the inode, possibly a read-only one
 * @param killSuidGid the filesystem must clear set-user-id and set-group-id bits as part of
 *     this write (only sent when {@link MountOptions.Builder#handleKillPrivV2} is on)
 * @param openFlags the flags of the open file the write came through, as in
 *     {@link OpenFlags#flags()}
 */
public record WriteFlags(boolean cacheWrite, boolean killSuidGid, int openFlags) {
}
