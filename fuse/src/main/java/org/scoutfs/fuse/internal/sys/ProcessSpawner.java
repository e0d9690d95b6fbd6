package org.scoutfs.fuse.internal.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.List;

/**
 * Starts a helper process that inherits one chosen file descriptor, with {@code posix_spawnp}.
 *
 * <p>{@link ProcessBuilder} cannot do this: the JDK closes every descriptor above 2 in the child.
 * fusermount3 needs the socket of the {@code _FUSE_COMMFD} protocol as an inherited descriptor,
 * so it is spawned here instead. The child gets {@code /dev/null} as stdin and stdout, a file of
 * our choosing as stderr, the inherited descriptor at a fixed number, nothing else (every higher
 * descriptor is closed), and an empty signal mask (JVM threads may block signals the helper
 * must see). glibc's {@code posix_spawn} uses {@code clone(CLONE_VM | CLONE_VFORK)}, which is
 * safe in a multithreaded JVM, unlike {@code fork}.
 */
public final class ProcessSpawner {
    private static final int POSIX_SPAWN_SETSIGMASK = 0x08;
    /** Generous upper bounds of glibc's opaque spawn structs (80 and 336 bytes on x86-64). */
    private static final long FILE_ACTIONS_SIZE = 512;
    private static final long SPAWN_ATTR_SIZE = 1024;
    private static final long SIGSET_SIZE = 128;

    private static final MethodHandle ACTIONS_INIT = LibC.bind("posix_spawn_file_actions_init",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ACTIONS_DESTROY = LibC.bind("posix_spawn_file_actions_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ADD_OPEN = LibC.bind("posix_spawn_file_actions_addopen",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle ADD_DUP2 = LibC.bind("posix_spawn_file_actions_adddup2",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle ADD_CLOSEFROM = LibC.bind("posix_spawn_file_actions_addclosefrom_np",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle ATTR_INIT = LibC.bind("posix_spawnattr_init", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ATTR_DESTROY = LibC.bind("posix_spawnattr_destroy",
            FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle ATTR_SETFLAGS = LibC.bind("posix_spawnattr_setflags",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
    private static final MethodHandle ATTR_SETSIGMASK = LibC.bind("posix_spawnattr_setsigmask",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SPAWNP = LibC.bind("posix_spawnp",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));

    private ProcessSpawner() {
    }

    /**
     * Spawns {@code argv[0]} (searched in PATH) with {@code environment} ("NAME=value" strings).
     *
     * @param inheritedFd a descriptor of ours the child receives as {@code childFd} (must be 3 or more)
     * @param stderrPath file that receives the child's stderr (created or truncated)
     * @return the child's pid; reap it with {@link LibC#waitpid}
     */
    public static int spawn(List<String> argv, List<String> environment, int inheritedFd, int childFd, String stderrPath)
            throws SyscallException {
        if (childFd < 3) {
            throw new IllegalArgumentException("childFd must not replace stdin, stdout or stderr");
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = LibC.allocateCallState(arena);
            MemorySegment actions = arena.allocate(FILE_ACTIONS_SIZE, 16);
            MemorySegment attr = arena.allocate(SPAWN_ATTR_SIZE, 16);
            MemorySegment emptySignalSet = arena.allocate(SIGSET_SIZE, 8);
            checkResult("posix_spawn_file_actions_init", (int) ACTIONS_INIT.invokeExact(state, actions));
            checkResult("posix_spawnattr_init", (int) ATTR_INIT.invokeExact(state, attr));
            try {
                MemorySegment devNull = arena.allocateFrom("/dev/null");
                checkResult("addopen", (int) ADD_OPEN.invokeExact(state, actions, 0, devNull, LibC.O_RDONLY, 0));
                checkResult("addopen", (int) ADD_OPEN.invokeExact(state, actions, 1, devNull, LibC.O_WRONLY, 0));
                checkResult("addopen", (int) ADD_OPEN.invokeExact(state, actions, 2, arena.allocateFrom(stderrPath),
                        LibC.O_WRONLY | LibC.O_CREAT | LibC.O_TRUNC, 0600));
                checkResult("adddup2", (int) ADD_DUP2.invokeExact(state, actions, inheritedFd, childFd));
                checkResult("addclosefrom_np", (int) ADD_CLOSEFROM.invokeExact(state, actions, childFd + 1));
                checkResult("setflags", (int) ATTR_SETFLAGS.invokeExact(state, attr, (short) POSIX_SPAWN_SETSIGMASK));
                checkResult("setsigmask", (int) ATTR_SETSIGMASK.invokeExact(state, attr, emptySignalSet));
                MemorySegment pid = arena.allocate(JAVA_INT);
                MemorySegment file = arena.allocateFrom(argv.getFirst());
                int rc = (int) SPAWNP.invokeExact(state, pid, file, actions, attr,
                        stringArray(arena, argv), stringArray(arena, environment));
                checkResult("posix_spawnp " + argv.getFirst(), rc);
                return pid.get(JAVA_INT, 0);
            } finally {
                int ignoredActions = (int) ACTIONS_DESTROY.invokeExact(state, actions);
                int ignoredAttr = (int) ATTR_DESTROY.invokeExact(state, attr);
            }
        } catch (SyscallException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("posix_spawn failed", t);
        }
    }

    /** A NULL-terminated {@code char *[]}. */
    private static MemorySegment stringArray(Arena arena, List<String> strings) {
        MemorySegment array = arena.allocate(ADDRESS, strings.size() + 1L);
        for (int i = 0; i < strings.size(); i++) {
            array.setAtIndex(ADDRESS, i, arena.allocateFrom(strings.get(i)));
        }
        array.setAtIndex(ADDRESS, strings.size(), MemorySegment.NULL);
        return array;
    }

    /** The posix_spawn family returns an error number instead of setting errno. */
    private static void checkResult(String call, int rc) throws SyscallException {
        if (rc != 0) {
            throw new SyscallException(call, rc);
        }
    }
}
