package org.scoutfs.node.posix;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The libc calls the JDK does not expose (or exposes without the exact errno), bound through the
 * foreign function API. Every call either returns its result or throws {@link ErrnoException}
 * carrying the errno, so tests can assert on exact error codes.
 *
 * <p>Only JDK classes are used here: {@link SyscallProbe} runs this class in a child JVM under
 * another uid with nothing else on its class path.
 *
 * <p>Structure layouts are the Linux 64-bit ones ({@code statx} and {@code linux_dirent64} are
 * architecture independent; {@code statvfs} is the same on x86_64 and aarch64). The few open flags
 * that differ between those two architectures are chosen at class load.
 */
public final class Libc {
    private Libc() {
    }

    // ---------------------------------------------------------------- errno

    /** Linux errno values (the asm-generic numbering shared by x86_64 and aarch64). */
    public enum Errno {
        EPERM(1), ENOENT(2), ESRCH(3), EINTR(4), EIO(5), ENXIO(6), E2BIG(7), EBADF(9), EAGAIN(11),
        ENOMEM(12), EACCES(13), EFAULT(14), EBUSY(16), EEXIST(17), EXDEV(18), ENODEV(19), ENOTDIR(20),
        EISDIR(21), EINVAL(22), ENFILE(23), EMFILE(24), ETXTBSY(26), EFBIG(27), ENOSPC(28), ESPIPE(29),
        EROFS(30), EMLINK(31), EPIPE(32), ERANGE(34), ENAMETOOLONG(36), ENOSYS(38), ENOTEMPTY(39),
        ELOOP(40), ENODATA(61), EOVERFLOW(75), EOPNOTSUPP(95), ENOTCONN(107), ESTALE(116), EDQUOT(122);

        public final int code;

        Errno(int code) {
            this.code = code;
        }

        private static final Map<Integer, Errno> BY_CODE = new HashMap<>();

        static {
            for (Errno e : values()) {
                BY_CODE.put(e.code, e);
            }
        }

        /** The symbolic name of an errno value, or {@code errno=N} for one this enum lacks. */
        public static String nameOf(int code) {
            Errno e = BY_CODE.get(code);
            return e != null ? e.name() : "errno=" + code;
        }
    }

    /** A failed libc call: which call, on what, and the errno it set. */
    public static final class ErrnoException extends IOException {
        private final int code;

        ErrnoException(String call, int code) {
            super(call + ": " + Errno.nameOf(code));
            this.code = code;
        }

        public int code() {
            return code;
        }

        public String errnoName() {
            return Errno.nameOf(code);
        }

        public boolean is(Errno errno) {
            return code == errno.code;
        }
    }

    // ---------------------------------------------------------------- constants

    private static final boolean AARCH64 = "aarch64".equals(System.getProperty("os.arch"));

    static {
        String arch = System.getProperty("os.arch");
        if (!arch.equals("amd64") && !arch.equals("x86_64") && !AARCH64) {
            throw new ExceptionInInitializerError("Libc knows the struct layouts of x86_64 and aarch64 only, not "
                    + arch);
        }
    }

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_DIRECTORY = AARCH64 ? 040000 : 0200000;
    public static final int O_NOFOLLOW = AARCH64 ? 0100000 : 0400000;
    public static final int O_CLOEXEC = 02000000;
    public static final int O_PATH = 010000000;
    /** O_TMPFILE includes O_DIRECTORY in its value, as in the kernel headers. */
    public static final int O_TMPFILE = 020000000 | O_DIRECTORY;

    public static final int AT_FDCWD = -100;
    public static final int AT_SYMLINK_NOFOLLOW = 0x100;
    public static final int AT_REMOVEDIR = 0x200;
    public static final int AT_SYMLINK_FOLLOW = 0x400;
    public static final int AT_EMPTY_PATH = 0x1000;

    public static final int RENAME_NOREPLACE = 1;
    public static final int RENAME_EXCHANGE = 2;

    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;
    public static final int S_ISUID = 04000;
    public static final int S_ISGID = 02000;
    public static final int S_ISVTX = 01000;

    /** d_type values from getdents64. */
    public static final int DT_UNKNOWN = 0;
    public static final int DT_FIFO = 1;
    public static final int DT_CHR = 2;
    public static final int DT_DIR = 4;
    public static final int DT_BLK = 6;
    public static final int DT_REG = 8;
    public static final int DT_LNK = 10;
    public static final int DT_SOCK = 12;

    public static final long UTIME_NOW = (1L << 30) - 1;
    public static final long UTIME_OMIT = (1L << 30) - 2;

    public static final int FALLOC_FL_KEEP_SIZE = 0x01;
    public static final int FALLOC_FL_PUNCH_HOLE = 0x02;
    public static final int FALLOC_FL_ZERO_RANGE = 0x10;

    public static final int SEEK_SET = 0;
    public static final int SEEK_CUR = 1;
    public static final int SEEK_END = 2;
    public static final int SEEK_DATA = 3;
    public static final int SEEK_HOLE = 4;

    public static final int XATTR_CREATE = 1;
    public static final int XATTR_REPLACE = 2;

    /** Linux's limits, which the VFS enforces before a filesystem sees the call. */
    public static final int NAME_MAX = 255;
    public static final int XATTR_NAME_MAX = 255;
    public static final int XATTR_SIZE_MAX = 65536;

    // ---------------------------------------------------------------- value types

    /** An open file descriptor; closing it reports a failed close instead of hiding it. */
    public record Fd(int value) implements AutoCloseable {
        @Override
        public void close() throws ErrnoException {
            Libc.close(this);
        }

        /** The /proc path naming this descriptor, for linkat(…, AT_SYMLINK_FOLLOW). */
        public Path procPath() {
            return Path.of("/proc/self/fd/" + value);
        }
    }

    /** A struct timespec; also the argument type of {@link #utimensat}. */
    public record Timespec(long seconds, long nanos) implements Comparable<Timespec> {
        public static final Timespec NOW = new Timespec(0, UTIME_NOW);
        public static final Timespec OMIT = new Timespec(0, UTIME_OMIT);

        @Override
        public int compareTo(Timespec other) {
            int bySeconds = Long.compare(seconds, other.seconds);
            return bySeconds != 0 ? bySeconds : Long.compare(nanos, other.nanos);
        }

        public boolean isAfter(Timespec other) {
            return compareTo(other) > 0;
        }

        public static Timespec ofEpochMilli(long millis) {
            return new Timespec(Math.floorDiv(millis, 1000), Math.floorMod(millis, 1000) * 1_000_000L);
        }

        @Override
        public String toString() {
            return seconds + "." + String.format("%09d", nanos);
        }
    }

    /** The fields of struct statx the tests look at. */
    public record Stat(int mode, long nlink, int uid, int gid, long ino, long size, long blocks, int blksize,
            Timespec atime, Timespec mtime, Timespec ctime, int rdevMajor, int rdevMinor, int devMajor, int devMinor) {
        public int type() {
            return mode & S_IFMT;
        }

        /** Permission bits including setuid, setgid and sticky. */
        public int permissions() {
            return mode & 07777;
        }

        public boolean isDirectory() {
            return type() == S_IFDIR;
        }

        public boolean isRegularFile() {
            return type() == S_IFREG;
        }

        public boolean isSymlink() {
            return type() == S_IFLNK;
        }

        /** Bytes allocated, from st_blocks (always 512-byte units). */
        public long allocatedBytes() {
            return blocks * 512;
        }
    }

    /** struct statvfs. */
    public record StatVfs(long bsize, long frsize, long blocks, long bfree, long bavail, long files, long ffree,
            long favail, long fsid, long flag, long namemax) {
        public long freeBytes() {
            return bfree * frsize;
        }
    }

    /** One linux_dirent64 returned by getdents64; {@code offset} is the position after this entry. */
    public record DirEntry(long ino, long offset, int type, String name) {
    }

    // ---------------------------------------------------------------- bindings

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final Binding OPEN = new Binding("open", signature(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 2);
    private static final Binding OPENAT =
            new Binding("openat", signature(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT), 3);
    private static final Binding CLOSE = new Binding("close", signature(JAVA_INT, JAVA_INT));
    private static final Binding PREAD =
            new Binding("pread", signature(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final Binding PWRITE =
            new Binding("pwrite", signature(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final Binding READ = new Binding("read", signature(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final Binding WRITE = new Binding("write", signature(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final Binding LSEEK = new Binding("lseek", signature(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final Binding FSYNC = new Binding("fsync", signature(JAVA_INT, JAVA_INT));
    private static final Binding FDATASYNC = new Binding("fdatasync", signature(JAVA_INT, JAVA_INT));
    private static final Binding SYNCFS = new Binding("syncfs", signature(JAVA_INT, JAVA_INT));
    private static final Binding FTRUNCATE = new Binding("ftruncate", signature(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final Binding TRUNCATE = new Binding("truncate", signature(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final Binding FALLOCATE =
            new Binding("fallocate", signature(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    private static final Binding MKDIRAT = new Binding("mkdirat", signature(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final Binding UNLINKAT = new Binding("unlinkat", signature(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final Binding MKNODAT =
            new Binding("mknodat", signature(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    private static final Binding RENAMEAT2 =
            new Binding("renameat2", signature(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    private static final Binding LINKAT =
            new Binding("linkat", signature(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    private static final Binding SYMLINKAT = new Binding("symlinkat", signature(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    private static final Binding READLINKAT =
            new Binding("readlinkat", signature(JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
    private static final Binding FCHMODAT =
            new Binding("fchmodat", signature(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final Binding FCHOWNAT =
            new Binding("fchownat", signature(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final Binding UTIMENSAT =
            new Binding("utimensat", signature(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
    private static final Binding STATX =
            new Binding("statx", signature(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final Binding STATVFS = new Binding("statvfs", signature(JAVA_INT, ADDRESS, ADDRESS));
    private static final Binding GETDENTS64 =
            new Binding("getdents64", signature(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final Binding SETXATTR =
            new Binding("setxattr", signature(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final Binding LSETXATTR =
            new Binding("lsetxattr", signature(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final Binding GETXATTR =
            new Binding("getxattr", signature(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
    private static final Binding LGETXATTR =
            new Binding("lgetxattr", signature(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
    private static final Binding LISTXATTR =
            new Binding("listxattr", signature(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
    private static final Binding LLISTXATTR =
            new Binding("llistxattr", signature(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
    private static final Binding REMOVEXATTR = new Binding("removexattr", signature(JAVA_INT, ADDRESS, ADDRESS));
    private static final Binding LREMOVEXATTR = new Binding("lremovexattr", signature(JAVA_INT, ADDRESS, ADDRESS));
    private static final Binding UMASK = new Binding("umask", signature(JAVA_INT, JAVA_INT));
    private static final Binding GETEUID = new Binding("geteuid", signature(JAVA_INT));

    /** A C function's descriptor: the return layout first, then the parameters. */
    private static FunctionDescriptor signature(MemoryLayout returns, MemoryLayout... parameters) {
        return FunctionDescriptor.of(returns, parameters);
    }

    /**
     * A libc function, linked on first use: linking costs a few milliseconds per function, and
     * the {@link SyscallProbe} child JVM should pay only for the few it calls.
     */
    private static final class Binding {
        private final String name;
        private final FunctionDescriptor descriptor;
        private final int firstVariadicArg;
        private volatile MethodHandle handle;

        Binding(String name, FunctionDescriptor descriptor) {
            this(name, descriptor, -1);
        }

        /** For variadic C functions such as open, whose mode argument must be passed the variadic way. */
        Binding(String name, FunctionDescriptor descriptor, int firstVariadicArg) {
            this.name = name;
            this.descriptor = descriptor;
            this.firstVariadicArg = firstVariadicArg;
        }

        @SuppressWarnings("restricted") // linking native code is what this class is for
        MethodHandle handle() {
            MethodHandle h = handle;
            if (h == null) {
                MemorySegment symbol = LINKER.defaultLookup().find(name)
                        .orElseThrow(() -> new UnsatisfiedLinkError("libc lacks " + name));
                Linker.Option errno = Linker.Option.captureCallState("errno");
                h = firstVariadicArg < 0 ? LINKER.downcallHandle(symbol, descriptor, errno)
                        : LINKER.downcallHandle(symbol, descriptor, Linker.Option.firstVariadicArg(firstVariadicArg),
                        errno);
                handle = h;
            }
            return h;
        }
    }

    /**
     * Invokes a binding with a fresh errno capture segment in front of {@code args}, and turns a
     * -1 result into an {@link ErrnoException} naming {@code call}.
     */
    private static long call(Arena arena, String call, Binding binding, Object... args) throws ErrnoException {
        MemorySegment state = arena.allocate(CALL_STATE);
        Object[] all = new Object[args.length + 1];
        all[0] = state;
        System.arraycopy(args, 0, all, 1, args.length);
        Object result;
        try {
            result = binding.handle().invokeWithArguments(all);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("downcall " + call + " failed", t);
        }
        long rc = result instanceof Integer i ? i : (Long) result;
        if (rc == -1) {
            throw new ErrnoException(call, (int) ERRNO.get(state, 0L));
        }
        return rc;
    }

    private static MemorySegment cstr(Arena arena, Path path) {
        return arena.allocateFrom(path.toString());
    }

    private static MemorySegment cstr(Arena arena, String s) {
        return arena.allocateFrom(s);
    }

    // ---------------------------------------------------------------- files and descriptors

    public static Fd open(Path path, int flags, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            return new Fd((int) call(arena, "open(" + path + ")", OPEN, cstr(arena, path), flags, mode));
        }
    }

    public static Fd open(Path path, int flags) throws ErrnoException {
        return open(path, flags, 0);
    }

    /** Opens a directory for fsync, getdents or as the base of *at calls. */
    public static Fd openDirectory(Path path) throws ErrnoException {
        return open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
    }

    /** openat with a name relative to {@code dir}; the name is passed as UTF-8 whatever the JVM's locale. */
    public static Fd openat(Fd dir, String name, int flags, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            return new Fd((int) call(arena, "openat(" + name + ")", OPENAT, dir.value(), cstr(arena, name), flags,
                    mode));
        }
    }

    public static void close(Fd fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "close(" + fd.value() + ")", CLOSE, fd.value());
        }
    }

    /** One pread call: returns the bytes it read, possibly fewer than asked for (an empty array at EOF). */
    public static byte[] pread(Fd fd, int length, long offset) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(Math.max(1, length));
            long n = call(arena, "pread(" + fd.value() + ", " + length + ", " + offset + ")", PREAD, fd.value(), buffer,
                    (long) length, offset);
            return buffer.asSlice(0, n).toArray(JAVA_BYTE);
        }
    }

    /** pread until {@code length} bytes or EOF. */
    public static byte[] preadFully(Fd fd, int length, long offset) throws ErrnoException {
        byte[] out = new byte[length];
        int done = 0;
        while (done < length) {
            byte[] chunk = pread(fd, length - done, offset + done);
            if (chunk.length == 0) {
                return Arrays.copyOf(out, done);
            }
            System.arraycopy(chunk, 0, out, done, chunk.length);
            done += chunk.length;
        }
        return out;
    }

    /** One pwrite call; returns the count written. */
    public static long pwrite(Fd fd, byte[] data, long offset) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocateFrom(JAVA_BYTE, data.length == 0 ? new byte[1] : data);
            return call(arena, "pwrite(" + fd.value() + ", " + data.length + ", " + offset + ")", PWRITE, fd.value(),
                    buffer, (long) data.length, offset);
        }
    }

    public static byte[] read(Fd fd, int length) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(Math.max(1, length));
            long n = call(arena, "read(" + fd.value() + ", " + length + ")", READ, fd.value(), buffer, (long) length);
            return buffer.asSlice(0, n).toArray(JAVA_BYTE);
        }
    }

    public static long write(Fd fd, byte[] data) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocateFrom(JAVA_BYTE, data.length == 0 ? new byte[1] : data);
            return call(arena, "write(" + fd.value() + ", " + data.length + ")", WRITE, fd.value(), buffer,
                    (long) data.length);
        }
    }

    public static long lseek(Fd fd, long offset, int whence) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            return call(arena, "lseek(" + fd.value() + ", " + offset + ", " + whence + ")", LSEEK, fd.value(), offset,
                    whence);
        }
    }

    public static void fsync(Fd fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "fsync(" + fd.value() + ")", FSYNC, fd.value());
        }
    }

    public static void fdatasync(Fd fd) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "fdatasync(" + fd.value() + ")", FDATASYNC, fd.value());
        }
    }

    /** Writes back everything dirty on the filesystem holding {@code path}. */
    public static void syncfs(Path path) throws ErrnoException {
        try (Fd fd = open(path, O_RDONLY | O_CLOEXEC); Arena arena = Arena.ofConfined()) {
            call(arena, "syncfs(" + path + ")", SYNCFS, fd.value());
        }
    }

    public static void ftruncate(Fd fd, long length) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "ftruncate(" + fd.value() + ", " + length + ")", FTRUNCATE, fd.value(), length);
        }
    }

    public static void truncate(Path path, long length) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "truncate(" + path + ", " + length + ")", TRUNCATE, cstr(arena, path), length);
        }
    }

    public static void fallocate(Fd fd, int mode, long offset, long length) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "fallocate(" + fd.value() + ", mode " + mode + ", " + offset + ", " + length + ")", FALLOCATE,
                    fd.value(), mode, offset, length);
        }
    }

    // ---------------------------------------------------------------- namespace

    public static void mkdir(Path path, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "mkdir(" + path + ")", MKDIRAT, AT_FDCWD, cstr(arena, path), mode);
        }
    }

    public static void mkdirat(Fd dir, String name, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "mkdirat(" + name + ")", MKDIRAT, dir.value(), cstr(arena, name), mode);
        }
    }

    public static void rmdir(Path path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "rmdir(" + path + ")", UNLINKAT, AT_FDCWD, cstr(arena, path), AT_REMOVEDIR);
        }
    }

    public static void unlink(Path path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "unlink(" + path + ")", UNLINKAT, AT_FDCWD, cstr(arena, path), 0);
        }
    }

    public static void unlinkat(Fd dir, String name, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "unlinkat(" + name + ")", UNLINKAT, dir.value(), cstr(arena, name), flags);
        }
    }

    /** mknod with the full mode (type bits included) and a device number for S_IFCHR/S_IFBLK. */
    public static void mknod(Path path, int mode, int major, int minor) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "mknod(" + path + ")", MKNODAT, AT_FDCWD, cstr(arena, path), mode, makedev(major, minor));
        }
    }

    /** glibc's makedev encoding of a dev_t. */
    public static long makedev(int major, int minor) {
        long ma = major & 0xffffffffL;
        long mi = minor & 0xffffffffL;
        return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
    }

    public static void rename(Path from, Path to) throws ErrnoException {
        renameat2(from, to, 0);
    }

    public static void renameat2(Path from, Path to, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "renameat2(" + from + ", " + to + ", " + flags + ")", RENAMEAT2, AT_FDCWD, cstr(arena, from),
                    AT_FDCWD, cstr(arena, to), flags);
        }
    }

    public static void link(Path existing, Path newLink) throws ErrnoException {
        linkat(existing, newLink, 0);
    }

    public static void linkat(Path existing, Path newLink, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "linkat(" + existing + ", " + newLink + ")", LINKAT, AT_FDCWD, cstr(arena, existing), AT_FDCWD,
                    cstr(arena, newLink), flags);
        }
    }

    /** linkat(fd, "", AT_FDCWD, newLink, AT_EMPTY_PATH): gives an O_TMPFILE or unlinked-but-open file a name. */
    public static void linkEmptyPath(Fd fd, Path newLink) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "linkat(fd " + fd.value() + ", AT_EMPTY_PATH, " + newLink + ")", LINKAT, fd.value(),
                    cstr(arena, ""), AT_FDCWD, cstr(arena, newLink), AT_EMPTY_PATH);
        }
    }

    /** symlink(target, link): the target is stored as given, not resolved. */
    public static void symlink(String target, Path link) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "symlink(" + link + ")", SYMLINKAT, cstr(arena, target), AT_FDCWD, cstr(arena, link));
        }
    }

    /** The exact bytes of a symlink's target, decoded as UTF-8 (java.nio normalizes what it returns). */
    public static String readlink(Path link) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(8192);
            long n = call(arena, "readlink(" + link + ")", READLINKAT, AT_FDCWD, cstr(arena, link), buf, 8192L);
            return new String(buf.asSlice(0, n).toArray(JAVA_BYTE), StandardCharsets.UTF_8);
        }
    }

    public static void chmod(Path path, int mode) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "chmod(" + path + ", 0" + Integer.toOctalString(mode) + ")", FCHMODAT, AT_FDCWD,
                    cstr(arena, path), mode, 0);
        }
    }

    /** chown following symlinks; -1 leaves that id unchanged. */
    public static void chown(Path path, int uid, int gid) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "chown(" + path + ", " + uid + ", " + gid + ")", FCHOWNAT, AT_FDCWD, cstr(arena, path), uid,
                    gid, 0);
        }
    }

    public static void lchown(Path path, int uid, int gid) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "lchown(" + path + ", " + uid + ", " + gid + ")", FCHOWNAT, AT_FDCWD, cstr(arena, path), uid,
                    gid, AT_SYMLINK_NOFOLLOW);
        }
    }

    /**
     * utimensat(AT_FDCWD, path, {atime, mtime}, flags). Pass {@link Timespec#NOW} or
     * {@link Timespec#OMIT} for UTIME_NOW / UTIME_OMIT, or {@code null} times for "both now".
     */
    public static void utimensat(Path path, Timespec atime, Timespec mtime, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment times = MemorySegment.NULL;
            if (atime != null || mtime != null) {
                times = arena.allocate(32);
                times.set(JAVA_LONG, 0, atime.seconds());
                times.set(JAVA_LONG, 8, atime.nanos());
                times.set(JAVA_LONG, 16, mtime.seconds());
                times.set(JAVA_LONG, 24, mtime.nanos());
            }
            call(arena, "utimensat(" + path + ", " + atime + ", " + mtime + ")", UTIMENSAT, AT_FDCWD,
                    cstr(arena, path), times, flags);
        }
    }

    // ---------------------------------------------------------------- stat

    private static final int STATX_BASIC_STATS = 0x7ff;
    private static final int STATX_SIZE_OF_STRUCT = 256;

    /** stat following symlinks. */
    public static Stat stat(Path path) throws ErrnoException {
        return statx(AT_FDCWD, path.toString(), 0);
    }

    /** stat of the link itself. */
    public static Stat lstat(Path path) throws ErrnoException {
        return statx(AT_FDCWD, path.toString(), AT_SYMLINK_NOFOLLOW);
    }

    public static Stat fstat(Fd fd) throws ErrnoException {
        return statx(fd.value(), "", AT_EMPTY_PATH);
    }

    /** fstatat relative to a directory descriptor, not following a final symlink. */
    public static Stat lstatat(Fd dir, String name) throws ErrnoException {
        return statx(dir.value(), name, AT_SYMLINK_NOFOLLOW);
    }

    private static Stat statx(int dirfd, String path, int flags) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(STATX_SIZE_OF_STRUCT, 8);
            call(arena, "statx(" + (path.isEmpty() ? "fd " + dirfd : path) + ")", STATX, dirfd, cstr(arena, path),
                    flags, STATX_BASIC_STATS, buf);
            return new Stat(
                    Short.toUnsignedInt(buf.get(JAVA_SHORT, 28)),
                    Integer.toUnsignedLong(buf.get(JAVA_INT, 16)),
                    buf.get(JAVA_INT, 20),
                    buf.get(JAVA_INT, 24),
                    buf.get(JAVA_LONG, 32),
                    buf.get(JAVA_LONG, 40),
                    buf.get(JAVA_LONG, 48),
                    buf.get(JAVA_INT, 4),
                    statxTimestamp(buf, 64),
                    statxTimestamp(buf, 112),
                    statxTimestamp(buf, 96),
                    buf.get(JAVA_INT, 128),
                    buf.get(JAVA_INT, 132),
                    buf.get(JAVA_INT, 136),
                    buf.get(JAVA_INT, 140));
        }
    }

    private static Timespec statxTimestamp(MemorySegment buf, long offset) {
        return new Timespec(buf.get(JAVA_LONG, offset), Integer.toUnsignedLong(buf.get(JAVA_INT, offset + 8)));
    }

    public static StatVfs statvfs(Path path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(256, 8);
            call(arena, "statvfs(" + path + ")", STATVFS, cstr(arena, path), buf);
            long[] f = new long[11];
            for (int i = 0; i < f.length; i++) {
                f[i] = buf.get(JAVA_LONG, i * 8L);
            }
            return new StatVfs(f[0], f[1], f[2], f[3], f[4], f[5], f[6], f[7], f[8], f[9], f[10]);
        }
    }

    // ---------------------------------------------------------------- directories

    /**
     * One getdents64 call with a buffer of {@code bufferSize} bytes; an empty list means the end of
     * the directory. Small buffers make the filesystem resume from its offsets many times.
     */
    public static List<DirEntry> getdents(Fd dir, int bufferSize) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(bufferSize, 8);
            long n = call(arena, "getdents64(" + dir.value() + ")", GETDENTS64, dir.value(), buf, (long) bufferSize);
            List<DirEntry> entries = new ArrayList<>();
            long pos = 0;
            while (pos < n) {
                long ino = buf.get(JAVA_LONG, pos);
                long off = buf.get(JAVA_LONG, pos + 8);
                int reclen = Short.toUnsignedInt(buf.get(JAVA_SHORT, pos + 16));
                int type = Byte.toUnsignedInt(buf.get(JAVA_BYTE, pos + 18));
                String name = buf.getString(pos + 19, StandardCharsets.UTF_8);
                entries.add(new DirEntry(ino, off, type, name));
                pos += reclen;
            }
            return entries;
        }
    }

    /** Every entry of a directory, "." and ".." included, in the order the filesystem returns them. */
    public static List<DirEntry> readDirectory(Path dir, int bufferSize) throws ErrnoException {
        try (Fd fd = openDirectory(dir)) {
            List<DirEntry> all = new ArrayList<>();
            for (List<DirEntry> batch = getdents(fd, bufferSize); !batch.isEmpty(); batch = getdents(fd, bufferSize)) {
                all.addAll(batch);
            }
            return all;
        }
    }

    public static List<DirEntry> readDirectory(Path dir) throws ErrnoException {
        return readDirectory(dir, 32768);
    }

    // ---------------------------------------------------------------- xattrs

    public static void setxattr(Path path, String name, byte[] value, int flags) throws ErrnoException {
        setxattr(SETXATTR, "setxattr", path, name, value, flags);
    }

    /** setxattr on a symlink itself rather than its target. */
    public static void lsetxattr(Path path, String name, byte[] value, int flags) throws ErrnoException {
        setxattr(LSETXATTR, "lsetxattr", path, name, value, flags);
    }

    private static void setxattr(Binding handle, String call, Path path, String name, byte[] value, int flags)
            throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = value.length == 0 ? arena.allocate(1) : arena.allocateFrom(JAVA_BYTE, value);
            call(arena, call + "(" + path + ", " + name + ", " + value.length + " bytes, flags " + flags + ")", handle,
                    cstr(arena, path), cstr(arena, name), v, (long) value.length, flags);
        }
    }

    /** getxattr(path, name, NULL, 0): the size of the value without reading it. */
    public static long getxattrSize(Path path, String name) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            return call(arena, "getxattr(" + path + ", " + name + ", NULL, 0)", GETXATTR, cstr(arena, path),
                    cstr(arena, name), MemorySegment.NULL, 0L);
        }
    }

    /** getxattr into a buffer of exactly {@code bufferSize} bytes (ERANGE when the value is larger). */
    public static byte[] getxattr(Path path, String name, int bufferSize) throws ErrnoException {
        return getxattr(GETXATTR, "getxattr", path, name, bufferSize);
    }

    /** The whole value, sized by a probe first. */
    public static byte[] getxattr(Path path, String name) throws ErrnoException {
        return getxattr(path, name, (int) getxattrSize(path, name));
    }

    public static byte[] lgetxattr(Path path, String name, int bufferSize) throws ErrnoException {
        return getxattr(LGETXATTR, "lgetxattr", path, name, bufferSize);
    }

    private static byte[] getxattr(Binding handle, String call, Path path, String name, int bufferSize)
            throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = bufferSize == 0 ? MemorySegment.NULL : arena.allocate(bufferSize);
            long n = call(arena, call + "(" + path + ", " + name + ", " + bufferSize + ")", handle, cstr(arena, path),
                    cstr(arena, name), buf, (long) bufferSize);
            return bufferSize == 0 ? new byte[0] : buf.asSlice(0, n).toArray(JAVA_BYTE);
        }
    }

    /** listxattr(path, NULL, 0): the size of the name list. */
    public static long listxattrSize(Path path) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            return call(arena, "listxattr(" + path + ", NULL, 0)", LISTXATTR, cstr(arena, path), MemorySegment.NULL,
                    0L);
        }
    }

    /** listxattr into a buffer of exactly {@code bufferSize} bytes, split at the NULs. */
    public static List<String> listxattr(Path path, int bufferSize) throws ErrnoException {
        return listxattr(LISTXATTR, "listxattr", path, bufferSize);
    }

    public static List<String> listxattr(Path path) throws ErrnoException {
        return listxattr(path, (int) listxattrSize(path) + 1);
    }

    public static List<String> llistxattr(Path path) throws ErrnoException {
        return listxattr(LLISTXATTR, "llistxattr", path, 65536);
    }

    private static List<String> listxattr(Binding handle, String call, Path path,
            int bufferSize) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buf = arena.allocate(Math.max(1, bufferSize));
            long n = call(arena, call + "(" + path + ", " + bufferSize + ")", handle, cstr(arena, path), buf,
                    (long) bufferSize);
            List<String> names = new ArrayList<>();
            long start = 0;
            for (long i = 0; i < n; i++) {
                if (buf.get(JAVA_BYTE, i) == 0) {
                    names.add(new String(buf.asSlice(start, i - start).toArray(JAVA_BYTE), StandardCharsets.UTF_8));
                    start = i + 1;
                }
            }
            return names;
        }
    }

    public static void removexattr(Path path, String name) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "removexattr(" + path + ", " + name + ")", REMOVEXATTR, cstr(arena, path), cstr(arena, name));
        }
    }

    public static void lremovexattr(Path path, String name) throws ErrnoException {
        try (Arena arena = Arena.ofConfined()) {
            call(arena, "lremovexattr(" + path + ", " + name + ")", LREMOVEXATTR, cstr(arena, path), cstr(arena, name));
        }
    }

    // ---------------------------------------------------------------- process

    /**
     * Sets the process umask and returns the previous one. The umask is per process: only call
     * this where nothing else in the JVM creates files concurrently (the {@link SyscallProbe}
     * child process does this).
     */
    public static int umask(int mask) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) call(arena, "umask", UMASK, mask);
        } catch (ErrnoException e) {
            throw new AssertionError("umask cannot fail", e);
        }
    }

    public static int geteuid() {
        try (Arena arena = Arena.ofConfined()) {
            return (int) call(arena, "geteuid", GETEUID);
        } catch (ErrnoException e) {
            throw new AssertionError("geteuid cannot fail", e);
        }
    }
}
