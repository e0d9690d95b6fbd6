package org.scoutfs.fuse;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * How to mount and what to negotiate with the kernel; immutable, built with {@link #builder()}.
 *
 * <p>The defaults aim at throughput for a real filesystem: 1 MiB writes (max_pages 256),
 * 1 MiB readahead, asynchronous reads, parallel directory operations, adaptive readdirplus,
 * symlink caching and kernel permission checks. Writeback caching, POSIX ACLs and
 * kill-privilege handling change what the filesystem must do and are off until asked for.
 */
public final class MountOptions {
    /** Largest write the kernel supports per request: 256 pages of 4 KiB. */
    public static final int MAX_WRITE_LIMIT = 1 << 20;

    private final String fsName;
    private final String subtype;
    private final boolean allowOther;
    private final boolean defaultPermissions;
    private final boolean readOnly;
    private final int rootMode;
    private final int maxRead;
    private final Method method;
    private final int readerThreads;
    private final int maxReaderThreads;
    private final Dispatch dispatch;
    private final boolean cloneDeviceFd;
    private final Executor requestExecutor;
    private final boolean interruptWorkerThreads;
    private final int maxWrite;
    private final int maxReadahead;
    private final int maxBackground;
    private final int congestionThreshold;
    private final boolean asyncRead;
    private final boolean parallelDirops;
    private final ReaddirPlus readdirPlus;
    private final boolean writebackCache;
    private final boolean posixAcl;
    private final boolean handleKillPrivV2;
    private final boolean exportSupport;
    private final boolean cacheSymlinks;
    private final boolean autoInvalidateData;
    private final int backingDeviceReadAheadKb;
    private final Duration initTimeout;
    private final Duration closeTimeout;

    private MountOptions(Builder b) {
        fsName = b.fsName;
        subtype = b.subtype;
        allowOther = b.allowOther;
        defaultPermissions = b.defaultPermissions;
        readOnly = b.readOnly;
        rootMode = b.rootMode;
        maxRead = b.maxRead;
        method = b.method;
        readerThreads = b.readerThreads;
        maxReaderThreads = b.maxReaderThreads;
        dispatch = b.dispatch;
        cloneDeviceFd = b.cloneDeviceFd;
        requestExecutor = b.requestExecutor;
        interruptWorkerThreads = b.interruptWorkerThreads;
        maxWrite = b.maxWrite;
        maxReadahead = b.maxReadahead;
        maxBackground = b.maxBackground;
        congestionThreshold = b.congestionThreshold;
        asyncRead = b.asyncRead;
        parallelDirops = b.parallelDirops;
        readdirPlus = b.readdirPlus;
        writebackCache = b.writebackCache;
        posixAcl = b.posixAcl;
        handleKillPrivV2 = b.handleKillPrivV2;
        exportSupport = b.exportSupport;
        cacheSymlinks = b.cacheSymlinks;
        autoInvalidateData = b.autoInvalidateData;
        backingDeviceReadAheadKb = b.backingDeviceReadAheadKb;
        initTimeout = b.initTimeout;
        closeTimeout = b.closeTimeout;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults; see {@link Builder} for each value. */
    public static MountOptions defaults() {
        return builder().build();
    }

    public String fsName() {
        return fsName;
    }

    public String subtype() {
        return subtype;
    }

    public boolean allowOther() {
        return allowOther;
    }

    public boolean defaultPermissions() {
        return defaultPermissions;
    }

    public boolean readOnly() {
        return readOnly;
    }

    public int rootMode() {
        return rootMode;
    }

    public int maxRead() {
        return maxRead;
    }

    public Method method() {
        return method;
    }

    public int readerThreads() {
        return readerThreads;
    }

    public int maxReaderThreads() {
        return maxReaderThreads;
    }

    public Dispatch dispatch() {
        return dispatch;
    }

    public boolean cloneDeviceFd() {
        return cloneDeviceFd;
    }

    /** A custom executor that runs operations (overrides {@link #dispatch()}), or {@code null}. */
    public Executor requestExecutor() {
        return requestExecutor;
    }

    public boolean interruptWorkerThreads() {
        return interruptWorkerThreads;
    }

    public int maxWrite() {
        return maxWrite;
    }

    public int maxReadahead() {
        return maxReadahead;
    }

    public int maxBackground() {
        return maxBackground;
    }

    public int congestionThreshold() {
        return congestionThreshold;
    }

    public boolean asyncRead() {
        return asyncRead;
    }

    public boolean parallelDirops() {
        return parallelDirops;
    }

    public ReaddirPlus readdirPlus() {
        return readdirPlus;
    }

    public boolean writebackCache() {
        return writebackCache;
    }

    public boolean posixAcl() {
        return posixAcl;
    }

    public boolean handleKillPrivV2() {
        return handleKillPrivV2;
    }

    public boolean exportSupport() {
        return exportSupport;
    }

    public boolean cacheSymlinks() {
        return cacheSymlinks;
    }

    public boolean autoInvalidateData() {
        return autoInvalidateData;
    }

    /** The {@code read_ahead_kb} to set on the mount's backing device, or 0 to leave it alone. */
    public int backingDeviceReadAheadKb() {
        return backingDeviceReadAheadKb;
    }

    public Duration initTimeout() {
        return initTimeout;
    }

    public Duration closeTimeout() {
        return closeTimeout;
    }

    /** How the mount is made. */
    public enum Method {
        /**
         * Through {@code fusermount3 -o auto_unmount}: the helper passes the {@code /dev/fuse}
         * descriptor back over a socket and stays behind, so the mount disappears even if this
         * process dies without unmounting (kill -9). Works without root.
         */
        FUSERMOUNT,
        /**
         * {@code mount(2)} directly; needs CAP_SYS_ADMIN. A crash leaves a dead mount
         * ("Transport endpoint is not connected") until someone unmounts it.
         */
        DIRECT
    }

    /** Which threads run filesystem operations. */
    public enum Dispatch {
        /**
         * The reader thread that read a request runs it; when no other reader is left waiting
         * for the kernel, another is started first (up to {@link #maxReaderThreads()}). Quick
         * operations cost no thread hand-off; a blocking one only holds its own thread.
         */
        READER_THREADS,
        /**
         * Every operation runs on a new virtual thread; the readers only read. Costs a hand-off
         * per request (measured: about twice the round-trip time of {@link #READER_THREADS} on a
         * 2-vCPU VM), but blocking operations cost no platform thread.
         */
        VIRTUAL_THREADS
    }

    /** When the kernel uses READDIRPLUS instead of READDIR. */
    public enum ReaddirPlus {
        /** Never: {@code ls -l} costs a lookup per entry. */
        OFF,
        /** The kernel decides per directory, using plus when lookups follow readdir (adaptive). */
        AUTO,
        /** Always for every readdir. */
        ALWAYS
    }

    /** Builder with the documented defaults. */
    public static final class Builder {
        private String fsName = "scoutfs";
        private String subtype = "scoutfs";
        private boolean allowOther;
        private boolean defaultPermissions = true;
        private boolean readOnly;
        private int rootMode = FileMode.S_IFDIR | 0755;
        private int maxRead;
        private Method method = Method.FUSERMOUNT;
        private int readerThreads = 2;
        private int maxReaderThreads = 64;
        private Dispatch dispatch = Dispatch.READER_THREADS;
        private boolean cloneDeviceFd = true;
        private Executor requestExecutor;
        private boolean interruptWorkerThreads = true;
        private int maxWrite = MAX_WRITE_LIMIT;
        private int maxReadahead = 1 << 20;
        private int maxBackground = 64;
        private int congestionThreshold = 48;
        private boolean asyncRead = true;
        private boolean parallelDirops = true;
        private ReaddirPlus readdirPlus = ReaddirPlus.AUTO;
        private boolean writebackCache;
        private boolean posixAcl;
        private boolean handleKillPrivV2;
        private boolean exportSupport = true;
        private boolean cacheSymlinks = true;
        private boolean autoInvalidateData = true;
        private int backingDeviceReadAheadKb;
        private Duration initTimeout = Duration.ofSeconds(30);
        private Duration closeTimeout = Duration.ofSeconds(10);

        private Builder() {
        }

        /** The mount source shown in {@code /proc/mounts} (default "scoutfs"). */
        public Builder fsName(String value) {
            fsName = checkOptionValue(value, "fsName");
            return this;
        }

        /** The type suffix: the mount shows as {@code fuse.<subtype>} (default "scoutfs"). */
        public Builder subtype(String value) {
            subtype = checkOptionValue(value, "subtype");
            return this;
        }

        /** Let users other than the mounting one access the mount (default off). */
        public Builder allowOther(boolean value) {
            allowOther = value;
            return this;
        }

        /** Let the kernel check permissions from the mode bits (default on). */
        public Builder defaultPermissions(boolean value) {
            defaultPermissions = value;
            return this;
        }

        /** Mount read-only (default off). */
        public Builder readOnly(boolean value) {
            readOnly = value;
            return this;
        }

        /**
         * The file type of the root inode the kernel assumes before the first getattr (default a
         * directory). Only used by {@link Method#DIRECT}; fusermount3 takes it from the mount point.
         */
        public Builder rootMode(int value) {
            rootMode = value;
            return this;
        }

        /** Limit on READ request size in bytes, 0 for the kernel's limit (default 0). */
        public Builder maxRead(int value) {
            maxRead = requireNonNegative(value, "maxRead");
            return this;
        }

        /** How to mount (default {@link Method#FUSERMOUNT}). */
        public Builder method(Method value) {
            method = Objects.requireNonNull(value, "method");
            return this;
        }

        /** Platform threads that read requests, at least (default 2). */
        public Builder readerThreads(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("readerThreads must be at least 1");
            }
            readerThreads = value;
            return this;
        }

        /**
         * Upper bound of reader threads with {@link Dispatch#READER_THREADS}, which is also the
         * number of operations that can block at once before new requests wait (default 64).
         */
        public Builder maxReaderThreads(int value) {
            if (value < 1) {
                throw new IllegalArgumentException("maxReaderThreads must be at least 1");
            }
            maxReaderThreads = value;
            return this;
        }

        /** Which threads run operations (default {@link Dispatch#READER_THREADS}). */
        public Builder dispatch(Dispatch value) {
            dispatch = Objects.requireNonNull(value, "dispatch");
            return this;
        }

        /**
         * Give each reader thread its own device descriptor through {@code FUSE_DEV_IOC_CLONE},
         * so their request queues do not share a lock (default on).
         */
        public Builder cloneDeviceFd(boolean value) {
            cloneDeviceFd = value;
            return this;
        }

        /**
         * Run operations on this executor instead (for example a bounded pool); {@code null} (the
         * default) leaves the choice to {@link #dispatch}. Readers hand every request over, with a
         * heap copy of the request, and never block themselves.
         */
        public Builder requestExecutor(Executor value) {
            requestExecutor = value;
            return this;
        }

        /**
         * Interrupt the thread running an operation when the kernel interrupts its request
         * (default on). Turn off if operations use interruptible channels
         * ({@link java.nio.channels.FileChannel} closes itself when its thread is interrupted);
         * {@link RequestContext#isInterrupted()} works either way.
         */
        public Builder interruptWorkerThreads(boolean value) {
            interruptWorkerThreads = value;
            return this;
        }

        /** Largest WRITE payload, at most 1 MiB (default 1 MiB). */
        public Builder maxWrite(int value) {
            if (value < 4096 || value > MAX_WRITE_LIMIT) {
                throw new IllegalArgumentException("maxWrite must be within [4096, " + MAX_WRITE_LIMIT + "]");
            }
            maxWrite = value;
            return this;
        }

        /** Largest kernel readahead in bytes (default 1 MiB); see also {@link #backingDeviceReadAheadKb}. */
        public Builder maxReadahead(int value) {
            maxReadahead = requireNonNegative(value, "maxReadahead");
            return this;
        }

        /** Background requests (readahead, writeback) in flight (default 64, kernel default 12). */
        public Builder maxBackground(int value, int congestionThreshold) {
            if (value < 1 || value > 0xffff || congestionThreshold < 1 || congestionThreshold > value) {
                throw new IllegalArgumentException("need 1 <= congestionThreshold <= maxBackground <= 65535");
            }
            maxBackground = value;
            this.congestionThreshold = congestionThreshold;
            return this;
        }

        /** Let the kernel issue several reads of one file at once (default on). */
        public Builder asyncRead(boolean value) {
            asyncRead = value;
            return this;
        }

        /** Allow concurrent lookups and readdirs in one directory (default on). */
        public Builder parallelDirops(boolean value) {
            parallelDirops = value;
            return this;
        }

        /** When to use READDIRPLUS (default {@link ReaddirPlus#AUTO}). */
        public Builder readdirPlus(ReaddirPlus value) {
            readdirPlus = Objects.requireNonNull(value, "readdirPlus");
            return this;
        }

        /**
         * Let the kernel cache writes and send them later in large batches (default off). The
         * filesystem then sees cache writes with guessed handles, reads on write-only handles,
         * and setattr with explicit mtime/ctime instead of computing them.
         */
        public Builder writebackCache(boolean value) {
            writebackCache = value;
            return this;
        }

        /**
         * Enable POSIX ACLs (default off): the kernel enforces ACLs from
         * {@code system.posix_acl_*} xattrs together with the mode bits, which forces
         * {@link #defaultPermissions}, and stops applying the umask to new files itself.
         */
        public Builder posixAcl(boolean value) {
            posixAcl = value;
            return this;
        }

        /**
         * The filesystem clears set-id bits on write, truncate and chown itself, when told to by
         * the kill flags on requests (default off). Saves the kernel's extra setattr and
         * security.capability lookup per write to such files.
         */
        public Builder handleKillPrivV2(boolean value) {
            handleKillPrivV2 = value;
            return this;
        }

        /** The filesystem answers lookups of "." and "..", making NFS export possible (default on). */
        public Builder exportSupport(boolean value) {
            exportSupport = value;
            return this;
        }

        /** Let the kernel cache readlink results (default on). */
        public Builder cacheSymlinks(boolean value) {
            cacheSymlinks = value;
            return this;
        }

        /**
         * Let the kernel drop cached file data when getattr reports a changed mtime or size
         * (default on). Off means data is only dropped on {@link FuseNotifier#invalidateInode}.
         */
        public Builder autoInvalidateData(boolean value) {
            autoInvalidateData = value;
            return this;
        }

        /**
         * Set the mount's backing-device {@code read_ahead_kb} after mounting (default 0: leave
         * the kernel's 128 KiB). 1024 makes sequential reads arrive as 1 MiB requests.
         */
        public Builder backingDeviceReadAheadKb(int value) {
            backingDeviceReadAheadKb = requireNonNegative(value, "backingDeviceReadAheadKb");
            return this;
        }

        /** How long mounting waits for the kernel's INIT (default 30 s). */
        public Builder initTimeout(Duration value) {
            initTimeout = Objects.requireNonNull(value, "initTimeout");
            return this;
        }

        /** How long close waits for the session to end before aborting the connection (default 10 s). */
        public Builder closeTimeout(Duration value) {
            closeTimeout = Objects.requireNonNull(value, "closeTimeout");
            return this;
        }

        public MountOptions build() {
            return new MountOptions(this);
        }

        private static int requireNonNegative(int value, String name) {
            if (value < 0) {
                throw new IllegalArgumentException(name + " cannot be negative");
            }
            return value;
        }

        /** Mount options are a comma-separated list: values that would break it are refused. */
        private static String checkOptionValue(String value, String name) {
            Objects.requireNonNull(value, name);
            if (value.isEmpty() || value.chars().anyMatch(c -> c == ',' || c == '\\' || c == '=' || Character.isWhitespace(c))) {
                throw new IllegalArgumentException(name + " must be non-empty without ',', '\\', '=' or whitespace: " + value);
            }
            return value;
        }
    }
}
