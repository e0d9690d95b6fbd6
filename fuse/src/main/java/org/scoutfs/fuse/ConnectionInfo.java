package org.scoutfs.fuse;

/**
 * What the INIT handshake settled between the kernel and this session.
 *
 * @param kernelMajor protocol major version of the kernel (always 7 so far)
 * @param kernelMinor protocol minor version the kernel speaks
 * @param protocolMinor the minor version both sides use: the smaller of the kernel's and ours
 * @param kernelFlags the {@code FUSE_*} capability bits the kernel offered (flags2 in the high word)
 * @param grantedFlags the bits this session asked for and the kernel offered
 * @param maxWrite largest WRITE payload the kernel will send, in bytes
 * @param maxReadahead largest readahead the kernel may do, in bytes
 * @param maxPages pages per request (bounds READ and WRITE sizes)
 * @param maxBackground background requests (readahead, writeback) the kernel keeps in flight
 * @param congestionThreshold background requests at which the kernel reports congestion
 * @param writebackCache the kernel caches writes and sends them later ({@link WriteFlags#cacheWrite})
 * @param posixAcl the kernel enforces POSIX ACLs stored in {@code system.posix_acl_*} xattrs
 * @param readdirplus the kernel may send READDIRPLUS
 * @param extendedSetxattr setxattr carries the extended flags word ({@link SetxattrFlags#clearSgidForAcl})
 * @param expireOnly the kernel supports {@link FuseNotifier#expireEntry}
 */
public record ConnectionInfo(
        int kernelMajor,
        int kernelMinor,
        int protocolMinor,
        long kernelFlags,
        long grantedFlags,
        int maxWrite,
        int maxReadahead,
        int maxPages,
        int maxBackground,
        int congestionThreshold,
        boolean writebackCache,
        boolean posixAcl,
        boolean readdirplus,
        boolean extendedSetxattr,
        boolean expireOnly) {

    @Override
    public String toString() {
        return "ConnectionInfo[kernel " + kernelMajor + "." + kernelMinor
                + ", protocol 7." + protocolMinor
                + ", kernelFlags=0x" + Long.toHexString(kernelFlags)
                + ", grantedFlags=0x" + Long.toHexString(grantedFlags)
                + ", maxWrite=" + maxWrite
                + ", maxReadahead=" + maxReadahead
                + ", maxPages=" + maxPages
                + ", maxBackground=" + maxBackground
                + ", writebackCache=" + writebackCache
                + ", posixAcl=" + posixAcl
                + ", readdirplus=" + readdirplus + "]";
    }
}
