package org.scoutfs.fuse;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;

/**
 * System calls the JDK does not expose, for tests that need exact kernel behaviour: xattr
 * calls with chosen buffer sizes, renameat2 flags, SEEK_DATA/SEEK_HOLE and O_TMPFILE.
 * Each returns the result or {@code -errno}.
 */
final class TestSyscalls {
    static final int AT_FDCWD = -100;
    static final int RENAME_NOREPLACE = 1;
    static final int RENAME_EXCHANGE = 2;
    static final int SEEK_DATA = 3;
    static final int SEEK_HOLE = 4;
    static final int O_RDWR = 2;
    static final int O_RDONLY = 0;
    static final int O_TMPFILE = 020200000;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle GETXATTR = bind("getxattr",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG));
    private static final MethodHandle LISTXATTR = bind("listxattr",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG));
    private static final MethodHandle RENAMEAT2 = bind("renameat2",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle OPEN = bind("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle LSEEK = bind("lseek", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private TestSyscalls() {
    }

    /** {@code getxattr(path, name, buf, size)}: the value length, or -errno. */
    static long getxattr(Path path, String name, int size) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE);
            MemorySegment buffer = size == 0 ? MemorySegment.NULL : arena.allocate(size);
            long rc = (long) GETXATTR.invokeExact(state, arena.allocateFrom(path.toString()), arena.allocateFrom(name),
                    buffer, (long) size);
            return rc < 0 ? -errno(state) : rc;
        }
    }

    /** {@code listxattr(path, buf, size)}: the list length, or -errno. */
    static long listxattr(Path path, int size) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE);
            MemorySegment buffer = size == 0 ? MemorySegment.NULL : arena.allocate(size);
            long rc = (long) LISTXATTR.invokeExact(state, arena.allocateFrom(path.toString()), buffer, (long) size);
            return rc < 0 ? -errno(state) : rc;
        }
    }

    /** {@code renameat2(AT_FDCWD, from, AT_FDCWD, to, flags)}: 0 or -errno. */
    static int renameat2(Path from, Path to, int flags) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE);
            int rc = (int) RENAMEAT2.invokeExact(state, AT_FDCWD, arena.allocateFrom(from.toString()), AT_FDCWD,
                    arena.allocateFrom(to.toString()), flags);
            return rc < 0 ? -errno(state) : rc;
        }
    }

    /** {@code open(path, flags, mode)}: a descriptor, or -errno. */
    static int open(Path path, int flags, int mode) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE);
            int fd = (int) OPEN.invokeExact(state, arena.allocateFrom(path.toString()), flags, mode);
            return fd < 0 ? -errno(state) : fd;
        }
    }

    /** {@code lseek(fd, offset, whence)}: the new offset, or -errno. */
    static long lseek(int fd, long offset, int whence) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(STATE);
            long rc = (long) LSEEK.invokeExact(state, fd, offset, whence);
            return rc < 0 ? -errno(state) : rc;
        }
    }

    static void close(int fd) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            int ignored = (int) CLOSE.invokeExact(arena.allocate(STATE), fd);
        }
    }

    private static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    @SuppressWarnings("restricted")
    private static MethodHandle bind(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = java.util.Arrays.copyOf(options, options.length + 1);
        all[options.length] = Linker.Option.captureCallState("errno");
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor, all);
    }
}
