package org.scoutfs.node.posix;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.scoutfs.node.posix.Libc.ErrnoException;
import org.scoutfs.node.posix.Libc.Fd;

/**
 * Runs a list of system calls in a separate JVM, optionally as another user (through
 * {@code setpriv}) and with a chosen umask, and reports each call's outcome: {@code OK} or the
 * errno name.
 *
 * <p>Permission checks, credential-dependent mode changes (setuid clearing, setgid inheritance)
 * and the umask are all properties of the calling process, so they have to be exercised from a
 * process that really has those credentials; a thread in the test JVM cannot do it without
 * affecting everything else running there. A JVM starts in about a tenth of a second here, so
 * every permission test pays for one.
 *
 * <p>The child runs only this class and {@link Libc}, copied to a world-readable directory so a
 * uid without access to the build tree can load them.
 */
public final class SyscallProbe {
    private static final String FIELD_SEPARATOR = "\t";
    private static final String UMASK_ARGUMENT_PREFIX = "--umask=";

    /** One call for the child to make; build them with the static factories. */
    record Op(String verb, List<String> args) {
        String encode() {
            List<String> fields = new ArrayList<>();
            fields.add(verb);
            fields.addAll(args);
            return String.join(FIELD_SEPARATOR, fields);
        }

        private static Op of(String verb, Object... args) {
            return new Op(verb, Arrays.stream(args).map(String::valueOf).toList());
        }

        /** open O_RDONLY and read up to 4096 bytes; the detail is the data as UTF-8. */
        static Op read(Path p) {
            return of("read", p);
        }

        /** open O_WRONLY and write {@code data} at offset 0. */
        static Op write(Path p, String data) {
            return of("write", p, data);
        }

        /** open O_WRONLY|O_TRUNC: truncation through open, as a shell's {@code >} does. */
        static Op truncateByOpen(Path p) {
            return of("otrunc", p);
        }

        /** open O_CREAT|O_EXCL|O_WRONLY with {@code mode}. */
        static Op create(Path p, int mode) {
            return of("create", p, Integer.toOctalString(mode));
        }

        static Op mkdir(Path p, int mode) {
            return of("mkdir", p, Integer.toOctalString(mode));
        }

        /** mknod of a fifo: type bits are added by the child. */
        static Op mkfifo(Path p, int mode) {
            return of("mkfifo", p, Integer.toOctalString(mode));
        }

        static Op rmdir(Path p) {
            return of("rmdir", p);
        }

        static Op unlink(Path p) {
            return of("unlink", p);
        }

        static Op rename(Path from, Path to) {
            return of("rename", from, to);
        }

        static Op link(Path existing, Path newLink) {
            return of("link", existing, newLink);
        }

        static Op symlink(String target, Path link) {
            return of("symlink", target, link);
        }

        static Op chmod(Path p, int mode) {
            return of("chmod", p, Integer.toOctalString(mode));
        }

        static Op chown(Path p, int uid, int gid) {
            return of("chown", p, uid, gid);
        }

        /** lstat; the detail is "mode(octal) uid gid". */
        static Op stat(Path p) {
            return of("stat", p);
        }

        /** Reads the directory; the detail is the number of entries. */
        static Op list(Path p) {
            return of("list", p);
        }

        /** utimensat(path, NULL): both times to now, allowed to anyone with write access. */
        static Op touchNow(Path p) {
            return of("touchnow", p);
        }

        /** utimensat with explicit seconds for both times, allowed only to the owner (or root). */
        static Op touchAt(Path p, long seconds) {
            return of("touchat", p, seconds);
        }

        static Op setxattr(Path p, String name, String value) {
            return of("setxattr", p, name, value);
        }

        /** The detail is the value as UTF-8. */
        static Op getxattr(Path p, String name) {
            return of("getxattr", p, name);
        }

        /** The detail is the names, comma separated. */
        static Op listxattr(Path p) {
            return of("listxattr", p);
        }
    }

    /** The outcome of one {@link Op}: {@code OK} or an errno name, and what the call returned. */
    record Outcome(String result, String detail) {
        boolean ok() {
            return result.equals("OK");
        }

        @Override
        public String toString() {
            return detail.isEmpty() ? result : result + " " + detail;
        }
    }

    // ---------------------------------------------------------------- launcher side (test JVM)

    private final List<String> credentials;
    private final Integer umask;

    private SyscallProbe(List<String> credentials, Integer umask) {
        this.credentials = credentials;
        this.umask = umask;
    }

    /** Runs as {@code uid}/{@code gid} with no supplementary groups and no capabilities. */
    static SyscallProbe asUser(int uid, int gid) {
        return new SyscallProbe(List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--"), null);
    }

    /** Runs with the test JVM's own credentials (root, for these tests). */
    static SyscallProbe asSelf() {
        return new SyscallProbe(List.of(), null);
    }

    SyscallProbe withUmask(int mask) {
        return new SyscallProbe(credentials, mask);
    }

    /** Runs the calls in order in one child process and returns one outcome per call. */
    List<Outcome> run(Op... ops) {
        List<String> command = new ArrayList<>(credentials);
        command.addAll(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto", "-Xmx64m",
                "--enable-native-access=ALL-UNNAMED",
                "-cp", ProbeClasses.directory().toString(), SyscallProbe.class.getName()));
        if (umask != null) {
            command.add(UMASK_ARGUMENT_PREFIX + Integer.toOctalString(umask));
        }
        for (Op op : ops) {
            command.add(op.encode());
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(Path.of("/").toFile());
        builder.environment().put("LC_ALL", "C.UTF-8");
        try {
            Process process = builder.start();
            process.getOutputStream().close();
            // Each pipe on its own thread, so a full stderr pipe cannot stall the child.
            CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> drain(process.getInputStream()),
                    task -> Thread.ofVirtual().start(task));
            CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> drain(process.getErrorStream()),
                    task -> Thread.ofVirtual().start(task));
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("syscall probe timed out: " + command);
            }
            List<String> lines = stdout.join().lines().toList();
            if (process.exitValue() != 0 || lines.size() != ops.length) {
                throw new AssertionError("syscall probe failed (exit " + process.exitValue() + "): " + stderr.join()
                        + "\nstdout: " + lines + "\ncommand: " + command);
            }
            return lines.stream().map(line -> {
                int space = line.indexOf(' ');
                return space < 0 ? new Outcome(line, "") : new Outcome(line.substring(0, space), line.substring(space
                        + 1));
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted waiting for the syscall probe", e);
        }
    }

    /** Runs a single call and returns its outcome. */
    Outcome run(Op op) {
        return run(new Op[] {op}).get(0);
    }

    private static String drain(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** The probe's class files, copied once per test JVM to a directory every uid can read. */
    private static final class ProbeClasses {
        private static Path directory;

        static synchronized Path directory() {
            if (directory == null) {
                directory = copy();
            }
            return directory;
        }

        private static Path copy() {
            try {
                Path source = Path.of(SyscallProbe.class.getProtectionDomain().getCodeSource().getLocation().toURI());
                if (!Files.isDirectory(source)) {
                    throw new IllegalStateException("the syscall probe expects test classes in a directory, not "
                            + source);
                }
                String packagePath = SyscallProbe.class.getPackageName().replace('.', '/');
                Path target = Files.createTempDirectory("scoutfs-syscall-probe-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(target)));
                Path targetPackage = Files.createDirectories(target.resolve(packagePath));
                try (Stream<Path> files = Files.list(source.resolve(packagePath))) {
                    for (Path file : files.filter(ProbeClasses::isProbeClass).toList()) {
                        Path copied = Files.copy(file, targetPackage.resolve(file.getFileName().toString()));
                        Files.setPosixFilePermissions(copied, PosixFilePermissions.fromString("rw-r--r--"));
                    }
                }
                for (Path dir = targetPackage; dir.startsWith(target); dir = dir.getParent()) {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
                return target;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (URISyntaxException e) {
                throw new IllegalStateException(e);
            }
        }

        private static boolean isProbeClass(Path file) {
            String name = file.getFileName().toString();
            return name.endsWith(".class") && (name.startsWith("SyscallProbe.") || name.startsWith("SyscallProbe$")
                    || name.startsWith("Libc.") || name.startsWith("Libc$"));
        }

        private static void deleteQuietly(Path root) {
            try (Stream<Path> walk = Files.walk(root)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException ignored) {
                // A leftover temporary directory is harmless.
            }
        }
    }

    // ---------------------------------------------------------------- child side

    /** Entry point of the child process: one argument per call, one output line per call. */
    public static void main(String[] args) {
        StringBuilder out = new StringBuilder();
        for (String arg : args) {
            if (arg.startsWith(UMASK_ARGUMENT_PREFIX)) {
                Libc.umask(Integer.parseInt(arg.substring(UMASK_ARGUMENT_PREFIX.length()), 8));
                continue;
            }
            String[] f = arg.split(FIELD_SEPARATOR, -1);
            String line;
            try {
                String detail = perform(f);
                line = detail.isEmpty() ? "OK" : "OK " + detail;
            } catch (ErrnoException e) {
                line = e.errnoName();
            } catch (RuntimeException e) {
                line = "EXCEPTION " + e;
            }
            out.append(line.replace('\n', ' ')).append('\n');
        }
        System.out.print(out);
        System.out.flush();
    }

    private static String perform(String[] f) throws ErrnoException {
        Path p = Path.of(f[1]);
        switch (f[0]) {
            case "read" -> {
                try (Fd fd = Libc.open(p, Libc.O_RDONLY)) {
                    return new String(Libc.read(fd, 4096), StandardCharsets.UTF_8);
                }
            }
            case "write" -> {
                try (Fd fd = Libc.open(p, Libc.O_WRONLY)) {
                    Libc.pwrite(fd, f[2].getBytes(StandardCharsets.UTF_8), 0);
                }
            }
            case "otrunc" -> Libc.open(p, Libc.O_WRONLY | Libc.O_TRUNC).close();
            case "create" -> Libc.open(p, Libc.O_CREAT | Libc.O_EXCL | Libc.O_WRONLY, octal(f[2])).close();
            case "mkdir" -> Libc.mkdir(p, octal(f[2]));
            case "mkfifo" -> Libc.mknod(p, Libc.S_IFIFO | octal(f[2]), 0, 0);
            case "rmdir" -> Libc.rmdir(p);
            case "unlink" -> Libc.unlink(p);
            case "rename" -> Libc.rename(p, Path.of(f[2]));
            case "link" -> Libc.link(p, Path.of(f[2]));
            case "symlink" -> Libc.symlink(f[1], Path.of(f[2]));
            case "chmod" -> Libc.chmod(p, octal(f[2]));
            case "chown" -> Libc.chown(p, Integer.parseInt(f[2]), Integer.parseInt(f[3]));
            case "stat" -> {
                Libc.Stat st = Libc.lstat(p);
                return Integer.toOctalString(st.permissions()) + " " + st.uid() + " " + st.gid();
            }
            case "list" -> {
                return String.valueOf(Libc.readDirectory(p).size());
            }
            case "touchnow" -> Libc.utimensat(p, null, null, 0);
            case "touchat" -> {
                Libc.Timespec t = new Libc.Timespec(Long.parseLong(f[2]), 0);
                Libc.utimensat(p, t, t, 0);
            }
            case "setxattr" -> Libc.setxattr(p, f[2], f[3].getBytes(StandardCharsets.UTF_8), 0);
            case "getxattr" -> {
                return new String(Libc.getxattr(p, f[2]), StandardCharsets.UTF_8);
            }
            case "listxattr" -> {
                return String.join(",", Libc.listxattr(p));
            }
            default -> throw new IllegalArgumentException("unknown probe verb " + f[0]);
        }
        return "";
    }

    private static int octal(String s) {
        return Integer.parseInt(s, 8);
    }
}
