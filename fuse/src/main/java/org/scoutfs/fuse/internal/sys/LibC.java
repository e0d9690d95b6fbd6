package org.scoutfs.fuse.internal.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * The handful of libc functions the FUSE session needs, bound with the foreign function API.
 *
 * <p>Every binding captures {@code errno} right after the call (the JVM may change it before
 * Java code could read it otherwise) and turns a failure into {@link SyscallException}.
 * Hot-path calls ({@link #read} and {@link #write}) take a caller-owned call-state segment from
 * {@link #allocateCallState} so that they allocate nothing; the rest allocate in a short-lived
 * confined arena. No binding is "critical": all of them may block.
 */
public final class LibC {
    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_TRUNC = 01000;
    public static final int O_CLOEXEC = 02000000;

    public static final int AF_UNIX = 1;
    public static final int SOCK_STREAM = 1;
    public static final int SOCK_CLOEXEC = O_CLOEXEC;
    public static final int MSG_CMSG_CLOEXEC = 0x40000000;
    public static final int SOL_SOCKET = 1;
    public static final int SCM_RIGHTS = 1;

    public static final short POLLIN = 1;

    public static final long MS_RDONLY = 1;
    public static final long MS_NOSUID = 2;
    public static final long MS_NODEV = 4;
    public static final int MNT_FORCE = 1;
    public static final int MNT_DETACH = 2;

    public static final int WNOHANG = 1;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private static final MethodHandle OPEN = bind("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle READ = bind("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = bind("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle IOCTL = bind("ioctl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle MOUNT = bind("mount",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS));
    private static final MethodHandle UMOUNT2 = bind("umount2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SOCKETPAIR = bind("socketpair",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle RECVMSG = bind("recvmsg", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle POLL = bind("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle WAITPID = bind("waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle GETEUID = bind("geteuid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle MALLOC = bindWithoutErrno("malloc", FunctionDescriptor.of(ADDRESS, JAVA_LONG));
    private static final MethodHandle FREE = bindWithoutErrno("free", FunctionDescriptor.ofVoid(ADDRESS));

    private LibC() {
    }

    /** A segment to pass to the hot-path calls; one per thread, reused across calls. */
    public static MemorySegment allocateCallState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    public static int open(String path, int flags, int mode) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pathString = arena.allocateFrom(path);
            return (int) call("open " + path, allocateCallState(arena),
                    state -> (int) OPEN.invokeExact(state, pathString, flags, mode));
        }
    }

    /** {@code read(2)} into {@code buffer}; returns the byte count (0 at end of file). */
    public static int read(MemorySegment callState, int fd, MemorySegment buffer) throws SyscallException {
        return (int) call("read", callState, state -> (long) READ.invokeExact(state, fd, buffer, buffer.byteSize()));
    }

    /** {@code write(2)} of the whole of {@code data}; returns the byte count the kernel took. */
    public static int write(MemorySegment callState, int fd, MemorySegment data) throws SyscallException {
        return (int) call("write", callState, state -> (long) WRITE.invokeExact(state, fd, data, data.byteSize()));
    }

    public static void close(int fd) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            call("close", allocateCallState(arena), state -> (int) CLOSE.invokeExact(state, fd));
        }
    }

    /** {@code ioctl(fd, request, &value)} for requests taking a pointer to an int. */
    public static void ioctlWithInt(int fd, long request, int value) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment arg = arena.allocateFrom(JAVA_INT, value);
            call("ioctl", allocateCallState(arena), state -> (int) IOCTL.invokeExact(state, fd, request, arg));
        }
    }

    public static void mount(String source, String target, String type, long flags, String data) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment src = arena.allocateFrom(source);
            MemorySegment dst = arena.allocateFrom(target);
            MemorySegment fsType = arena.allocateFrom(type);
            MemorySegment options = arena.allocateFrom(data);
            call("mount " + target, allocateCallState(arena),
                    state -> (int) MOUNT.invokeExact(state, src, dst, fsType, flags, options));
        }
    }

    public static void umount2(String target, int flags) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment path = arena.allocateFrom(target);
            call("umount2 " + target, allocateCallState(arena), state -> (int) UMOUNT2.invokeExact(state, path, flags));
        }
    }

    /** A connected pair of Unix stream sockets, both close-on-exec. */
    public static int[] socketpair() throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            call("socketpair", allocateCallState(arena),
                    state -> (int) SOCKETPAIR.invokeExact(state, AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds));
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        }
    }

    /** {@code recvmsg(2)} with a caller-built {@code struct msghdr}; returns the byte count. */
    public static long recvmsg(MemorySegment callState, int fd, MemorySegment msghdr, int flags) throws SyscallException {
        return call("recvmsg", callState, state -> (long) RECVMSG.invokeExact(state, fd, msghdr, flags));
    }

    /** Waits up to {@code timeoutMillis} for {@code fd} to become readable; false on timeout. */
    public static boolean pollReadable(int fd, int timeoutMillis) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfd = arena.allocate(8, 4);
            pollfd.set(JAVA_INT, 0, fd);
            pollfd.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
            return call("poll", allocateCallState(arena),
                    state -> (int) POLL.invokeExact(state, pollfd, 1L, timeoutMillis)) > 0;
        }
    }

    /**
     * {@code waitpid(pid, &status, options)}.
     *
     * @return the raw wait status, or -1 if {@link #WNOHANG} was given and the child still runs
     */
    public static int waitpid(int pid, int options) throws SyscallException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(JAVA_INT);
            long rc = call("waitpid", allocateCallState(arena),
                    state -> (int) WAITPID.invokeExact(state, pid, status, options));
            return rc == 0 ? -1 : status.get(JAVA_INT, 0);
        }
    }

    public static int geteuid() {
        try (Arena arena = Arena.ofConfined()) {
            return (int) call("geteuid", allocateCallState(arena), state -> (int) GETEUID.invokeExact(state));
        } catch (SyscallException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * {@code malloc(size)} as a segment usable from any thread, not zeroed. Unlike an arena it
     * costs no zeroing and no thread confinement; the caller must {@link #free} it exactly once
     * and must not touch it afterwards.
     */
    @SuppressWarnings("restricted")
    public static MemorySegment malloc(long size) {
        MemorySegment address;
        try {
            address = (MemorySegment) MALLOC.invokeExact(size);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (address.equals(MemorySegment.NULL)) {
            throw new OutOfMemoryError("malloc(" + size + ") failed");
        }
        return address.reinterpret(size);
    }

    public static void free(MemorySegment segment) {
        try {
            FREE.invokeExact(segment);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    /** The errno left in a call-state segment by the last call that used it. */
    public static int errno(MemorySegment state) {
        return (int) ERRNO.get(state, 0L);
    }

    @SuppressWarnings("restricted")
    private static MethodHandle bindWithoutErrno(String name, FunctionDescriptor descriptor) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor);
    }

    /** Size of the errno slot {@link #allocateCallState} allocates. */
    public static long callStateSize() {
        return CALL_STATE.byteSize();
    }

    /** Binds a libc function that reports failure through errno; the module needs native access. */
    @SuppressWarnings("restricted")
    static MethodHandle bind(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        Linker.Option[] all = new Linker.Option[options.length + 1];
        System.arraycopy(options, 0, all, 0, options.length);
        all[options.length] = Linker.Option.captureCallState("errno");
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        return LINKER.downcallHandle(symbol, descriptor, all);
    }

    /** One foreign call returning a C int or ssize_t, widened to long. */
    @FunctionalInterface
    interface NativeCall {
        long invoke(MemorySegment callState) throws Throwable;
    }

    /** Runs {@code call} and turns a negative result into {@link SyscallException} with the captured errno. */
    static long call(String what, MemorySegment callState, NativeCall call) throws SyscallException {
        long rc;
        try {
            rc = call.invoke(callState);
        } catch (Throwable t) {
            throw unexpected(t);
        }
        if (rc < 0) {
            throw new SyscallException(what, errno(callState));
        }
        return rc;
    }

    private static IllegalStateException unexpected(Throwable t) {
        if (t instanceof Error e) {
            throw e;
        }
        if (t instanceof RuntimeException r) {
            throw r;
        }
        return new IllegalStateException("foreign call failed", t);
    }
}
