package org.scoutfs.fuse.internal.session;

import org.scoutfs.fuse.ConnectionInfo;
import org.scoutfs.fuse.MountOptions;
import org.scoutfs.fuse.internal.protocol.KernelAbi;
import org.scoutfs.fuse.internal.protocol.KernelAbi.InitFlag;
import org.scoutfs.fuse.internal.protocol.KernelAbi.InitOut;
import org.scoutfs.fuse.internal.protocol.KernelCodec.InitReply;
import org.scoutfs.fuse.internal.protocol.KernelCodec.InitRequest;

/**
 * Decides the INIT reply: which capabilities to take from what the kernel offers, and the
 * limits that govern request sizes.
 *
 * <p>Policy. Always: big writes with max_pages (1 MiB WRITE requests), atomic O_TRUNC (the
 * filesystem truncates inside open, saving a setattr) and extended setxattr (the codec decodes
 * it). By mount option: async reads, parallel dirops, readdirplus (auto or always), export
 * support, symlink caching, automatic or explicit data invalidation, writeback cache, POSIX
 * ACLs and kill-privilege handling. Never: POSIX and flock locks (the kernel then handles locks
 * locally, per node), splice (the session copies through Java anyway), passthrough, DAX,
 * io_uring, and the no-open/no-opendir shortcuts (a clustered filesystem wants to see opens).
 */
final class InitNegotiator {
    /** Pages per request when the kernel does not support max_pages. */
    private static final int LEGACY_MAX_PAGES = 32;

    private InitNegotiator() {
    }

    /** The agreed reply and the connection parameters it implies. */
    record Outcome(InitReply reply, int replySize, ConnectionInfo connection) {
    }

    static Outcome negotiate(InitRequest kernel, MountOptions options) {
        long wanted = wantedFlags(options);
        long granted = wanted & kernel.flags();
        int minor = Math.min(kernel.minor(), KernelAbi.MINOR);
        int maxPages = Math.max(1, ceilDiv(options.maxWrite(), KernelAbi.PAGE_SIZE));
        boolean hasMaxPages = (granted & InitFlag.MAX_PAGES) != 0;
        int maxWrite = hasMaxPages ? options.maxWrite()
                : Math.min(options.maxWrite(), LEGACY_MAX_PAGES * KernelAbi.PAGE_SIZE);
        int maxReadahead = Math.min(kernel.maxReadahead(), options.maxReadahead());
        InitReply reply = new InitReply(KernelAbi.MINOR, maxReadahead, granted, options.maxBackground(),
                options.congestionThreshold(), maxWrite, 1, hasMaxPages ? maxPages : 0);
        ConnectionInfo connection = new ConnectionInfo(
                kernel.major(), kernel.minor(), minor, kernel.flags(), granted,
                maxWrite, maxReadahead, hasMaxPages ? maxPages : LEGACY_MAX_PAGES,
                options.maxBackground(), options.congestionThreshold(),
                (granted & InitFlag.WRITEBACK_CACHE) != 0,
                (granted & InitFlag.POSIX_ACL) != 0,
                (granted & InitFlag.DO_READDIRPLUS) != 0,
                (granted & InitFlag.SETXATTR_EXT) != 0,
                (kernel.flags() & InitFlag.HAS_EXPIRE_ONLY) != 0);
        return new Outcome(reply, replySize(kernel.minor()), connection);
    }

    static long wantedFlags(MountOptions options) {
        long flags = InitFlag.BIG_WRITES | InitFlag.MAX_PAGES | InitFlag.ATOMIC_O_TRUNC | InitFlag.SETXATTR_EXT;
        flags |= when(options.asyncRead(), InitFlag.ASYNC_READ);
        flags |= when(options.parallelDirops(), InitFlag.PARALLEL_DIROPS);
        flags |= when(options.exportSupport(), InitFlag.EXPORT_SUPPORT);
        flags |= when(options.cacheSymlinks(), InitFlag.CACHE_SYMLINKS);
        flags |= options.autoInvalidateData() ? InitFlag.AUTO_INVAL_DATA : InitFlag.EXPLICIT_INVAL_DATA;
        flags |= when(options.writebackCache(), InitFlag.WRITEBACK_CACHE);
        // with ACLs the filesystem applies the umask itself, after inheriting a default ACL
        flags |= when(options.posixAcl(), InitFlag.POSIX_ACL | InitFlag.DONT_MASK);
        flags |= when(options.handleKillPrivV2(), InitFlag.HANDLE_KILLPRIV_V2);
        flags |= switch (options.readdirPlus()) {
            case OFF -> 0L;
            case AUTO -> InitFlag.DO_READDIRPLUS | InitFlag.READDIRPLUS_AUTO;
            case ALWAYS -> InitFlag.DO_READDIRPLUS;
        };
        return flags;
    }

    /** Kernels older than 7.23 read a shorter init_out; sending more would be rejected. */
    private static int replySize(int kernelMinor) {
        return kernelMinor < 23 ? InitOut.COMPAT_22_SIZE : InitOut.SIZE;
    }

    private static long when(boolean condition, long flag) {
        return condition ? flag : 0L;
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }
}
