package org.scoutfs.node.posix;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.scoutfs.node.posix.ErrnoAssertions.assertErrno;
import static org.scoutfs.node.posix.Libc.Errno.E2BIG;
import static org.scoutfs.node.posix.Libc.Errno.EACCES;
import static org.scoutfs.node.posix.Libc.Errno.EEXIST;
import static org.scoutfs.node.posix.Libc.Errno.EINVAL;
import static org.scoutfs.node.posix.Libc.Errno.EISDIR;
import static org.scoutfs.node.posix.Libc.Errno.ELOOP;
import static org.scoutfs.node.posix.Libc.Errno.ENAMETOOLONG;
import static org.scoutfs.node.posix.Libc.Errno.ENODATA;
import static org.scoutfs.node.posix.Libc.Errno.ENOENT;
import static org.scoutfs.node.posix.Libc.Errno.ENOTDIR;
import static org.scoutfs.node.posix.Libc.Errno.ENOTEMPTY;
import static org.scoutfs.node.posix.Libc.Errno.ENXIO;
import static org.scoutfs.node.posix.Libc.Errno.EOPNOTSUPP;
import static org.scoutfs.node.posix.Libc.Errno.EPERM;
import static org.scoutfs.node.posix.Libc.Errno.ERANGE;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.scoutfs.node.posix.Libc.DirEntry;
import org.scoutfs.node.posix.Libc.ErrnoException;
import org.scoutfs.node.posix.Libc.Fd;
import org.scoutfs.node.posix.Libc.Stat;
import org.scoutfs.node.posix.Libc.StatVfs;
import org.scoutfs.node.posix.Libc.Timespec;
import org.scoutfs.node.posix.SyscallProbe.Op;
import org.scoutfs.node.posix.SyscallProbe.Outcome;

/**
 * POSIX behaviour and data integrity every filesystem we mount must show, with the exact errno
 * values Linux gives. The expectations are validated against Linux's own tmpfs and ext4
 * ({@link TmpfsPosixTest}, {@link Ext4PosixTest}).
 *
 * <h2>Running it against another filesystem</h2>
 * Subclass it and implement {@link #root()}: return a fresh, empty directory on the filesystem
 * under test; it is called once before every test, and the contract deletes it (and everything
 * in it) after the test. The directory's ancestors must be searchable by
 * {@link #unprivilegedUid()}, because permission tests run calls as that user in a child process;
 * a FUSE mount therefore needs {@code allow_other} (and {@code default_permissions} unless the
 * filesystem checks permissions itself). The tests need root: they mknod devices, chown, set
 * {@code trusted.} xattrs and switch users with setpriv.
 *
 * <p>The filesystem's daemon must not run inside the test JVM while the mmap tests run (the
 * {@code mmap_}, {@code sparse_} mapping and {@code fsx_} tests): a page fault or an munmap on a
 * FUSE mapping waits for the daemon while holding the process's memory-map locks, and a daemon
 * thread in the same process that needs them (starting a thread, growing the heap, any mmap)
 * never answers, so the process hangs in uninterruptible sleep ({@code umount -f} of the mount
 * frees it). Serve the mount from another process, or override
 * {@link #supportsSharedWritableMmap()} to return false until it does.
 *
 * <p>Capability hooks ({@code supports…}, {@code reports…}, {@link #canRemount()}) default to what
 * scoutfs must provide; a filesystem that lacks a feature overrides the hook and the affected
 * tests are skipped rather than weakened. {@link #remount()} and {@link #betweenFsxPhases()} let
 * a subclass prove data survives its own remount and cache drops.
 *
 * <h2>Layout</h2>
 * Tests are grouped by a name prefix ({@code rename_}, {@code xattr_}, {@code fsx_}…) rather than
 * by {@code @Nested} classes: nested classes would be reported under this abstract class's name,
 * and a failure would not say which filesystem it came from. Run one group with, for example,
 * {@code -Dtest='Ext4PosixTest#rename_*'}.
 *
 * <h2>Tools</h2>
 * Debian packages: {@code util-linux} (setpriv), {@code mount} (mount, umount, losetup),
 * {@code acl} (setfacl, getfacl) and, for the ext4 runner, {@code e2fsprogs} (mkfs.ext4).
 * {@code attr} (getfattr/setfattr) is handy for debugging but not needed.
 */
abstract class PosixContract {

    // ---------------------------------------------------------------- what a subclass provides

    /** A fresh, empty directory on the filesystem under test; called once before each test. */
    protected abstract Path root() throws IOException;

    /** POSIX ACLs through system.posix_acl_* (setfacl/getfacl). */
    protected boolean supportsAcls() {
        return true;
    }

    /** fallocate mode 0 and FALLOC_FL_KEEP_SIZE. */
    protected boolean supportsFallocate() {
        return true;
    }

    /** fallocate FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE. */
    protected boolean supportsPunchHole() {
        return true;
    }

    /** fallocate FALLOC_FL_ZERO_RANGE (tmpfs lacks it). */
    protected boolean supportsZeroRange() {
        return true;
    }

    /** SEEK_DATA/SEEK_HOLE find real holes (a filesystem may legally report only the one at EOF). */
    protected boolean reportsHolesToSeek() {
        return true;
    }

    /** open(dir, O_TMPFILE) followed by linkat. */
    protected boolean supportsTmpfile() {
        return true;
    }

    /** mknod of character and block devices. */
    protected boolean supportsDeviceNodes() {
        return true;
    }

    /**
     * MAP_SHARED writable mappings, coherent with read/write. Return false for a FUSE daemon
     * running in the test JVM itself: see the class documentation.
     */
    protected boolean supportsSharedWritableMmap() {
        return true;
    }

    /**
     * Bytes stored through a shared mapping into the part of the EOF page beyond EOF are zeroed
     * when the file is extended, so they never become file data (ext4 on current kernels does
     * this; tmpfs does not).
     */
    protected boolean zeroesMappedStoresPastEofOnExtension() {
        return true;
    }

    /** trusted.* xattrs (root only). */
    protected boolean supportsTrustedXattrs() {
        return true;
    }

    /** security.* xattrs with arbitrary names (no LSM in the way). */
    protected boolean supportsSecurityXattrs() {
        return true;
    }

    /** The largest xattr value the filesystem stores; Linux's own limit is 65536. */
    protected int maxXattrValueSize() {
        return Libc.XATTR_SIZE_MAX;
    }

    /**
     * readdir returns entries in creation order, so an entry created later always comes after
     * earlier ones (scoutfs and tmpfs; ext4 returns hash order).
     */
    protected boolean readdirReturnsCreationOrder() {
        return true;
    }

    /** The longest symlink target; Linux allows PATH_MAX - 1 = 4095 bytes. */
    protected int maxSymlinkTargetLength() {
        return 4095;
    }

    /** statfs reports inode counts that change as files come and go. */
    protected boolean reportsInodeCounts() {
        return true;
    }

    /** Whether {@link #remount()} is possible: the filesystem keeps its contents across it. */
    protected boolean canRemount() {
        return false;
    }

    /** Unmounts and mounts the filesystem again at the same place; no descriptors are open when called. */
    protected void remount() throws IOException {
        throw new UnsupportedOperationException("remount");
    }

    /** Called between the close and the reopen of the fsx phases (drop caches, remount...). */
    protected void betweenFsxPhases() throws IOException {
    }

    /**
     * How long to wait so that a timestamp taken now differs from one taken before. Linux
     * filesystems without fine-grained timestamps advance at the timer tick (up to 10 ms).
     */
    protected Duration timestampTick() {
        return Duration.ofMillis(20);
    }

    /** How long freed space or inodes may take to show in statfs (scoutfs frees on commit). */
    protected Duration spaceReclaimTimeout() {
        return Duration.ofSeconds(30);
    }

    /** The uid the permission tests run calls as; it needs no passwd entry. */
    protected int unprivilegedUid() {
        return 1000;
    }

    protected int unprivilegedGid() {
        return 1000;
    }

    /** Another uid that owns files in the tests, never used to run anything. */
    protected int otherUid() {
        return 2000;
    }

    /** A gid that {@link #unprivilegedUid()} is not a member of (it runs with no supplementary groups). */
    protected int foreignGid() {
        return 4242;
    }

    // ---------------------------------------------------------------- per-test directory

    /** The directory this test works in: {@link #root()}'s result. */
    protected Path dir;

    @BeforeEach
    void createTestDirectory() throws IOException {
        assumeTrue(Libc.geteuid() == 0, "the POSIX contract needs root (mknod, chown, setpriv, trusted xattrs)");
        dir = root();
        assertThat(Libc.readDirectory(dir)).extracting(DirEntry::name).containsExactlyInAnyOrder(".", "..");
        // Permission tests run as another uid, which must be able to reach into the test directory.
        Libc.chmod(dir, 0755);
    }

    @AfterEach
    void removeTestDirectory() throws IOException {
        if (dir != null && Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            deleteTree(dir);
        }
    }

    /** Deletes a tree as root, whatever its modes; symlinks are removed, not followed. */
    static void deleteTree(Path top) throws IOException {
        Files.walkFileTree(top, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    // ---------------------------------------------------------------- helpers

    /** A path inside the test directory. */
    Path p(String relative) {
        return dir.resolve(relative);
    }

    static byte[] randomBytes(int length, long seed) {
        byte[] data = new byte[length];
        new Random(seed).nextBytes(data);
        return data;
    }

    static byte[] filled(int length, int value) {
        byte[] data = new byte[length];
        Arrays.fill(data, (byte) value);
        return data;
    }

    /** Byte arrays compared with a short report (first difference) instead of printing megabytes. */
    static void assertBytes(String what, byte[] actual, byte[] expected) {
        int at = Arrays.mismatch(actual, expected);
        if (at >= 0) {
            throw new AssertionError(String.format(
                    "%s: got %d bytes, expected %d; first difference at %d: %s instead of %s",
                    what, actual.length, expected.length, at, hex(actual, at), hex(expected, at)));
        }
    }

    private static String hex(byte[] bytes, int from) {
        return from >= bytes.length ? "(end)" : HexFormat.of().formatHex(bytes, from, Math.min(bytes.length, from
                + 16));
    }

    /**
     * Writes a file; a new one gets mode 0644 whatever the test JVM's umask, so the permission
     * tests do not depend on how the JVM was started.
     */
    static Path writeFile(Path path, byte[] data) throws IOException {
        boolean created = !Files.exists(path, LinkOption.NOFOLLOW_LINKS);
        Files.write(path, data);
        if (created) {
            Libc.chmod(path, 0644);
        }
        return path;
    }

    static Path writeFile(Path path, String text) throws IOException {
        return writeFile(path, text.getBytes(UTF_8));
    }

    /**
     * Makes a directory of mode 0755 whatever the test JVM's umask, keeping a setgid bit
     * inherited from its parent.
     */
    static Path mkdir(Path path) throws IOException {
        Libc.mkdir(path, 0755);
        Libc.chmod(path, 0755 | (Libc.lstat(path).permissions() & Libc.S_ISGID));
        return path;
    }

    static Stat lstat(Path path) throws ErrnoException {
        return Libc.lstat(path);
    }

    static long ino(Path path) throws ErrnoException {
        return Libc.lstat(path).ino();
    }

    static long nlink(Path path) throws ErrnoException {
        return Libc.lstat(path).nlink();
    }

    static int permissions(Path path) throws ErrnoException {
        return Libc.lstat(path).permissions();
    }

    /** Names in a directory, without "." and "..". */
    static Set<String> names(Path directory) throws ErrnoException {
        Set<String> names = new HashSet<>();
        for (DirEntry e : Libc.readDirectory(directory)) {
            if (!e.name().equals(".") && !e.name().equals("..")) {
                names.add(e.name());
            }
        }
        return names;
    }

    void awaitTimestampTick() {
        sleep(timestampTick());
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * Polls {@code condition}, syncing the filesystem first each time, until it holds or
     * {@link #spaceReclaimTimeout()} passes.
     */
    void awaitSpaceAccounting(String what, BooleanSupplier condition) throws ErrnoException {
        long deadline = System.nanoTime() + spaceReclaimTimeout().toNanos();
        while (true) {
            Libc.syncfs(dir);
            if (condition.getAsBoolean()) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(what + " did not happen within " + spaceReclaimTimeout());
            }
            sleep(Duration.ofMillis(100));
        }
    }

    StatVfs statvfs() {
        try {
            return Libc.statvfs(dir);
        } catch (ErrnoException e) {
            throw new AssertionError(e);
        }
    }

    SyscallProbe asUnprivileged() {
        return SyscallProbe.asUser(unprivilegedUid(), unprivilegedGid());
    }

    /** An operation for the syscall probe together with the outcome it must have. */
    record Expectation(Op op, String result) {
    }

    static Expectation expect(Op op, String result) {
        return new Expectation(op, result);
    }

    static Expectation expect(Op op, Libc.Errno errno) {
        return new Expectation(op, errno.name());
    }

    static final String OK = "OK";

    /** Runs the operations in one probe process and checks each outcome, reporting all mismatches at once. */
    static List<Outcome> probe(SyscallProbe probe, Expectation... expectations) {
        List<Outcome> outcomes = probe.run(Arrays.stream(expectations).map(Expectation::op).toArray(Op[]::new));
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < expectations.length; i++) {
            if (!outcomes.get(i).result().equals(expectations[i].result())) {
                mismatches.add(expectations[i].op().verb() + " " + expectations[i].op().args() + ": expected "
                        + expectations[i].result() + " but got " + outcomes.get(i));
            }
        }
        assertThat(mismatches).as("probe outcomes").isEmpty();
        return outcomes;
    }

    /** The ctime of {@code path} must advance across {@code change}. */
    void assertChangesCtime(Path path, String what, ErrnoAssertions.ErrnoCall change) throws Exception {
        assertChangesCtime(path, path, what, change);
    }

    /** As above, for a change that moves the inode from {@code before} to {@code after}. */
    void assertChangesCtime(Path before, Path after, String what, ErrnoAssertions.ErrnoCall change) throws Exception {
        Stat old = lstat(before);
        awaitTimestampTick();
        change.run();
        Stat changed = lstat(after);
        assertThat(changed.ino()).isEqualTo(old.ino());
        assertThat(changed.ctime().isAfter(old.ctime())).as("ctime of %s advances on %s (%s -> %s)",
                after.getFileName(), what, old.ctime(), changed.ctime()).isTrue();
    }

    /** mtime and ctime of every directory in {@code parents} must advance across {@code change}. */
    void assertChangesParentTimes(String what, ErrnoAssertions.ErrnoCall change, Path... parents) throws Exception {
        Map<Path, Stat> before = new HashMap<>();
        for (Path parent : parents) {
            before.put(parent, lstat(parent));
        }
        awaitTimestampTick();
        change.run();
        for (Path parent : parents) {
            Stat after = lstat(parent);
            assertThat(after.mtime().isAfter(before.get(parent).mtime()))
                    .as("mtime of %s advances on %s", parent.getFileName(), what).isTrue();
            assertThat(after.ctime().isAfter(before.get(parent).ctime()))
                    .as("ctime of %s advances on %s", parent.getFileName(), what).isTrue();
        }
    }

    /** mtime and ctime of {@code path} must stay exactly the same across {@code action}. */
    void assertKeepsTimes(Path path, String what, ErrnoAssertions.ErrnoCall action) throws Exception {
        Stat before = lstat(path);
        awaitTimestampTick();
        action.run();
        Stat after = lstat(path);
        assertThat(after.mtime()).as("mtime of %s after %s", path.getFileName(), what).isEqualTo(before.mtime());
        assertThat(after.ctime()).as("ctime of %s after %s", path.getFileName(), what).isEqualTo(before.ctime());
    }

    /** A path short enough for a unix socket address (108 bytes), through a symlink in /tmp if need be. */
    Path socketPath(String name, List<Path> cleanup) throws IOException {
        Path direct = p(name);
        if (direct.toString().length() < 100) {
            return direct;
        }
        Path shortcut = Files.createTempFile("sock", "");
        Files.delete(shortcut);
        Files.createSymbolicLink(shortcut, dir);
        cleanup.add(shortcut);
        return shortcut.resolve(name);
    }

    // ================================================================ file types

    @Test
    void types_regularFileStoresItsBytes() throws Exception {
        byte[] data = randomBytes(100_000, 1);
        Path f = writeFile(p("f"), data);
        assertBytes("file contents", Files.readAllBytes(f), data);
        Stat st = lstat(f);
        assertThat(st.isRegularFile()).isTrue();
        assertThat(st.size()).isEqualTo(data.length);
        assertThat(st.nlink()).isEqualTo(1);
        assertThat(st.uid()).isZero();
        assertThat(st.gid()).isZero();
    }

    @Test
    void types_newDirectoryHoldsOnlyDotAndDotDot() throws Exception {
        Path d = mkdir(p("d"));
        List<DirEntry> entries = Libc.readDirectory(d);
        assertThat(entries).extracting(DirEntry::name).containsExactlyInAnyOrder(".", "..");
        Map<String, DirEntry> byName = new HashMap<>();
        entries.forEach(e -> byName.put(e.name(), e));
        assertThat(byName.get(".").ino()).isEqualTo(ino(d));
        assertThat(byName.get("..").ino()).isEqualTo(ino(dir));
        assertThat(lstat(d.resolve("..")).ino()).isEqualTo(ino(dir));
        Stat st = lstat(d);
        assertThat(st.isDirectory()).isTrue();
        assertThat(st.nlink()).isEqualTo(2);
    }

    @Test
    void types_symlinkStoresItsTargetVerbatim() throws Exception {
        String target = "../no/such/../place with spaces/./x";
        Path link = p("link");
        Libc.symlink(target, link);
        assertThat(Libc.readlink(link)).isEqualTo(target);
        Stat st = lstat(link);
        assertThat(st.isSymlink()).isTrue();
        assertThat(st.size()).as("a symlink's size is its target's length").isEqualTo(target.getBytes(UTF_8).length);
        assertErrno(ENOENT, () -> Libc.stat(link));

        writeFile(p("real"), "through the link");
        Libc.symlink("real", p("relative"));
        assertThat(Libc.stat(p("relative")).ino()).isEqualTo(ino(p("real")));
        assertThat(Files.readString(p("relative"))).isEqualTo("through the link");
    }

    @Test
    void types_hardLinkSharesTheInode() throws Exception {
        Path f = writeFile(p("f"), "one");
        Path g = p("g");
        Libc.link(f, g);
        assertThat(ino(g)).isEqualTo(ino(f));
        assertThat(nlink(f)).isEqualTo(2);
        writeFile(g, "two");
        assertThat(Files.readString(f)).isEqualTo("two");
    }

    @Test
    void types_characterDeviceKeepsItsNumbers() throws Exception {
        assumeTrue(supportsDeviceNodes(), "device nodes not supported");
        Path c = p("null");
        Libc.mknod(c, Libc.S_IFCHR | 0600, 1, 3);
        Stat st = lstat(c);
        assertThat(st.type()).isEqualTo(Libc.S_IFCHR);
        assertThat(st.rdevMajor()).isEqualTo(1);
        assertThat(st.rdevMinor()).isEqualTo(3);
        assertThat(st.permissions()).isEqualTo(0600);
    }

    @Test
    void types_blockDeviceKeepsItsNumbersIncludingLargeOnes() throws Exception {
        assumeTrue(supportsDeviceNodes(), "device nodes not supported");
        Path b = p("loop");
        Libc.mknod(b, Libc.S_IFBLK | 0600, 7, 0);
        Stat st = lstat(b);
        assertThat(st.type()).isEqualTo(Libc.S_IFBLK);
        assertThat(st.rdevMajor()).isEqualTo(7);
        assertThat(st.rdevMinor()).isEqualTo(0);

        // Beyond 8-bit major/minor, dev_t needs the 12/20-bit encoding.
        Path big = p("big");
        Libc.mknod(big, Libc.S_IFBLK | 0600, 4095, 1048575);
        assertThat(lstat(big).rdevMajor()).isEqualTo(4095);
        assertThat(lstat(big).rdevMinor()).isEqualTo(1048575);
    }

    @Test
    void types_fifoPassesDataBetweenItsEnds() throws Exception {
        Path fifo = p("fifo");
        Libc.mknod(fifo, Libc.S_IFIFO | 0600, 0, 0);
        assertThat(lstat(fifo).type()).isEqualTo(Libc.S_IFIFO);
        assertThat(lstat(fifo).size()).isZero();
        try (Fd reader = Libc.open(fifo, Libc.O_RDONLY | Libc.O_NONBLOCK);
                Fd writer = Libc.open(fifo, Libc.O_WRONLY)) {
            Libc.write(writer, "ping".getBytes(UTF_8));
            assertThat(new String(Libc.read(reader, 16), UTF_8)).isEqualTo("ping");
        }
    }

    @Test
    void types_unixSocketBoundToAPathAcceptsConnections() throws Exception {
        List<Path> cleanup = new ArrayList<>();
        try {
            Path path = socketPath("sock", cleanup);
            UnixDomainSocketAddress address = UnixDomainSocketAddress.of(path);
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(address);
                assertThat(lstat(p("sock")).type()).isEqualTo(Libc.S_IFSOCK);
                try (SocketChannel client = SocketChannel.open(address); SocketChannel accepted = server.accept()) {
                    client.write(ByteBuffer.wrap("hello".getBytes(UTF_8)));
                    ByteBuffer received = ByteBuffer.allocate(5);
                    while (received.hasRemaining()) {
                        accepted.read(received);
                    }
                    assertThat(new String(received.array(), UTF_8)).isEqualTo("hello");
                }
            }
            assertThat(lstat(p("sock")).type()).as("the socket inode outlives the listener").isEqualTo(Libc.S_IFSOCK);
        } finally {
            for (Path shortcut : cleanup) {
                Files.deleteIfExists(shortcut);
            }
        }
    }

    @Test
    void types_unixSocketNodeCanBeMadeWithMknod() throws Exception {
        Path sock = p("sock");
        Libc.mknod(sock, Libc.S_IFSOCK | 0600, 0, 0);
        assertThat(lstat(sock).type()).isEqualTo(Libc.S_IFSOCK);
    }

    @Test
    void types_readdirReportsTheTypeAndInodeOfEveryEntry() throws Exception {
        writeFile(p("file"), "x");
        mkdir(p("dir"));
        Libc.symlink("file", p("symlink"));
        Libc.mknod(p("fifo"), Libc.S_IFIFO | 0600, 0, 0);
        Libc.mknod(p("socket"), Libc.S_IFSOCK | 0600, 0, 0);
        Map<String, Integer> expectedTypes = new HashMap<>(Map.of(
                "file", Libc.DT_REG, "dir", Libc.DT_DIR, "symlink", Libc.DT_LNK, "fifo", Libc.DT_FIFO,
                "socket", Libc.DT_SOCK, ".", Libc.DT_DIR, "..", Libc.DT_DIR));
        if (supportsDeviceNodes()) {
            Libc.mknod(p("chr"), Libc.S_IFCHR | 0600, 1, 3);
            Libc.mknod(p("blk"), Libc.S_IFBLK | 0600, 7, 0);
            expectedTypes.put("chr", Libc.DT_CHR);
            expectedTypes.put("blk", Libc.DT_BLK);
        }
        Map<String, Integer> types = new HashMap<>();
        for (DirEntry e : Libc.readDirectory(dir)) {
            types.put(e.name(), e.type());
            if (!e.name().equals("..")) {
                assertThat(e.ino()).as("d_ino of %s", e.name()).isEqualTo(ino(p(e.name())));
            }
        }
        assertThat(types).isEqualTo(expectedTypes);
    }

    // ================================================================ creating and removing names

    @Test
    void namespace_exclusiveCreateRefusesEveryExistingName() throws Exception {
        Path f = p("f");
        Libc.open(f, Libc.O_CREAT | Libc.O_EXCL | Libc.O_WRONLY, 0644).close();
        assertErrno(EEXIST, () -> Libc.open(f, Libc.O_CREAT | Libc.O_EXCL | Libc.O_WRONLY, 0644));
        mkdir(p("d"));
        assertErrno(EEXIST, () -> Libc.open(p("d"), Libc.O_CREAT | Libc.O_EXCL | Libc.O_WRONLY, 0644));
        // O_EXCL does not follow a final symlink, even a dangling one, so nothing is created.
        Libc.symlink("target", p("dangling"));
        assertErrno(EEXIST, () -> Libc.open(p("dangling"), Libc.O_CREAT | Libc.O_EXCL | Libc.O_WRONLY, 0644));
        assertThat(Files.exists(p("target"))).isFalse();
    }

    @Test
    void namespace_createThroughADanglingSymlinkCreatesItsTarget() throws Exception {
        Libc.symlink("target", p("dangling"));
        Libc.open(p("dangling"), Libc.O_CREAT | Libc.O_WRONLY, 0644).close();
        assertThat(lstat(p("target")).isRegularFile()).isTrue();
    }

    @Test
    void namespace_openErrors() throws Exception {
        Path f = writeFile(p("f"), "x");
        Path d = mkdir(p("d"));
        assertErrno(ENOENT, () -> Libc.open(p("missing"), Libc.O_RDONLY));
        assertErrno(ENOENT, () -> Libc.open(p("missing/x"), Libc.O_CREAT | Libc.O_WRONLY, 0644));
        assertErrno(EISDIR, () -> Libc.open(d, Libc.O_WRONLY));
        assertErrno(EISDIR, () -> Libc.open(d, Libc.O_RDWR));
        assertErrno(ENOTDIR, () -> Libc.open(f, Libc.O_RDONLY | Libc.O_DIRECTORY));
        assertErrno(ENOTDIR, () -> Libc.open(f.resolve("x"), Libc.O_RDONLY));
        assertErrno(ENOTDIR, () -> Libc.open(f.resolve("x"), Libc.O_CREAT | Libc.O_WRONLY, 0644));
        try (Fd parent = Libc.openDirectory(dir)) {
            // Through the *at call: java.nio.file.Path would drop the trailing slash.
            assertErrno(ENOTDIR, () -> Libc.lstatat(parent, "f/"));
        }
        assertErrno(ENOTDIR, () -> Libc.mkdir(f.resolve("x"), 0755));
    }

    @Test
    void namespace_unlinkErrors() throws Exception {
        Path d = mkdir(p("d"));
        assertErrno(ENOENT, () -> Libc.unlink(p("missing")));
        assertErrno(EISDIR, () -> Libc.unlink(d));
        assertThat(lstat(d).isDirectory()).isTrue();
    }

    @Test
    void namespace_rmdirErrors() throws Exception {
        Path f = writeFile(p("f"), "x");
        Path withFile = mkdir(p("withFile"));
        writeFile(withFile.resolve("child"), "x");
        Path withDir = mkdir(p("withDir"));
        mkdir(withDir.resolve("child"));
        Path d = mkdir(p("d"));
        Libc.symlink("d", p("linkToDir"));

        assertErrno(ENOENT, () -> Libc.rmdir(p("missing")));
        assertErrno(ENOTEMPTY, () -> Libc.rmdir(withFile));
        assertErrno(ENOTEMPTY, () -> Libc.rmdir(withDir));
        assertErrno(ENOTDIR, () -> Libc.rmdir(f));
        assertErrno(ENOTDIR, () -> Libc.rmdir(p("linkToDir")));
        assertErrno(EINVAL, () -> Libc.rmdir(d.resolve(".")));
        assertThat(names(dir)).contains("withFile", "withDir", "d", "f");
    }

    @Test
    void namespace_creatingOverAnExistingNameFailsWithEEXIST() throws Exception {
        writeFile(p("f"), "x");
        mkdir(p("d"));
        Libc.symlink("nowhere", p("dangling"));
        for (String name : List.of("f", "d", "dangling")) {
            assertErrno(EEXIST, () -> Libc.mkdir(p(name), 0755));
            assertErrno(EEXIST, () -> Libc.mknod(p(name), Libc.S_IFIFO | 0644, 0, 0));
            assertErrno(EEXIST, () -> Libc.symlink("x", p(name)));
        }
    }

    @Test
    void namespace_removedNamesAreGone() throws Exception {
        Path f = writeFile(p("f"), "x");
        Path d = mkdir(p("d"));
        Libc.unlink(f);
        Libc.rmdir(d);
        assertErrno(ENOENT, () -> Libc.lstat(f));
        assertErrno(ENOENT, () -> Libc.lstat(d));
        assertThat(names(dir)).isEmpty();
        assertThat(nlink(dir)).isEqualTo(2);
    }

    // ================================================================ names

    static final String LONGEST_NAME = "n".repeat(Libc.NAME_MAX);
    static final String TOO_LONG_NAME = "n".repeat(Libc.NAME_MAX + 1);

    @Test
    void names_namesOf255BytesWorkEverywhere() throws Exception {
        Path d = mkdir(p("d"));
        Path target = writeFile(p("target"), "x");
        Path file = writeFile(d.resolve(LONGEST_NAME), "data");
        assertThat(Files.readString(file)).isEqualTo("data");
        Libc.rename(file, p(LONGEST_NAME));
        mkdir(d.resolve(LONGEST_NAME));
        Libc.symlink("target", p("s" + LONGEST_NAME.substring(1)));
        Libc.link(target, p("l" + LONGEST_NAME.substring(1)));
        Libc.mknod(p("f" + LONGEST_NAME.substring(1)), Libc.S_IFIFO | 0600, 0, 0);
        assertThat(names(dir)).contains(LONGEST_NAME, "s" + LONGEST_NAME.substring(1), "l" + LONGEST_NAME.substring(1),
                "f" + LONGEST_NAME.substring(1));
        assertThat(names(d)).containsExactly(LONGEST_NAME);
    }

    @Test
    void names_namesOf256BytesFailWithENAMETOOLONG() throws Exception {
        Path f = writeFile(p("f"), "x");
        Path tooLongPath = p(TOO_LONG_NAME);
        assertErrno(ENAMETOOLONG, () -> Libc.open(tooLongPath, Libc.O_CREAT | Libc.O_WRONLY, 0644));
        assertErrno(ENAMETOOLONG, () -> Libc.mkdir(tooLongPath, 0755));
        assertErrno(ENAMETOOLONG, () -> Libc.symlink("f", tooLongPath));
        assertErrno(ENAMETOOLONG, () -> Libc.link(f, tooLongPath));
        assertErrno(ENAMETOOLONG, () -> Libc.rename(f, tooLongPath));
        assertErrno(ENAMETOOLONG, () -> Libc.mknod(tooLongPath, Libc.S_IFIFO | 0600, 0, 0));
        // Lookups of an over-long name fail the same way rather than with ENOENT.
        assertErrno(ENAMETOOLONG, () -> Libc.lstat(tooLongPath));
        assertErrno(ENAMETOOLONG, () -> Libc.unlink(tooLongPath));
        assertThat(names(dir)).containsExactly("f");
    }

    @Test
    void names_nameLimitCountsUtf8BytesNotCharacters() throws Exception {
        String fits = "é".repeat(127) + "x"; // 255 bytes, 128 characters
        String overflows = "é".repeat(128); // 256 bytes
        try (Fd d = Libc.openDirectory(dir)) {
            Libc.openat(d, fits, Libc.O_CREAT | Libc.O_EXCL | Libc.O_WRONLY, 0644).close();
            assertErrno(ENAMETOOLONG, () -> Libc.openat(d, overflows, Libc.O_CREAT | Libc.O_WRONLY, 0644));
            assertErrno(ENAMETOOLONG, () -> Libc.mkdirat(d, overflows, 0755));
            assertThat(Libc.lstatat(d, fits).isRegularFile()).isTrue();
            Libc.unlinkat(d, fits, 0);
        }
    }

    @Test
    void names_unusualCharactersRoundTrip() throws Exception {
        List<String> unusual = List.of("with space", "new\nline", "tab\there", "back\\slash", "-leading-dash", "...",
                "*?[]", "\u0001control", "日本語", "emoji\uD83D\uDE00", "trailing space ", ".hidden");
        try (Fd d = Libc.openDirectory(dir)) {
            for (String name : unusual) {
                Libc.openat(d, name, Libc.O_CREAT | Libc.O_EXCL | Libc.O_WRONLY, 0644).close();
            }
            assertThat(names(dir)).containsExactlyInAnyOrderElementsOf(unusual);
            for (String name : unusual) {
                assertThat(Libc.lstatat(d, name).isRegularFile()).as(name).isTrue();
                Libc.unlinkat(d, name, 0);
            }
        }
        assertThat(names(dir)).isEmpty();
    }

    @Test
    void names_symlinkTargetsUpToTheLimitAreKept() throws Exception {
        int max = maxSymlinkTargetLength();
        String longTarget = ("abcdefg/").repeat(max / 8 + 1).substring(0, max - 1) + "z";
        assertThat(longTarget.length()).isEqualTo(max);
        Libc.symlink(longTarget, p("long"));
        assertThat(Libc.readlink(p("long"))).isEqualTo(longTarget);
        assertThat(lstat(p("long")).size()).isEqualTo(max);
        assertErrno(ENAMETOOLONG, () -> Libc.symlink(longTarget + "z".repeat(4096 - max), p("tooLong")));
        assertErrno(ENOENT, () -> Libc.symlink("", p("empty")));
    }

    // ================================================================ symlink resolution

    @Test
    void symlink_loopsFailWithELOOP() throws Exception {
        Libc.symlink("b", p("a"));
        Libc.symlink("a", p("b"));
        Libc.symlink("self", p("self"));
        for (String name : List.of("a", "b", "self")) {
            assertErrno(ELOOP, () -> Libc.open(p(name), Libc.O_RDONLY));
            assertErrno(ELOOP, () -> Libc.stat(p(name)));
            assertErrno(ELOOP, () -> Libc.open(p(name), Libc.O_CREAT | Libc.O_WRONLY, 0644));
            assertThat(lstat(p(name)).isSymlink()).isTrue();
        }
        assertErrno(ELOOP, () -> Libc.stat(p("a/x")));
    }

    @Test
    void symlink_noFollowRefusesAFinalSymlink() throws Exception {
        Path f = writeFile(p("f"), "x");
        Libc.symlink("f", p("link"));
        assertErrno(ELOOP, () -> Libc.open(p("link"), Libc.O_RDONLY | Libc.O_NOFOLLOW));
        assertErrno(ELOOP, () -> Libc.open(p("link"), Libc.O_WRONLY | Libc.O_NOFOLLOW));
        Libc.open(f, Libc.O_RDONLY | Libc.O_NOFOLLOW).close();
        // O_PATH|O_NOFOLLOW opens the symlink itself.
        try (Fd link = Libc.open(p("link"), Libc.O_PATH | Libc.O_NOFOLLOW)) {
            assertThat(Libc.fstat(link).isSymlink()).isTrue();
        }
    }

    @Test
    void symlink_fortyNestedSymlinksResolveButFortyOneDoNot() throws Exception {
        Path f = writeFile(p("f"), "end");
        String previous = "f";
        for (int i = 1; i <= 41; i++) {
            Libc.symlink(previous, p("l" + i));
            previous = "l" + i;
        }
        assertThat(Libc.stat(p("l40")).ino()).isEqualTo(ino(f));
        assertErrno(ELOOP, () -> Libc.stat(p("l41")));
    }

    @Test
    void symlink_relativeTargetsResolveFromTheLinksDirectory() throws Exception {
        Path f = writeFile(p("f"), "x");
        Path sub = mkdir(p("sub"));
        Libc.symlink("../f", sub.resolve("up"));
        Libc.symlink("sub", p("down"));
        assertThat(Libc.stat(sub.resolve("up")).ino()).isEqualTo(ino(f));
        assertThat(Libc.stat(p("down/up")).ino()).isEqualTo(ino(f));
        Libc.mkdir(p("down/made-through-link"), 0755);
        assertThat(lstat(sub.resolve("made-through-link")).isDirectory()).isTrue();
    }

    @Test
    void symlink_lchownChangesTheLinkNotItsTarget() throws Exception {
        Path f = writeFile(p("f"), "x");
        Path link = p("link");
        Libc.symlink("f", link);
        Libc.lchown(link, otherUid(), foreignGid());
        assertThat(lstat(link).uid()).isEqualTo(otherUid());
        assertThat(lstat(link).gid()).isEqualTo(foreignGid());
        assertThat(lstat(f).uid()).isZero();
        Libc.chown(link, unprivilegedUid(), -1);
        assertThat(lstat(f).uid()).isEqualTo(unprivilegedUid());
        assertThat(lstat(link).uid()).isEqualTo(otherUid());
    }

    // ================================================================ rename

    @Test
    void rename_withinADirectoryKeepsTheInode() throws Exception {
        Path f = writeFile(p("f"), "data");
        long inode = ino(f);
        long parentLinks = nlink(dir);
        Libc.rename(f, p("g"));
        assertErrno(ENOENT, () -> Libc.lstat(f));
        assertThat(ino(p("g"))).isEqualTo(inode);
        assertThat(Files.readString(p("g"))).isEqualTo("data");
        assertThat(nlink(dir)).isEqualTo(parentLinks);
        assertThat(names(dir)).containsExactly("g");
    }

    @Test
    void rename_acrossDirectoriesKeepsTheInode() throws Exception {
        Path a = mkdir(p("a"));
        Path b = mkdir(p("b"));
        Path f = writeFile(a.resolve("f"), "data");
        long inode = ino(f);
        Libc.rename(f, b.resolve("moved"));
        assertThat(names(a)).isEmpty();
        assertThat(names(b)).containsExactly("moved");
        assertThat(ino(b.resolve("moved"))).isEqualTo(inode);
        assertThat(nlink(a)).isEqualTo(2);
        assertThat(nlink(b)).isEqualTo(2);
    }

    @Test
    void rename_overAnExistingFileReplacesItAndReleasesTheOldInode() throws Exception {
        Path src = writeFile(p("src"), "new");
        Path dst = writeFile(p("dst"), "old");
        Path alsoDst = p("alsoDst");
        Libc.link(dst, alsoDst);
        long srcInode = ino(src);
        Libc.rename(src, dst);
        assertThat(ino(dst)).isEqualTo(srcInode);
        assertThat(Files.readString(dst)).isEqualTo("new");
        assertThat(nlink(alsoDst)).as("the replaced inode lost one name").isEqualTo(1);
        assertThat(Files.readString(alsoDst)).isEqualTo("old");

        // The last name of an open inode: the inode lives on, with no links, until closed.
        Path src2 = writeFile(p("src2"), "newer");
        try (Fd replaced = Libc.open(alsoDst, Libc.O_RDONLY)) {
            Libc.rename(src2, alsoDst);
            assertThat(Libc.fstat(replaced).nlink()).isZero();
            assertThat(new String(Libc.pread(replaced, 10, 0), UTF_8)).isEqualTo("old");
        }
        assertThat(Files.readString(alsoDst)).isEqualTo("newer");
        assertThat(names(dir)).containsExactlyInAnyOrder("dst", "alsoDst");
    }

    @Test
    void rename_overAnEmptyDirectoryReplacesIt() throws Exception {
        Path src = mkdir(p("src"));
        writeFile(src.resolve("child"), "x");
        Path empty = mkdir(p("empty"));
        long srcInode = ino(src);
        assertThat(nlink(dir)).isEqualTo(4);
        Libc.rename(src, empty);
        assertThat(ino(empty)).isEqualTo(srcInode);
        assertThat(names(empty)).containsExactly("child");
        assertThat(nlink(dir)).as("one subdirectory fewer").isEqualTo(3);
    }

    @Test
    void rename_overANonEmptyDirectoryFailsWithENOTEMPTY() throws Exception {
        Path src = mkdir(p("src"));
        Path full = mkdir(p("full"));
        writeFile(full.resolve("child"), "x");
        assertErrno(ENOTEMPTY, () -> Libc.rename(src, full));
        assertThat(names(full)).containsExactly("child");
        assertThat(lstat(src).isDirectory()).isTrue();
    }

    @Test
    void rename_fileOverDirectoryFailsWithEISDIR() throws Exception {
        Path f = writeFile(p("f"), "x");
        Path d = mkdir(p("d"));
        assertErrno(EISDIR, () -> Libc.rename(f, d));
        assertThat(lstat(f).isRegularFile()).isTrue();
        assertThat(lstat(d).isDirectory()).isTrue();
    }

    @Test
    void rename_directoryOverFileFailsWithENOTDIR() throws Exception {
        Path f = writeFile(p("f"), "x");
        Path d = mkdir(p("d"));
        assertErrno(ENOTDIR, () -> Libc.rename(d, f));
        assertThat(lstat(f).isRegularFile()).isTrue();
        assertThat(lstat(d).isDirectory()).isTrue();
    }

    @Test
    void rename_directoryIntoItsOwnSubtreeFailsWithEINVAL() throws Exception {
        Path d = mkdir(p("d"));
        Path sub = mkdir(d.resolve("sub"));
        assertErrno(EINVAL, () -> Libc.rename(d, d.resolve("inside")));
        assertErrno(EINVAL, () -> Libc.rename(d, sub.resolve("deeper")));
        assertErrno(EINVAL, () -> Libc.rename(d, mkdir(sub.resolve("emptyTarget"))));
        assertThat(names(dir)).containsExactly("d");
    }

    @Test
    void rename_missingSourceFailsWithENOENT() throws Exception {
        assertErrno(ENOENT, () -> Libc.rename(p("missing"), p("target")));
        assertThat(names(dir)).isEmpty();
    }

    @Test
    void rename_ontoItselfIsANoOp() throws Exception {
        Path f = writeFile(p("f"), "x");
        Path d = mkdir(p("d"));
        Libc.rename(f, f);
        Libc.rename(d, d);
        assertThat(names(dir)).containsExactlyInAnyOrder("f", "d");
    }

    @Test
    void rename_betweenTwoHardLinksOfOneInodeIsANoOp() throws Exception {
        Path f = writeFile(p("f"), "x");
        Path g = p("g");
        Libc.link(f, g);
        // POSIX: when both names are the same file, rename does nothing and succeeds.
        Libc.rename(f, g);
        assertThat(names(dir)).containsExactlyInAnyOrder("f", "g");
        assertThat(nlink(f)).isEqualTo(2);
    }

    @Test
    void rename_noReplaceRefusesAnExistingTarget() throws Exception {
        Path f = writeFile(p("f"), "f");
        Path g = writeFile(p("g"), "g");
        Path d = mkdir(p("d"));
        assertErrno(EEXIST, () -> Libc.renameat2(f, g, Libc.RENAME_NOREPLACE));
        assertErrno(EEXIST, () -> Libc.renameat2(d, g, Libc.RENAME_NOREPLACE));
        assertErrno(EEXIST, () -> Libc.renameat2(f, d, Libc.RENAME_NOREPLACE));
        assertThat(Files.readString(f)).isEqualTo("f");
        assertThat(Files.readString(g)).isEqualTo("g");
        Libc.renameat2(f, p("free"), Libc.RENAME_NOREPLACE);
        assertThat(Files.readString(p("free"))).isEqualTo("f");
    }

    @Test
    void rename_exchangeSwapsAFileAndADirectoryAcrossDirectories() throws Exception {
        Path a = mkdir(p("a"));
        Path b = mkdir(p("b"));
        Path file = writeFile(a.resolve("file"), "data");
        Path sub = mkdir(b.resolve("sub"));
        writeFile(sub.resolve("child"), "c");
        long fileInode = ino(file);
        long subInode = ino(sub);
        assertThat(nlink(a)).isEqualTo(2);
        assertThat(nlink(b)).isEqualTo(3);

        Libc.renameat2(file, sub, Libc.RENAME_EXCHANGE);

        assertThat(ino(a.resolve("file"))).isEqualTo(subInode);
        assertThat(ino(b.resolve("sub"))).isEqualTo(fileInode);
        assertThat(lstat(a.resolve("file")).isDirectory()).isTrue();
        assertThat(Files.readString(b.resolve("sub"))).isEqualTo("data");
        assertThat(names(a.resolve("file"))).containsExactly("child");
        assertThat(nlink(a)).as("a gained a subdirectory").isEqualTo(3);
        assertThat(nlink(b)).as("b lost its subdirectory").isEqualTo(2);
        assertThat(nlink(a.resolve("file"))).isEqualTo(2);
        assertThat(Libc.stat(a.resolve("file/..")).ino()).as("'..' of the moved directory").isEqualTo(ino(a));
        assertThat(dotDotEntry(a.resolve("file")).ino()).isEqualTo(ino(a));
    }

    @Test
    void rename_exchangeNeedsBothNamesAndExcludesNoReplace() throws Exception {
        Path f = writeFile(p("f"), "x");
        Path g = writeFile(p("g"), "y");
        assertErrno(ENOENT, () -> Libc.renameat2(f, p("missing"), Libc.RENAME_EXCHANGE));
        assertErrno(EINVAL, () -> Libc.renameat2(f, g, Libc.RENAME_EXCHANGE | Libc.RENAME_NOREPLACE));
        Libc.renameat2(f, g, Libc.RENAME_EXCHANGE);
        assertThat(Files.readString(f)).isEqualTo("y");
        assertThat(Files.readString(g)).isEqualTo("x");
    }

    @Test
    void rename_movingADirectoryRepointsDotDotAndLinkCounts() throws Exception {
        Path a = mkdir(p("a"));
        Path b = mkdir(p("b"));
        Path d = mkdir(a.resolve("d"));
        mkdir(d.resolve("grandchild"));
        Libc.rename(d, b.resolve("d"));
        assertThat(nlink(a)).isEqualTo(2);
        assertThat(nlink(b)).isEqualTo(3);
        assertThat(nlink(b.resolve("d"))).isEqualTo(3);
        assertThat(Libc.stat(b.resolve("d/..")).ino()).isEqualTo(ino(b));
        assertThat(dotDotEntry(b.resolve("d")).ino()).isEqualTo(ino(b));
        assertThat(Libc.stat(b.resolve("d/grandchild/../..")).ino()).isEqualTo(ino(b));
    }

    private DirEntry dotDotEntry(Path directory) throws ErrnoException {
        return Libc.readDirectory(directory).stream().filter(e -> e.name().equals("..")).findFirst().orElseThrow();
    }

    // ================================================================ link counts

    @Test
    void nlink_directoriesCountTwoPlusTheirSubdirectories() throws Exception {
        Path d = mkdir(p("d"));
        assertThat(nlink(d)).isEqualTo(2);
        for (String name : List.of("s1", "s2", "s3")) {
            mkdir(d.resolve(name));
        }
        writeFile(d.resolve("file"), "files do not count");
        Libc.symlink("s1", d.resolve("link"));
        assertThat(nlink(d)).isEqualTo(5);
        Libc.rmdir(d.resolve("s3"));
        assertThat(nlink(d)).isEqualTo(4);
        Path elsewhere = mkdir(p("elsewhere"));
        Libc.rename(d.resolve("s2"), elsewhere.resolve("s2"));
        assertThat(nlink(d)).isEqualTo(3);
        assertThat(nlink(elsewhere)).isEqualTo(3);
        Libc.rename(d.resolve("s1"), d.resolve("renamed"));
        assertThat(nlink(d)).isEqualTo(3);
        assertThat(nlink(dir)).isEqualTo(4);
    }

    @Test
    void nlink_filesCountTheirHardLinks() throws Exception {
        Path f = writeFile(p("f"), "shared");
        Path sub = mkdir(p("sub"));
        assertThat(nlink(f)).isEqualTo(1);
        Libc.link(f, p("g"));
        Libc.link(f, sub.resolve("h"));
        assertThat(nlink(f)).isEqualTo(3);
        Libc.rename(p("g"), sub.resolve("g"));
        assertThat(nlink(f)).as("rename moves a link, it does not add one").isEqualTo(3);
        Libc.unlink(f);
        assertThat(nlink(sub.resolve("h"))).isEqualTo(2);
        Libc.unlink(sub.resolve("g"));
        assertThat(nlink(sub.resolve("h"))).isEqualTo(1);
        assertThat(Files.readString(sub.resolve("h"))).isEqualTo("shared");
        assertThat(nlink(sub)).as("hard links to files do not count for directories").isEqualTo(2);
    }

    @Test
    void nlink_linkErrors() throws Exception {
        Path f = writeFile(p("f"), "x");
        Path d = mkdir(p("d"));
        writeFile(p("taken"), "y");
        assertErrno(EPERM, () -> Libc.link(d, p("dirlink")));
        assertErrno(EEXIST, () -> Libc.link(f, p("taken")));
        assertErrno(ENOENT, () -> Libc.link(p("missing"), p("new")));
        assertThat(nlink(f)).isEqualTo(1);
    }

    @Test
    void nlink_linkingASymlinkLinksTheSymlinkItself() throws Exception {
        writeFile(p("f"), "x");
        Libc.symlink("f", p("s"));
        Libc.link(p("s"), p("s2"));
        assertThat(lstat(p("s2")).isSymlink()).isTrue();
        assertThat(nlink(p("s"))).isEqualTo(2);
        assertThat(nlink(p("f"))).isEqualTo(1);
        Libc.linkat(p("s"), p("followed"), Libc.AT_SYMLINK_FOLLOW);
        assertThat(nlink(p("f"))).isEqualTo(2);
    }

    // ================================================================ permissions

    @Test
    void perm_writingIntoAReadOnlyDirectoryFailsWithEACCES() throws Exception {
        Path d = mkdir(p("readonly"));
        // The user owns the file too, so fs.protected_hardlinks cannot refuse the link with EPERM first.
        Libc.chown(writeFile(d.resolve("existing"), "x"), unprivilegedUid(), unprivilegedGid());
        Libc.chmod(d, 0555);
        // Even the directory's owner needs write permission on it.
        Libc.chown(d, unprivilegedUid(), unprivilegedGid());
        probe(asUnprivileged(),
                expect(Op.create(d.resolve("new"), 0644), EACCES),
                expect(Op.mkdir(d.resolve("newdir"), 0755), EACCES),
                expect(Op.mkfifo(d.resolve("fifo"), 0644), EACCES),
                expect(Op.symlink("x", d.resolve("link")), EACCES),
                expect(Op.link(d.resolve("existing"), d.resolve("hard")), EACCES),
                expect(Op.unlink(d.resolve("existing")), EACCES),
                expect(Op.rename(d.resolve("existing"), d.resolve("renamed")), EACCES),
                expect(Op.read(d.resolve("existing")), OK),
                expect(Op.list(d), OK));
        assertThat(names(d)).containsExactly("existing");
        // Root is not bound by the mode bits.
        writeFile(d.resolve("byRoot"), "x");
        Libc.unlink(d.resolve("existing"));
        assertThat(names(d)).containsExactly("byRoot");
    }

    @Test
    void perm_readingAnUnreadableFileFailsWithEACCES() throws Exception {
        Path f = writeFile(p("secret"), "secret");
        Libc.chmod(f, 0000);
        probe(asUnprivileged(),
                expect(Op.read(f), EACCES),
                expect(Op.write(f, "x"), EACCES),
                expect(Op.stat(f), OK));
        assertThat(Files.readString(f)).as("root reads mode 0000 files").isEqualTo("secret");
    }

    @Test
    void perm_searchingADirectoryWithoutExecuteFailsWithEACCES() throws Exception {
        Path noSearch = mkdir(p("noSearch"));
        writeFile(noSearch.resolve("f"), "x");
        Libc.chmod(noSearch, 0666);
        Path noRead = mkdir(p("noRead"));
        writeFile(noRead.resolve("f"), "x");
        Libc.chmod(noRead.resolve("f"), 0644);
        Libc.chmod(noRead, 0711);
        List<Outcome> outcomes = probe(asUnprivileged(),
                expect(Op.stat(noSearch.resolve("f")), EACCES),
                expect(Op.read(noSearch.resolve("f")), EACCES),
                expect(Op.list(noSearch), OK),
                expect(Op.list(noRead), EACCES),
                expect(Op.read(noRead.resolve("f")), OK));
        assertThat(outcomes.get(2).detail()).as("names are readable without search permission").isEqualTo("3");
    }

    @Test
    void perm_onlyRootMayGiveAwayFiles() throws Exception {
        Path f = writeFile(p("mine"), "x");
        Libc.chown(f, unprivilegedUid(), unprivilegedGid());
        probe(asUnprivileged(),
                expect(Op.chown(f, 0, 0), EPERM),
                expect(Op.chown(f, otherUid(), -1), EPERM),
                expect(Op.chown(f, -1, foreignGid()), EPERM),
                expect(Op.chown(f, unprivilegedUid(), unprivilegedGid()), OK));
        assertThat(lstat(f).uid()).isEqualTo(unprivilegedUid());
        Libc.chown(f, otherUid(), foreignGid());
        assertThat(lstat(f).uid()).isEqualTo(otherUid());
        assertThat(lstat(f).gid()).isEqualTo(foreignGid());
    }

    @Test
    void perm_onlyTheOwnerOrRootMayChmod() throws Exception {
        Path rootsFile = writeFile(p("roots"), "x");
        Libc.chmod(rootsFile, 0666);
        Path ownFile = writeFile(p("own"), "x");
        Libc.chown(ownFile, unprivilegedUid(), unprivilegedGid());
        probe(asUnprivileged(),
                expect(Op.chmod(rootsFile, 0600), EPERM),
                expect(Op.chmod(ownFile, 0600), OK));
        assertThat(permissions(rootsFile)).isEqualTo(0666);
        assertThat(permissions(ownFile)).isEqualTo(0600);
    }

    @Test
    void perm_stickyDirectoryProtectsOtherUsersEntries() throws Exception {
        Path sticky = mkdir(p("sticky"));
        Libc.chmod(sticky, 01777);
        Path rootsFile = writeFile(sticky.resolve("roots"), "x");
        Libc.chmod(rootsFile, 0666);
        Path othersFile = writeFile(sticky.resolve("others"), "x");
        Libc.chown(othersFile, otherUid(), foreignGid());
        Libc.chmod(othersFile, 0666);
        Path plain = mkdir(p("plain"));
        Libc.chmod(plain, 0777);
        Path rootsFileInPlain = writeFile(plain.resolve("roots"), "x");

        probe(asUnprivileged(),
                expect(Op.unlink(rootsFile), EPERM),
                expect(Op.rename(othersFile, sticky.resolve("taken")), EPERM),
                expect(Op.create(sticky.resolve("own"), 0644), OK),
                expect(Op.rename(sticky.resolve("own"), sticky.resolve("own2")), OK),
                expect(Op.unlink(sticky.resolve("own2")), OK),
                expect(Op.unlink(rootsFileInPlain), OK));
        assertThat(names(sticky)).containsExactlyInAnyOrder("roots", "others");
        Libc.unlink(othersFile);
        assertThat(names(sticky)).containsExactly("roots");
    }

    @Test
    void perm_onlyTheOwnerMaySetExplicitTimesButWritersMayTouch() throws Exception {
        Path writable = writeFile(p("writable"), "x");
        Libc.chmod(writable, 0666);
        Path readOnly = writeFile(p("readOnly"), "x");
        Libc.chmod(readOnly, 0644);
        probe(asUnprivileged(),
                expect(Op.touchNow(writable), OK),
                expect(Op.touchAt(writable, 1_000_000_000L), EPERM),
                expect(Op.touchNow(readOnly), EACCES));
    }

    @Test
    void perm_trustedXattrsAreHiddenFromUnprivilegedUsers() throws Exception {
        assumeTrue(supportsTrustedXattrs(), "trusted xattrs not supported");
        Path f = writeFile(p("f"), "x");
        Libc.chmod(f, 0666);
        Libc.setxattr(f, "trusted.hidden", "v".getBytes(UTF_8), 0);
        Path readOnly = writeFile(p("readOnly"), "x");
        Libc.chmod(readOnly, 0644);
        List<Outcome> outcomes = probe(asUnprivileged(),
                expect(Op.getxattr(f, "trusted.hidden"), ENODATA),
                expect(Op.setxattr(f, "trusted.mine", "v"), EPERM),
                expect(Op.setxattr(f, "user.mine", "v"), OK),
                expect(Op.setxattr(readOnly, "user.mine", "v"), EACCES),
                expect(Op.listxattr(f), OK));
        assertThat(outcomes.get(4).detail()).isEqualTo("user.mine");
        assertThat(Libc.listxattr(f)).contains("trusted.hidden", "user.mine");
    }

    // ================================================================ setuid and setgid

    @Test
    void setid_writeByANonOwnerClearsSetuidAndSetgid() throws Exception {
        Path f = writeFile(p("setid"), "original");
        Libc.chmod(f, 06777);
        probe(asUnprivileged(), expect(Op.write(f, "changed"), OK));
        assertThat(Files.readString(f)).isEqualTo("changedl");
        assertThat(permissions(f)).isEqualTo(0777);
    }

    @Test
    void setid_truncateByANonOwnerClearsSetuid() throws Exception {
        Path f = writeFile(p("setid"), "original");
        Libc.chmod(f, 04777);
        probe(asUnprivileged(), expect(Op.truncateByOpen(f), OK));
        assertThat(lstat(f).size()).isZero();
        assertThat(permissions(f)).isEqualTo(0777);
    }

    @Test
    void setid_writeByANonMemberClearsSetgidEvenWithoutGroupExecute() throws Exception {
        Path f = writeFile(p("setgid"), "original");
        Libc.chmod(f, 02666);
        probe(asUnprivileged(), expect(Op.write(f, "changed"), OK));
        assertThat(permissions(f)).isEqualTo(0666);
    }

    @Test
    void setid_writeByRootKeepsSetuidAndSetgid() throws Exception {
        Path f = writeFile(p("setid"), "original");
        Libc.chmod(f, 06777);
        Files.writeString(f, "changed", StandardOpenOption.WRITE);
        assertThat(permissions(f)).isEqualTo(06777);
    }

    @Test
    void setid_chownClearsSetuidAndSetgidOfFiles() throws Exception {
        Path f = writeFile(p("setid"), "x");
        Libc.chmod(f, 06755);
        Libc.chown(f, unprivilegedUid(), unprivilegedGid());
        assertThat(permissions(f)).isEqualTo(0755);

        // Even a chown that changes nothing clears them.
        Path g = writeFile(p("setid2"), "x");
        Libc.chmod(g, 06755);
        Libc.chown(g, -1, -1);
        assertThat(permissions(g)).isEqualTo(0755);
    }

    @Test
    void setid_chownKeepsSetgidOfDirectories() throws Exception {
        Path d = mkdir(p("d"));
        Libc.chmod(d, 02755);
        Libc.chown(d, unprivilegedUid(), unprivilegedGid());
        assertThat(permissions(d)).isEqualTo(02755);
    }

    @Test
    void setid_setgidDirectoryPassesItsGroupDown() throws Exception {
        Path d = mkdir(p("shared"));
        Libc.chown(d, 0, foreignGid());
        Libc.chmod(d, 02777);
        Path f = writeFile(d.resolve("byRoot"), "x");
        Path sub = mkdir(d.resolve("subByRoot"));
        assertThat(lstat(f).gid()).isEqualTo(foreignGid());
        assertThat(lstat(f).permissions() & Libc.S_ISGID).as("files do not inherit S_ISGID").isZero();
        assertThat(lstat(sub).gid()).isEqualTo(foreignGid());
        assertThat(lstat(sub).permissions() & Libc.S_ISGID).as("subdirectories inherit S_ISGID").isNotZero();
        assertThat(lstat(writeFile(sub.resolve("deeper"), "x")).gid()).isEqualTo(foreignGid());

        probe(asUnprivileged(),
                expect(Op.create(d.resolve("byUser"), 0644), OK),
                expect(Op.mkdir(d.resolve("subByUser"), 0755), OK),
                expect(Op.create(d.resolve("askedForSetgid"), 02755), OK));
        assertThat(lstat(d.resolve("byUser")).gid()).isEqualTo(foreignGid());
        assertThat(lstat(d.resolve("byUser")).uid()).isEqualTo(unprivilegedUid());
        assertThat(lstat(d.resolve("subByUser")).gid()).isEqualTo(foreignGid());
        assertThat(lstat(d.resolve("subByUser")).permissions() & Libc.S_ISGID).isNotZero();
        // The creator is not in the inherited group, so it may not make a setgid file for it.
        assertThat(lstat(d.resolve("askedForSetgid")).permissions() & Libc.S_ISGID).isZero();
    }

    @Test
    void setid_chmodSetgidByANonMemberOwnerIsSilentlyDropped() throws Exception {
        Path f = writeFile(p("f"), "x");
        Libc.chown(f, unprivilegedUid(), foreignGid());
        probe(asUnprivileged(), expect(Op.chmod(f, 02755), OK));
        assertThat(permissions(f)).isEqualTo(0755);
    }

    // ================================================================ umask

    @Test
    void umask_umaskMasksTheModesOfNewNodes() throws Exception {
        List<Outcome> outcomes = probe(SyscallProbe.asSelf().withUmask(027),
                expect(Op.create(p("file"), 0666), OK),
                expect(Op.mkdir(p("dir"), 0777), OK),
                expect(Op.mkfifo(p("fifo"), 0666), OK),
                expect(Op.stat(p("file")), OK));
        assertThat(outcomes.get(3).detail()).startsWith("640 ");
        assertThat(permissions(p("file"))).isEqualTo(0640);
        assertThat(permissions(p("dir"))).isEqualTo(0750);
        assertThat(permissions(p("fifo"))).isEqualTo(0640);

        probe(SyscallProbe.asSelf().withUmask(0),
                expect(Op.create(p("file0"), 0666), OK),
                expect(Op.mkdir(p("dir0"), 0777), OK));
        assertThat(permissions(p("file0"))).isEqualTo(0666);
        assertThat(permissions(p("dir0"))).isEqualTo(0777);
    }

    @Test
    void umask_umaskDoesNotApplyToChmod() throws Exception {
        Path f = writeFile(p("f"), "x");
        probe(SyscallProbe.asSelf().withUmask(077), expect(Op.chmod(f, 0777), OK));
        assertThat(permissions(f)).isEqualTo(0777);
    }

    // ================================================================ timestamps

    @Test
    void time_explicitNanosecondTimesAreStoredExactly() throws Exception {
        Path f = writeFile(p("f"), "x");
        List<Timespec> samples = List.of(
                new Timespec(1_000_000_000L, 123_456_789),
                new Timespec(1_500_000_000L, 999_999_999),
                new Timespec(0, 1),
                new Timespec(-1, 500_000_000), // half a second before the epoch
                new Timespec(4_102_444_800L, 7)); // 2100-01-01, past 2038
        for (int i = 0; i < samples.size(); i++) {
            Timespec atime = samples.get(i);
            Timespec mtime = samples.get((i + 1) % samples.size());
            Libc.utimensat(f, atime, mtime, 0);
            Stat st = lstat(f);
            assertThat(st.atime()).isEqualTo(atime);
            assertThat(st.mtime()).isEqualTo(mtime);
        }
    }

    @Test
    void time_utimeNowAndOmitEachTouchOnlyTheirField() throws Exception {
        Path f = writeFile(p("f"), "x");
        Timespec a = new Timespec(1_000_000_000L, 111);
        Timespec m = new Timespec(1_100_000_000L, 222);
        Libc.utimensat(f, a, m, 0);

        Timespec before = Timespec.ofEpochMilli(System.currentTimeMillis() - 5_000);
        Libc.utimensat(f, Timespec.NOW, Timespec.OMIT, 0);
        Timespec after = Timespec.ofEpochMilli(System.currentTimeMillis() + 5_000);
        Stat st = lstat(f);
        assertThat(st.atime()).isBetween(before, after);
        assertThat(st.mtime()).as("UTIME_OMIT leaves mtime").isEqualTo(m);

        Libc.utimensat(f, Timespec.OMIT, new Timespec(1_200_000_000L, 333), 0);
        assertThat(lstat(f).atime()).as("UTIME_OMIT leaves atime").isEqualTo(st.atime());
        assertThat(lstat(f).mtime()).isEqualTo(new Timespec(1_200_000_000L, 333));

        Libc.utimensat(f, Timespec.OMIT, Timespec.NOW, 0);
        assertThat(lstat(f).mtime()).isBetween(before, Timespec.ofEpochMilli(System.currentTimeMillis() + 5_000));
    }

    @Test
    void time_settingTimesChangesCtimeButOmittingBothDoesNot() throws Exception {
        Path f = writeFile(p("f"), "x");
        Timespec before = Timespec.ofEpochMilli(System.currentTimeMillis() - 5_000);
        assertChangesCtime(f, "utimensat", () -> Libc.utimensat(f, new Timespec(1, 0), new Timespec(2, 0), 0));
        assertThat(lstat(f).ctime()).as("ctime is the current time, not the one set")
                .isBetween(before, Timespec.ofEpochMilli(System.currentTimeMillis() + 5_000));
        assertKeepsTimes(f, "utimensat(UTIME_OMIT, UTIME_OMIT)",
                () -> Libc.utimensat(f, Timespec.OMIT, Timespec.OMIT, 0));
    }

    @Test
    void time_metadataChangesAdvanceCtime() throws Exception {
        Path f = writeFile(p("f"), "x");
        assertChangesCtime(f, "chmod", () -> Libc.chmod(f, 0600));
        assertChangesCtime(f, "chown", () -> Libc.chown(f, unprivilegedUid(), -1));
        assertChangesCtime(f, "link", () -> Libc.link(f, p("g")));
        assertChangesCtime(f, "unlink of another name", () -> Libc.unlink(p("g")));
        Path r = p("renamed");
        assertChangesCtime(f, r, "rename", () -> Libc.rename(f, r));
        assertChangesCtime(r, "setxattr", () -> Libc.setxattr(r, "user.k", "v".getBytes(UTF_8), 0));
        assertChangesCtime(r, "removexattr", () -> Libc.removexattr(r, "user.k"));
        assertChangesCtime(r, "truncate", () -> Libc.truncate(r, 100));
        Stat beforeWrite = lstat(r);
        assertChangesCtime(r, "write", () -> Files.writeString(r, "y", StandardOpenOption.APPEND));
        assertThat(lstat(r).mtime().isAfter(beforeWrite.mtime())).as("write advances mtime").isTrue();
        Path d = mkdir(p("d"));
        assertChangesCtime(d, "chmod of a directory", () -> Libc.chmod(d, 0700));
        Libc.symlink("x", p("s"));
        assertChangesCtime(p("s"), "lchown of a symlink", () -> Libc.lchown(p("s"), otherUid(), -1));
    }

    @Test
    void time_namespaceChangesAdvanceTheParentsMtimeAndCtime() throws Exception {
        Path a = mkdir(p("a"));
        Path b = mkdir(p("b"));
        assertChangesParentTimes("create", () -> writeFile(a.resolve("f"), "x"), a);
        assertChangesParentTimes("mkdir", () -> mkdir(a.resolve("d")), a);
        assertChangesParentTimes("symlink", () -> Libc.symlink("f", a.resolve("s")), a);
        assertChangesParentTimes("mknod", () -> Libc.mknod(a.resolve("fifo"), Libc.S_IFIFO | 0600, 0, 0), a);
        assertChangesParentTimes("link", () -> Libc.link(a.resolve("f"), b.resolve("hard")), b);
        assertChangesParentTimes("rename within", () -> Libc.rename(a.resolve("f"), a.resolve("g")), a);
        assertChangesParentTimes("rename across", () -> Libc.rename(a.resolve("g"), b.resolve("g")), a, b);
        assertChangesParentTimes("rename of a directory across", () -> Libc.rename(a.resolve("d"), b.resolve("d")), a,
                b);
        assertChangesParentTimes("unlink", () -> Libc.unlink(b.resolve("g")), b);
        assertChangesParentTimes("rmdir", () -> Libc.rmdir(b.resolve("d")), b);
        Path moved = mkdir(a.resolve("moved"));
        assertChangesCtime(moved, b.resolve("moved"), "moving a directory (which rewrites its '..')",
                () -> Libc.rename(moved, b.resolve("moved")));
    }

    @Test
    void time_readingAndFailedChangesLeaveTimesAlone() throws Exception {
        Path f = writeFile(p("f"), "x");
        Path d = mkdir(p("d"));
        Libc.symlink("f", p("s"));
        assertKeepsTimes(f, "read", () -> Files.readAllBytes(f));
        assertKeepsTimes(f, "stat", () -> Libc.stat(f));
        assertKeepsTimes(p("s"), "readlink", () -> Libc.readlink(p("s")));
        assertKeepsTimes(dir, "readdir", () -> Libc.readDirectory(dir));
        assertKeepsTimes(dir, "failed unlink", () -> assertErrno(ENOENT, () -> Libc.unlink(p("missing"))));
        assertKeepsTimes(dir, "failed mkdir", () -> assertErrno(EEXIST, () -> Libc.mkdir(d, 0755)));
        assertKeepsTimes(dir, "failed rename", () -> assertErrno(ENOTEMPTY, () -> {
            writeFile(d.resolve("child"), "x");
            Libc.rename(mkdir(d.resolve("sub")), d);
        }));
    }

    // ================================================================ sparse files and truncation

    @Test
    void sparse_holesReadAsZerosAndTakeNoSpace() throws Exception {
        Path f = p("sparse");
        long dataAt = 8L << 20;
        try (Fd fd = Libc.open(f, Libc.O_CREAT | Libc.O_RDWR, 0644)) {
            Libc.pwrite(fd, filled(4096, 0xAB), 0);
            Libc.pwrite(fd, filled(4096, 0xCD), dataAt);
            Libc.fsync(fd);
            Stat st = Libc.fstat(fd);
            assertThat(st.size()).isEqualTo(dataAt + 4096);
            assertThat(st.allocatedBytes()).as("st_blocks of a sparse file").isLessThan(1L << 20);
            assertBytes("data before the hole", Libc.preadFully(fd, 4096, 0), filled(4096, 0xAB));
            assertBytes("the hole", Libc.preadFully(fd, (int) (dataAt - 4096), 4096), new byte[(int) (dataAt - 4096)]);
            assertBytes("data after the hole", Libc.preadFully(fd, 4096, dataAt), filled(4096, 0xCD));
        }
    }

    @Test
    void sparse_truncatingDownAndUpAgainZeroesTheTail() throws Exception {
        Path f = writeFile(p("f"), filled(10_000, 0xAA));
        try (Fd fd = Libc.open(f, Libc.O_RDWR)) {
            Libc.fsync(fd);
            Libc.ftruncate(fd, 3000);
            assertThat(Libc.fstat(fd).size()).isEqualTo(3000);
            Libc.ftruncate(fd, 10_000);
            byte[] data = Libc.preadFully(fd, 10_000, 0);
            assertBytes("data kept by the truncation", Arrays.copyOfRange(data, 0, 3000), filled(3000, 0xAA));
            assertBytes("old data past the truncation point", Arrays.copyOfRange(data, 3000, 10_000), new byte[7000]);
        }
        Libc.truncate(f, 1);
        assertBytes("file truncated to one byte", Files.readAllBytes(f), filled(1, 0xAA));
        Libc.truncate(f, 0);
        assertThat(lstat(f).size()).isZero();
    }

    @Test
    void sparse_writingPastEofAfterShrinkingZeroesTheGap() throws Exception {
        Path f = writeFile(p("f"), filled(8192, 0x55));
        try (Fd fd = Libc.open(f, Libc.O_RDWR)) {
            Libc.fsync(fd);
            Libc.ftruncate(fd, 100);
            Libc.pwrite(fd, new byte[] {1}, 6000);
            byte[] data = Libc.preadFully(fd, 8192, 0);
            assertThat(data).hasSize(6001);
            assertBytes("data kept by the truncation", Arrays.copyOfRange(data, 0, 100), filled(100, 0x55));
            assertBytes("gap between old EOF and the new write", Arrays.copyOfRange(data, 100, 6000), new byte[5900]);
            assertThat(data[6000]).isEqualTo((byte) 1);
        }
    }

    @Test
    @SuppressWarnings("restricted") // reinterpret: to look past EOF inside the mapped page
    void sparse_mappedTailOfTheEofPageReadsAsZeros() throws Exception {
        assumeTrue(supportsSharedWritableMmap(), "shared writable mmap not supported");
        Path f = writeFile(p("f"), filled(4096, 0x77));
        try (FileChannel channel = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            channel.force(true);
            channel.truncate(100);
            try (Arena arena = Arena.ofConfined()) {
                // The mapping covers the whole page that holds EOF; POSIX requires its tail to read as zeros.
                MemorySegment page = channel.map(FileChannel.MapMode.READ_ONLY, 0, 100, arena).reinterpret(4096);
                assertBytes("data before EOF", page.asSlice(0, 100).toArray(ValueLayout.JAVA_BYTE), filled(100, 0x77));
                assertBytes("mapped bytes past EOF", page.asSlice(100).toArray(ValueLayout.JAVA_BYTE), new byte[3996]);
            }
        }
    }

    @Test
    @SuppressWarnings("restricted") // reinterpret: to look past EOF inside the mapped page
    void sparse_storesPastEofThroughAMappingNeverBecomeData() throws Exception {
        assumeTrue(supportsSharedWritableMmap(), "shared writable mmap not supported");
        assumeTrue(zeroesMappedStoresPastEofOnExtension(), "stores past EOF may reappear on extension here");
        Path f = writeFile(p("f"), filled(100, 0x77));
        try (FileChannel channel = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
                Arena arena = Arena.ofConfined()) {
            MemorySegment page = channel.map(FileChannel.MapMode.READ_WRITE, 0, 100, arena).reinterpret(4096);
            // Legal (the page is mapped) but these bytes are not file data and must never become any.
            page.asSlice(100).fill((byte) 0xEE);
        }
        Libc.truncate(f, 4096);
        byte[] data = Files.readAllBytes(f);
        assertBytes("data before the old EOF", Arrays.copyOfRange(data, 0, 100), filled(100, 0x77));
        assertBytes("extension over bytes stored past EOF", Arrays.copyOfRange(data, 100, 4096), new byte[3996]);
    }

    @Test
    void sparse_writeAtOneTebibyteSetsTheSize() throws Exception {
        Path f = p("huge");
        long tebibyte = 1L << 40;
        try (Fd fd = Libc.open(f, Libc.O_CREAT | Libc.O_RDWR, 0644)) {
            Libc.pwrite(fd, "far away".getBytes(UTF_8), tebibyte);
            Stat st = Libc.fstat(fd);
            assertThat(st.size()).isEqualTo(tebibyte + 8);
            assertThat(st.allocatedBytes()).isLessThan(1L << 20);
            assertThat(new String(Libc.preadFully(fd, 8, tebibyte), UTF_8)).isEqualTo("far away");
            assertBytes("hole before the data", Libc.preadFully(fd, 4096, tebibyte - 4096), new byte[4096]);
            assertThat(Libc.preadFully(fd, 100, tebibyte + 8)).isEmpty();
            Libc.ftruncate(fd, 0);
            assertThat(Libc.fstat(fd).size()).isZero();
        }
    }

    // ================================================================ O_APPEND

    @Test
    void append_appendingWritesGoToTheEndWhateverTheOffset() throws Exception {
        Path f = writeFile(p("f"), "start");
        try (Fd fd = Libc.open(f, Libc.O_WRONLY | Libc.O_APPEND)) {
            Libc.lseek(fd, 0, Libc.SEEK_SET);
            Libc.write(fd, "-end".getBytes(UTF_8));
            // Linux appends even for pwrite on an O_APPEND descriptor (a documented deviation from POSIX).
            Libc.pwrite(fd, "-pwrite".getBytes(UTF_8), 0);
        }
        assertThat(Files.readString(f)).isEqualTo("start-end-pwrite");
    }

    @Test
    void append_concurrentAppendersLoseAndInterleaveNothing() throws Exception {
        Path f = writeFile(p("log"), new byte[0]);
        int recordSize = 128;
        int recordsPerWriter = 2000;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Void>> writers = new ArrayList<>();
            for (int writer = 0; writer < 2; writer++) {
                int id = writer;
                Callable<Void> task = () -> {
                    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                        for (int seq = 0; seq < recordsPerWriter; seq++) {
                            ByteBuffer record = ByteBuffer.allocate(recordSize);
                            byte[] header = String.format("%d:%06d:", id, seq).getBytes(UTF_8);
                            record.put(header);
                            while (record.hasRemaining()) {
                                record.put((byte) ('a' + id));
                            }
                            record.flip();
                            assertEquals(recordSize, ch.write(record), "one write call per record");
                        }
                    }
                    return null;
                };
                writers.add(pool.submit(task));
            }
            for (Future<Void> w : writers) {
                w.get();
            }
        } finally {
            pool.shutdownNow();
        }
        byte[] data = Files.readAllBytes(f);
        assertThat(data).hasSize(2 * recordsPerWriter * recordSize);
        int[] nextSeq = new int[2];
        for (int at = 0; at < data.length; at += recordSize) {
            String record = new String(data, at, recordSize, UTF_8);
            int id = record.charAt(0) - '0';
            assertThat(id).as("record at %d", at).isBetween(0, 1);
            assertThat(record).as("record at %d", at) .isEqualTo(String.format("%d:%06d:", id, nextSeq[id])
                    + String.valueOf((char) ('a' + id)).repeat(recordSize - 9));
            nextSeq[id]++;
        }
        assertThat(nextSeq).containsExactly(recordsPerWriter, recordsPerWriter);
    }

    // ================================================================ fallocate

    private void needsFallocate() {
        assumeTrue(supportsFallocate(), "fallocate not supported");
    }

    @Test
    void fallocate_allocatingExtendsTheSizeAndReservesZeroedSpace() throws Exception {
        needsFallocate();
        try (Fd fd = Libc.open(p("f"), Libc.O_CREAT | Libc.O_RDWR, 0644)) {
            Libc.fallocate(fd, 0, 0, 1 << 20);
            Stat st = Libc.fstat(fd);
            assertThat(st.size()).isEqualTo(1 << 20);
            assertThat(st.allocatedBytes()).isGreaterThanOrEqualTo(1 << 20);
            assertBytes("allocated range", Libc.preadFully(fd, 1 << 20, 0), new byte[1 << 20]);
        }
    }

    @Test
    void fallocate_keepSizeReservesSpaceBeyondEofWithoutGrowing() throws Exception {
        needsFallocate();
        try (Fd fd = Libc.open(p("f"), Libc.O_CREAT | Libc.O_RDWR, 0644)) {
            Libc.pwrite(fd, filled(4096, 0x11), 0);
            Libc.fallocate(fd, Libc.FALLOC_FL_KEEP_SIZE, 0, 1 << 20);
            Stat st = Libc.fstat(fd);
            assertThat(st.size()).isEqualTo(4096);
            assertThat(st.allocatedBytes()).isGreaterThanOrEqualTo(1 << 20);
            assertBytes("data up to EOF", Libc.preadFully(fd, 8192, 0), filled(4096, 0x11));
            // Writing into the reserved range later extends the file normally.
            Libc.pwrite(fd, filled(10, 0x22), 500_000);
            assertThat(Libc.fstat(fd).size()).isEqualTo(500_010);
            assertBytes("reserved range below the write", Libc.preadFully(fd, 100, 400_000), new byte[100]);
        }
    }

    @Test
    void fallocate_allocatingOverDataKeepsTheData() throws Exception {
        needsFallocate();
        byte[] data = randomBytes(100_000, 3);
        Path f = writeFile(p("f"), data);
        try (Fd fd = Libc.open(f, Libc.O_RDWR)) {
            Libc.fallocate(fd, 0, 0, 200_000);
            assertThat(Libc.fstat(fd).size()).isEqualTo(200_000);
            byte[] read = Libc.preadFully(fd, 200_000, 0);
            assertBytes("data under the allocation", Arrays.copyOfRange(read, 0, 100_000), data);
            assertBytes("allocation past the data", Arrays.copyOfRange(read, 100_000, 200_000), new byte[100_000]);
        }
    }

    @Test
    void fallocate_punchingAHoleZeroesTheRangeAndFreesItsSpace() throws Exception {
        needsFallocate();
        assumeTrue(supportsPunchHole(), "punch hole not supported");
        byte[] data = randomBytes(1 << 20, 4);
        Path f = writeFile(p("f"), data);
        try (Fd fd = Libc.open(f, Libc.O_RDWR)) {
            Libc.fsync(fd);
            long allocatedBefore = Libc.fstat(fd).allocatedBytes();
            Libc.fallocate(fd, Libc.FALLOC_FL_PUNCH_HOLE | Libc.FALLOC_FL_KEEP_SIZE, 256 << 10, 256 << 10);
            // An unaligned punch zeroes exactly its bytes, partial blocks included.
            Libc.fallocate(fd, Libc.FALLOC_FL_PUNCH_HOLE | Libc.FALLOC_FL_KEEP_SIZE, 1000, 5000);
            byte[] expected = data.clone();
            Arrays.fill(expected, 256 << 10, 512 << 10, (byte) 0);
            Arrays.fill(expected, 1000, 6000, (byte) 0);
            Stat st = Libc.fstat(fd);
            assertThat(st.size()).isEqualTo(1 << 20);
            assertBytes("file with two holes punched", Libc.preadFully(fd, 1 << 20, 0), expected);
            assertThat(allocatedBefore - st.allocatedBytes()).as("bytes freed by the punch")
                    .isGreaterThanOrEqualTo(200 << 10);
        }
    }

    @Test
    void fallocate_punchingNeedsKeepSizeAndNeverGrowsTheFile() throws Exception {
        needsFallocate();
        assumeTrue(supportsPunchHole(), "punch hole not supported");
        Path f = writeFile(p("f"), filled(10_000, 0x33));
        try (Fd fd = Libc.open(f, Libc.O_RDWR)) {
            assertErrno(EOPNOTSUPP, () -> Libc.fallocate(fd, Libc.FALLOC_FL_PUNCH_HOLE, 0, 4096));
            Libc.fallocate(fd, Libc.FALLOC_FL_PUNCH_HOLE | Libc.FALLOC_FL_KEEP_SIZE, 8192, 1 << 20);
            assertThat(Libc.fstat(fd).size()).isEqualTo(10_000);
            byte[] read = Libc.preadFully(fd, 10_000, 0);
            assertBytes("data before the punch", Arrays.copyOfRange(read, 0, 8192), filled(8192, 0x33));
            assertBytes("punched tail", Arrays.copyOfRange(read, 8192, 10_000), new byte[10_000 - 8192]);
        }
    }

    @Test
    void fallocate_zeroRangeZeroesAndMayGrow() throws Exception {
        needsFallocate();
        assumeTrue(supportsZeroRange(), "FALLOC_FL_ZERO_RANGE not supported");
        Path f = writeFile(p("f"), filled(10_000, 0x44));
        try (Fd fd = Libc.open(f, Libc.O_RDWR)) {
            Libc.fallocate(fd, Libc.FALLOC_FL_ZERO_RANGE, 1000, 2000);
            Libc.fallocate(fd, Libc.FALLOC_FL_ZERO_RANGE, 9000, 11_000);
            byte[] expected = filled(20_000, 0x44);
            Arrays.fill(expected, 1000, 3000, (byte) 0);
            Arrays.fill(expected, 9000, 20_000, (byte) 0);
            assertThat(Libc.fstat(fd).size()).isEqualTo(20_000);
            assertBytes("file after zeroing", Libc.preadFully(fd, 20_000, 0), expected);
            Libc.fallocate(fd, Libc.FALLOC_FL_ZERO_RANGE | Libc.FALLOC_FL_KEEP_SIZE, 19_000, 10_000);
            assertThat(Libc.fstat(fd).size()).isEqualTo(20_000);
        }
    }

    @Test
    void fallocate_invalidRangesFailWithEINVAL() throws Exception {
        needsFallocate();
        try (Fd fd = Libc.open(p("f"), Libc.O_CREAT | Libc.O_RDWR, 0644)) {
            assertErrno(EINVAL, () -> Libc.fallocate(fd, 0, 0, 0));
            assertErrno(EINVAL, () -> Libc.fallocate(fd, 0, -1, 4096));
        }
    }

    // ================================================================ SEEK_DATA / SEEK_HOLE

    @Test
    void seek_theEndOfFileIsAHoleAndNothingLiesPastIt() throws Exception {
        Path f = writeFile(p("f"), filled(10_000, 1));
        try (Fd fd = Libc.open(f, Libc.O_RDONLY)) {
            assertThat(Libc.lseek(fd, 0, Libc.SEEK_DATA)).isZero();
            assertThat(Libc.lseek(fd, 5000, Libc.SEEK_DATA)).isEqualTo(5000);
            assertThat(Libc.lseek(fd, 0, Libc.SEEK_HOLE)).isEqualTo(10_000);
            assertErrno(ENXIO, () -> Libc.lseek(fd, 10_000, Libc.SEEK_DATA));
            assertErrno(ENXIO, () -> Libc.lseek(fd, 10_000, Libc.SEEK_HOLE));
            assertErrno(ENXIO, () -> Libc.lseek(fd, 20_000, Libc.SEEK_HOLE));
        }
        try (Fd fd = Libc.open(writeFile(p("empty"), new byte[0]), Libc.O_RDONLY)) {
            assertErrno(ENXIO, () -> Libc.lseek(fd, 0, Libc.SEEK_DATA));
        }
    }

    @Test
    void seek_findsDataAndHolesInASparseFile() throws Exception {
        assumeTrue(reportsHolesToSeek(), "filesystem reports only the hole at EOF");
        int extent = 64 << 10;
        long second = 1L << 20;
        long size = 4L << 20;
        try (Fd fd = Libc.open(p("f"), Libc.O_CREAT | Libc.O_RDWR, 0644)) {
            Libc.pwrite(fd, filled(extent, 1), 0);
            Libc.pwrite(fd, filled(extent, 2), second);
            Libc.ftruncate(fd, size);
            Libc.fsync(fd);
            assertThat(Libc.lseek(fd, 0, Libc.SEEK_DATA)).isZero();
            assertThat(Libc.lseek(fd, 100, Libc.SEEK_DATA)).isEqualTo(100);
            assertThat(Libc.lseek(fd, 0, Libc.SEEK_HOLE)).isEqualTo(extent);
            assertThat(Libc.lseek(fd, extent, Libc.SEEK_DATA)).isEqualTo(second);
            assertThat(Libc.lseek(fd, extent + 1000, Libc.SEEK_HOLE)).isEqualTo(extent + 1000);
            assertThat(Libc.lseek(fd, second, Libc.SEEK_HOLE)).isEqualTo(second + extent);
            assertErrno(ENXIO, () -> Libc.lseek(fd, second + extent, Libc.SEEK_DATA));
            assertThat(Libc.lseek(fd, 3L << 20, Libc.SEEK_HOLE)).isEqualTo(3L << 20);
        }
    }

    // ================================================================ xattrs

    @Test
    void xattr_javaUserAttributeViewRoundTrips() throws Exception {
        Path f = writeFile(p("f"), "x");
        UserDefinedFileAttributeView view = Files.getFileAttributeView(f, UserDefinedFileAttributeView.class);
        view.write("colour", ByteBuffer.wrap("blue".getBytes(UTF_8)));
        assertThat(view.list()).containsExactly("colour");
        ByteBuffer read = ByteBuffer.allocate(view.size("colour"));
        view.read("colour", read);
        assertThat(new String(read.array(), UTF_8)).isEqualTo("blue");
        assertThat(Libc.getxattr(f, "user.colour")).isEqualTo("blue".getBytes(UTF_8));
        view.delete("colour");
        assertThat(view.list()).isEmpty();
    }

    @Test
    void xattr_setGetListAndRemoveInEveryNamespace() throws Exception {
        Path f = writeFile(p("f"), "x");
        List<String> namespaces = new ArrayList<>(List.of("user."));
        if (supportsTrustedXattrs()) {
            namespaces.add("trusted.");
        }
        if (supportsSecurityXattrs()) {
            namespaces.add("security.");
        }
        for (String ns : namespaces) {
            String name = ns + "posix.contract";
            byte[] value = ("value in " + ns).getBytes(UTF_8);
            Libc.setxattr(f, name, value, 0);
            assertBytes(name, Libc.getxattr(f, name), value);
            assertThat(Libc.listxattr(f)).as("list after setting %s", name).contains(name);
        }
        for (String ns : namespaces) {
            String name = ns + "posix.contract";
            Libc.removexattr(f, name);
            assertErrno(ENODATA, () -> Libc.getxattr(f, name));
            assertThat(Libc.listxattr(f)).doesNotContain(name);
        }
    }

    @Test
    void xattr_createAndReplaceFlags() throws Exception {
        Path f = writeFile(p("f"), "x");
        assertErrno(ENODATA, () -> Libc.setxattr(f, "user.k", "v".getBytes(UTF_8), Libc.XATTR_REPLACE));
        Libc.setxattr(f, "user.k", "first".getBytes(UTF_8), Libc.XATTR_CREATE);
        assertErrno(EEXIST, () -> Libc.setxattr(f, "user.k", "again".getBytes(UTF_8), Libc.XATTR_CREATE));
        assertThat(Libc.getxattr(f, "user.k")).isEqualTo("first".getBytes(UTF_8));
        Libc.setxattr(f, "user.k", "second".getBytes(UTF_8), Libc.XATTR_REPLACE);
        assertThat(Libc.getxattr(f, "user.k")).isEqualTo("second".getBytes(UTF_8));
        Libc.setxattr(f, "user.k", "third".getBytes(UTF_8), 0);
        assertThat(Libc.getxattr(f, "user.k")).isEqualTo("third".getBytes(UTF_8));
    }

    @Test
    void xattr_valuesOfEverySizeUpToTheLimit() throws Exception {
        Path f = writeFile(p("f"), "x");
        for (int size : new int[] {0, 1, 4096, 65536}) {
            if (size > maxXattrValueSize()) {
                continue;
            }
            String name = "user.size" + size;
            byte[] value = randomBytes(size, size);
            Libc.setxattr(f, name, value, 0);
            assertThat(Libc.getxattrSize(f, name)).as("size probe of %s", name).isEqualTo(size);
            assertBytes(name, Libc.getxattr(f, name), value);
            Libc.removexattr(f, name);
        }
        assertErrno(E2BIG, () -> Libc.setxattr(f, "user.tooBig", new byte[Libc.XATTR_SIZE_MAX + 1], 0));
    }

    @Test
    void xattr_namesUpTo255BytesAndNoLonger() throws Exception {
        Path f = writeFile(p("f"), "x");
        String longest = "user." + "k".repeat(Libc.XATTR_NAME_MAX - 5);
        String tooLong = longest + "k";
        Libc.setxattr(f, longest, "v".getBytes(UTF_8), 0);
        assertThat(Libc.getxattr(f, longest)).isEqualTo("v".getBytes(UTF_8));
        assertThat(Libc.listxattr(f)).contains(longest);
        assertErrno(ERANGE, () -> Libc.setxattr(f, tooLong, "v".getBytes(UTF_8), 0));
        assertErrno(ERANGE, () -> Libc.getxattr(f, tooLong, 100));
        assertErrno(ERANGE, () -> Libc.removexattr(f, tooLong));
    }

    @Test
    void xattr_badNamesAreRefused() throws Exception {
        Path f = writeFile(p("f"), "x");
        assertErrno(EOPNOTSUPP, () -> Libc.setxattr(f, "nonamespace", "v".getBytes(UTF_8), 0));
        assertErrno(EOPNOTSUPP, () -> Libc.setxattr(f, "bogus.name", "v".getBytes(UTF_8), 0));
        assertErrno(EINVAL, () -> Libc.setxattr(f, "user.", "v".getBytes(UTF_8), 0));
        assertErrno(ERANGE, () -> Libc.setxattr(f, "", "v".getBytes(UTF_8), 0));
    }

    @Test
    void xattr_sizeProbesAndShortBuffers() throws Exception {
        Path f = writeFile(p("f"), "x");
        byte[] value = randomBytes(100, 5);
        Libc.setxattr(f, "user.a", value, 0);
        Libc.setxattr(f, "user.bb", "v".getBytes(UTF_8), 0);
        assertThat(Libc.getxattrSize(f, "user.a")).isEqualTo(100);
        assertErrno(ERANGE, () -> Libc.getxattr(f, "user.a", 99));
        assertBytes("value read into an exact buffer", Libc.getxattr(f, "user.a", 100), value);
        assertBytes("value read into a large buffer", Libc.getxattr(f, "user.a", 4096), value);

        int listSize = (int) Libc.listxattrSize(f);
        List<String> listed = Libc.listxattr(f, listSize);
        assertThat(listed).contains("user.a", "user.bb");
        assertThat(listed.stream().mapToInt(n -> n.getBytes(UTF_8).length + 1).sum()).isEqualTo(listSize);
        assertErrno(ERANGE, () -> Libc.listxattr(f, listSize - 1));
    }

    @Test
    void xattr_missingNamesFailWithENODATA() throws Exception {
        Path f = writeFile(p("f"), "x");
        assertErrno(ENODATA, () -> Libc.getxattr(f, "user.missing", 100));
        assertErrno(ENODATA, () -> Libc.getxattrSize(f, "user.missing"));
        assertErrno(ENODATA, () -> Libc.removexattr(f, "user.missing"));
    }

    @Test
    void xattr_userXattrsAreRefusedOnSymlinksAndSpecialFiles() throws Exception {
        writeFile(p("f"), "x");
        Path link = p("link");
        Libc.symlink("f", link);
        Path fifo = p("fifo");
        Libc.mknod(fifo, Libc.S_IFIFO | 0666, 0, 0);
        assertErrno(EPERM, () -> Libc.lsetxattr(link, "user.k", "v".getBytes(UTF_8), 0));
        assertErrno(ENODATA, () -> Libc.lgetxattr(link, "user.k", 100));
        assertErrno(EPERM, () -> Libc.setxattr(fifo, "user.k", "v".getBytes(UTF_8), 0));
        // setxattr through the link reaches the regular file.
        Libc.setxattr(link, "user.k", "v".getBytes(UTF_8), 0);
        assertThat(Libc.getxattr(p("f"), "user.k")).isEqualTo("v".getBytes(UTF_8));
        if (supportsTrustedXattrs()) {
            Libc.lsetxattr(link, "trusted.k", "on the link".getBytes(UTF_8), 0);
            assertThat(Libc.lgetxattr(link, "trusted.k", 100)).isEqualTo("on the link".getBytes(UTF_8));
            assertThat(Libc.llistxattr(link)).contains("trusted.k");
            Libc.lremovexattr(link, "trusted.k");
        }
    }

    @Test
    void xattr_xattrsBelongToTheInode() throws Exception {
        Path f = writeFile(p("f"), "x");
        Path d = mkdir(p("d"));
        Libc.setxattr(f, "user.k", "v".getBytes(UTF_8), 0);
        Libc.setxattr(d, "user.onDir", "dv".getBytes(UTF_8), 0);
        Libc.link(f, p("g"));
        Libc.rename(f, d.resolve("moved"));
        Libc.rename(d, p("d2"));
        assertThat(Libc.getxattr(p("g"), "user.k")).isEqualTo("v".getBytes(UTF_8));
        assertThat(Libc.getxattr(p("d2/moved"), "user.k")).isEqualTo("v".getBytes(UTF_8));
        assertThat(Libc.getxattr(p("d2"), "user.onDir")).isEqualTo("dv".getBytes(UTF_8));
    }

    @Test
    void xattr_manyXattrsOnOneFileAreAllListed() throws Exception {
        Path f = writeFile(p("f"), "x");
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            String name = "user.x" + i;
            Libc.setxattr(f, name, ("v" + i).getBytes(UTF_8), 0);
            expected.add(name);
        }
        assertThat(Libc.listxattr(f).stream().filter(n -> n.startsWith("user.")).toList())
                .containsExactlyInAnyOrderElementsOf(expected);
        for (int i = 0; i < 40; i += 2) {
            Libc.removexattr(f, "user.x" + i);
            expected.remove("user.x" + i);
        }
        assertThat(Libc.listxattr(f).stream().filter(n -> n.startsWith("user.")).toList())
                .containsExactlyInAnyOrderElementsOf(expected);
        assertThat(Libc.getxattr(f, "user.x39")).isEqualTo("v39".getBytes(UTF_8));
    }

    // ================================================================ POSIX ACLs

    private void needsAcls() {
        assumeTrue(supportsAcls(), "POSIX ACLs not supported");
        assertThat(Commands.available("setfacl") && Commands.available("getfacl"))
                .as("setfacl/getfacl are installed (Debian package acl)").isTrue();
    }

    private void setfacl(String... args) {
        List<String> command = new ArrayList<>(List.of(Commands.tool("setfacl")));
        command.addAll(List.of(args));
        Commands.run(command.toArray(String[]::new));
    }

    /** The ACL entries as getfacl prints them: numeric ids, no header, no effective-rights comments. */
    private List<String> getfacl(Path path) {
        return Commands.run(Commands.tool("getfacl"), "--omit-header", "--numeric", "--absolute-names",
                "--no-effective", path.toString()).stdout().lines().filter(line -> !line.isBlank()).toList();
    }

    @Test
    void acl_namedUserEntryGrantsAccess() throws Exception {
        needsAcls();
        Path f = writeFile(p("f"), "for uid 1000");
        Libc.chmod(f, 0600);
        probe(asUnprivileged(), expect(Op.read(f), EACCES));
        setfacl("-m", "u:" + unprivilegedUid() + ":r", f.toString());
        probe(asUnprivileged(), expect(Op.read(f), OK), expect(Op.write(f, "x"), EACCES));
        assertThat(getfacl(f)).containsExactly("user::rw-", "user:" + unprivilegedUid() + ":r--", "group::---",
                "mask::r--", "other::---");
        assertThat(permissions(f)).as("the group bits show the mask").isEqualTo(0640);
        assertThat(Libc.getxattrSize(f, "system.posix_acl_access")).as("the ACL is an xattr").isPositive();
    }

    @Test
    void acl_maskLimitsNamedEntriesAndChmodChangesTheMask() throws Exception {
        needsAcls();
        Path f = writeFile(p("f"), "data");
        Libc.chmod(f, 0600);
        setfacl("-m", "u:" + unprivilegedUid() + ":rw,m::r", f.toString());
        probe(asUnprivileged(), expect(Op.read(f), OK), expect(Op.write(f, "x"), EACCES));
        setfacl("-m", "m::---", f.toString());
        probe(asUnprivileged(), expect(Op.read(f), EACCES));
        Libc.chmod(f, 0660);
        assertThat(getfacl(f)).contains("user:" + unprivilegedUid() + ":rw-", "mask::rw-");
        probe(asUnprivileged(), expect(Op.read(f), OK), expect(Op.write(f, "x"), OK));
        Libc.chmod(f, 0600);
        assertThat(getfacl(f)).contains("mask::---");
        probe(asUnprivileged(), expect(Op.read(f), EACCES));
    }

    @Test
    void acl_defaultAclIsInheritedAndOverridesTheUmask() throws Exception {
        needsAcls();
        Path d = mkdir(p("d"));
        String uid = String.valueOf(unprivilegedUid());
        setfacl("-d", "-m", "u::rwx,g::r-x,o::---,u:" + uid + ":rw-", d.toString());
        List<String> defaults = List.of("default:user::rwx", "default:user:" + uid + ":rw-", "default:group::r-x",
                "default:mask::rwx", "default:other::---");
        assertThat(getfacl(d)).containsAll(defaults);

        probe(SyscallProbe.asSelf().withUmask(077),
                expect(Op.create(d.resolve("file"), 0666), OK),
                expect(Op.mkdir(d.resolve("sub"), 0777), OK),
                expect(Op.create(d.resolve("sub/nested"), 0640), OK));

        // With a default ACL the umask is ignored; the create mode limits the inherited entries.
        assertThat(getfacl(d.resolve("file"))).containsExactly("user::rw-", "user:" + uid + ":rw-", "group::r-x",
                "mask::rw-", "other::---");
        assertThat(permissions(d.resolve("file"))).isEqualTo(0660);

        List<String> sub = getfacl(d.resolve("sub"));
        assertThat(sub).contains("user::rwx", "user:" + uid + ":rw-", "group::r-x", "mask::rwx", "other::---");
        assertThat(sub).as("subdirectories inherit the default ACL too").containsAll(defaults);
        assertThat(permissions(d.resolve("sub"))).isEqualTo(0770);

        assertThat(getfacl(d.resolve("sub/nested"))).containsExactly("user::rw-", "user:" + uid + ":rw-",
                "group::r-x", "mask::r--", "other::---");
        probe(asUnprivileged(), expect(Op.write(d.resolve("file"), "x"), OK));
    }

    @Test
    void acl_removingTheAclLeavesPlainModeBits() throws Exception {
        needsAcls();
        Path f = writeFile(p("f"), "x");
        Libc.chmod(f, 0640);
        setfacl("-m", "u:" + unprivilegedUid() + ":rw", f.toString());
        setfacl("-b", f.toString());
        // The base entries survive: the group class gets the owning group's entry back, not the mask.
        assertThat(getfacl(f)).containsExactly("user::rw-", "group::r--", "other::---");
        assertThat(permissions(f)).isEqualTo(0640);
        assertErrno(ENODATA, () -> Libc.getxattrSize(f, "system.posix_acl_access"));
        probe(asUnprivileged(), expect(Op.read(f), EACCES));
    }

    // ================================================================ unlinked but open

    @Test
    void unlinked_anUnlinkedFileStaysReadableAndWritableWhileOpen() throws Exception {
        Path f = writeFile(p("f"), randomBytes(100_000, 6));
        try (Fd fd = Libc.open(f, Libc.O_RDWR)) {
            Libc.unlink(f);
            assertErrno(ENOENT, () -> Libc.lstat(f));
            assertThat(names(dir)).isEmpty();
            assertThat(Libc.fstat(fd).nlink()).isZero();
            assertBytes("data of the unlinked file", Libc.preadFully(fd, 100_000, 0), randomBytes(100_000, 6));
            Libc.pwrite(fd, "still here".getBytes(UTF_8), 200_000);
            Libc.fsync(fd);
            assertThat(new String(Libc.preadFully(fd, 10, 200_000), UTF_8)).isEqualTo("still here");
            Libc.ftruncate(fd, 10);
            assertThat(Libc.fstat(fd).size()).isEqualTo(10);
        }
    }

    @Test
    void unlinked_itsSpaceIsFreedAfterTheLastClose() throws Exception {
        int size = 32 << 20;
        Path f = p("big");
        Libc.syncfs(dir);
        long freeAtStart = statvfs().freeBytes();
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            byte[] chunk = randomBytes(1 << 20, 7);
            for (int i = 0; i < size >> 20; i++) {
                ch.write(ByteBuffer.wrap(chunk));
            }
            ch.force(true);
        }
        awaitSpaceAccounting("the new file's space being counted as used",
                () -> statvfs().freeBytes() <= freeAtStart - size * 3L / 4);
        try (Fd fd = Libc.open(f, Libc.O_RDONLY)) {
            try (Fd second = Libc.open(f, Libc.O_RDONLY)) {
                Libc.unlink(f);
                Libc.syncfs(dir);
                assertThat(statvfs().freeBytes()).as("space stays in use while the file is open")
                        .isLessThanOrEqualTo(freeAtStart - size * 3L / 4);
                assertThat(Libc.pread(second, 16, 0)).hasSize(16);
            }
            Libc.syncfs(dir);
            assertThat(statvfs().freeBytes()).as("space stays in use while one descriptor is open")
                    .isLessThanOrEqualTo(freeAtStart - size * 3L / 4);
            assertThat(Libc.pread(fd, 16, size - 16)).hasSize(16);
        }
        awaitSpaceAccounting("the unlinked file's space being freed after its last close",
                () -> statvfs().freeBytes() >= freeAtStart - size / 4);
    }

    // ================================================================ readdir

    private List<String> createFiles(Path directory, String prefix, int count) throws IOException {
        List<String> created = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String name = prefix + i;
            Files.createFile(directory.resolve(name));
            created.add(name);
        }
        return created;
    }

    private static List<String> withoutDots(List<DirEntry> entries) {
        return entries.stream().map(DirEntry::name).filter(n -> !n.equals(".") && !n.equals("..")).toList();
    }

    @Test
    void readdir_everyEntryAppearsExactlyOnceWhateverTheBufferSize() throws Exception {
        List<String> expected = new ArrayList<>(createFiles(dir, "file-with-a-longish-name-", 600));
        for (int i = 0; i < 50; i++) {
            mkdir(p("dir" + i));
            Libc.symlink("file-with-a-longish-name-" + i, p("link" + i));
            expected.add("dir" + i);
            expected.add("link" + i);
        }
        for (int bufferSize : new int[] {64, 512, 4096, 65536}) {
            List<DirEntry> entries = Libc.readDirectory(dir, bufferSize);
            assertThat(entries).extracting(DirEntry::name).as("buffer of %d bytes", bufferSize)
                    .doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(
                            concat(expected, List.of(".", "..")));
        }
    }

    @Test
    void readdir_tenThousandEntriesListCompletely() throws Exception {
        Path big = mkdir(p("big"));
        List<String> created = createFiles(big, "entry-", 10_000);
        List<DirEntry> entries = Libc.readDirectory(big, 4096);
        assertThat(entries).hasSize(10_002);
        assertThat(entries).extracting(DirEntry::name).doesNotHaveDuplicates().contains(".", "..");
        assertThat(withoutDots(entries)).containsExactlyInAnyOrderElementsOf(created);
        for (String name : created) {
            Files.delete(big.resolve(name));
        }
        assertThat(Libc.readDirectory(big)).extracting(DirEntry::name).containsExactlyInAnyOrder(".", "..");
        Libc.rmdir(big);
    }

    @Test
    void readdir_addingEntriesDuringAListingDisturbsNoExistingOne() throws Exception {
        List<String> original = createFiles(dir, "old-", 500);
        List<String> added = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        try (Fd fd = Libc.openDirectory(dir)) {
            int batches = 0;
            for (List<DirEntry> batch = Libc.getdents(fd, 1024); !batch.isEmpty(); batch = Libc.getdents(fd, 1024)) {
                batch.forEach(e -> seen.add(e.name()));
                if (batches++ < 10) {
                    added.addAll(createFiles(dir, "new" + batches + "-", 20));
                }
            }
        }
        // Whether the new entries show up in this listing is unspecified (btrfs, for one, stops at
        // the last entry that existed at opendir); that each shows up at most once is not.
        assertThat(added).as("entries added while the listing was in progress").isNotEmpty();
        assertThat(seen).doesNotHaveDuplicates().containsAll(original);
    }

    @Test
    void readdir_removingEntriesDuringAListingDisturbsNoOtherOne() throws Exception {
        List<String> original = createFiles(dir, "f-", 500);
        Set<String> removed = new HashSet<>();
        List<String> seen = new ArrayList<>();
        try (Fd fd = Libc.openDirectory(dir)) {
            boolean first = true;
            for (List<DirEntry> batch = Libc.getdents(fd, 1024); !batch.isEmpty(); batch = Libc.getdents(fd, 1024)) {
                batch.forEach(e -> seen.add(e.name()));
                if (first) {
                    first = false;
                    // Remove every fifth name, some already returned and some not yet.
                    for (int i = 0; i < original.size(); i += 5) {
                        Files.delete(p(original.get(i)));
                        removed.add(original.get(i));
                    }
                }
            }
        }
        assertThat(seen).doesNotHaveDuplicates();
        assertThat(seen).containsAll(original.stream().filter(n -> !removed.contains(n)).toList());
    }

    @Test
    void readdir_offsetsResumeAListingAcrossReopens() throws Exception {
        createFiles(dir, "e", 300);
        List<DirEntry> full = Libc.readDirectory(dir, 2048);
        for (int k : new int[] {0, 1, 2, 57, 150, 299, 301}) {
            try (Fd fd = Libc.openDirectory(dir)) {
                Libc.lseek(fd, full.get(k).offset(), Libc.SEEK_SET);
                List<DirEntry> rest = readRest(fd);
                assertThat(rest).extracting(DirEntry::name).as("resuming after entry %d",
                        k) .containsExactlyElementsOf(full.subList(k + 1, full.size()).stream().map(DirEntry::name)
                        .toList());
            }
        }
    }

    @Test
    void readdir_offsetsStayValidWhileEntriesAreAdded() throws Exception {
        createFiles(dir, "e", 300);
        List<DirEntry> full = Libc.readDirectory(dir, 2048);
        createFiles(dir, "later", 200);
        for (int k : new int[] {5, 100, 250}) {
            try (Fd fd = Libc.openDirectory(dir)) {
                Libc.lseek(fd, full.get(k).offset(), Libc.SEEK_SET);
                // "." and ".." are left out: ext4 moves them to the front when a growing
                // directory becomes indexed.
                List<String> rest = withoutDots(readRest(fd));
                List<String> originalRest = withoutDots(full.subList(k + 1, full.size()));
                assertThat(rest).as("resuming after entry %d", k).doesNotHaveDuplicates();
                assertThat(rest.stream().filter(n -> !n.startsWith("later")).toList())
                        .as("the original entries after %d, in their order", k).containsExactlyElementsOf(originalRest);
                if (readdirReturnsCreationOrder()) {
                    assertThat(rest.stream().filter(n -> n.startsWith("later")).count()).isEqualTo(200);
                }
            }
        }
    }

    @Test
    void readdir_newEntriesComeAfterOlderOnes() throws Exception {
        assumeTrue(readdirReturnsCreationOrder(), "readdir order is not creation order here");
        List<String> order = new ArrayList<>();
        Random random = new Random(8);
        for (int i = 0; i < 200; i++) {
            String name = Integer.toHexString(random.nextInt()) + "-" + i; // not in any sorted order
            Files.createFile(p(name));
            order.add(name);
        }
        for (int i = 0; i < 200; i += 3) {
            Files.delete(p(order.get(i)));
        }
        List<String> survivors = order.stream().filter(n -> Files.exists(p(n))).toList();
        List<String> expected = new ArrayList<>(survivors);
        for (int i = 0; i < 50; i++) {
            String name = "after-" + Integer.toHexString(random.nextInt());
            Files.createFile(p(name));
            expected.add(name);
        }
        assertThat(withoutDots(Libc.readDirectory(dir, 1024))).containsExactlyElementsOf(expected);
    }

    private List<DirEntry> readRest(Fd fd) throws ErrnoException {
        List<DirEntry> rest = new ArrayList<>();
        for (List<DirEntry> batch = Libc.getdents(fd, 1024); !batch.isEmpty(); batch = Libc.getdents(fd, 1024)) {
            rest.addAll(batch);
        }
        return rest;
    }

    static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }

    // ================================================================ statfs

    @Test
    void statfs_countsArePlausible() {
        StatVfs st = statvfs();
        assertThat(st.bsize()).isPositive();
        assertThat(st.frsize()).isPositive();
        assertThat(st.blocks()).isPositive();
        assertThat(st.bfree()).isBetween(0L, st.blocks());
        assertThat(st.bavail()).isBetween(0L, st.bfree());
        assertThat(st.namemax()).isEqualTo(Libc.NAME_MAX);
        if (reportsInodeCounts()) {
            assertThat(st.files()).isPositive();
            assertThat(st.ffree()).isBetween(0L, st.files());
        }
    }

    @Test
    void statfs_freeBlocksFollowDataWrittenAndRemoved() throws Exception {
        int size = 16 << 20;
        Libc.syncfs(dir);
        long freeAtStart = statvfs().freeBytes();
        Path f = writeFile(p("data"), randomBytes(size, 9));
        awaitSpaceAccounting("16 MiB of new data being counted",
                () -> statvfs().freeBytes() <= freeAtStart - size * 3L / 4);
        Files.delete(f);
        awaitSpaceAccounting("16 MiB of removed data being freed", () -> statvfs()
                .freeBytes() >= freeAtStart - size / 4);
    }

    @Test
    void statfs_freeInodesFollowFilesCreatedAndRemoved() throws Exception {
        assumeTrue(reportsInodeCounts(), "no inode counts in statfs");
        Libc.syncfs(dir);
        long freeAtStart = statvfs().ffree();
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            files.add(Files.createFile(p("f" + i)));
        }
        awaitSpaceAccounting("200 new inodes being counted", () -> statvfs().ffree() <= freeAtStart - 200);
        for (Path f : files) {
            Files.delete(f);
        }
        awaitSpaceAccounting("200 removed inodes being freed", () -> statvfs().ffree() >= freeAtStart - 10);
    }

    // ================================================================ fsync

    @Test
    void sync_fsyncAndFdatasyncSucceedOnFiles() throws Exception {
        Path f = p("f");
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(randomBytes(10_000, 10)));
            ch.force(true);
            ch.write(ByteBuffer.wrap(randomBytes(10_000, 11)));
            ch.force(false);
        }
        try (Fd readOnly = Libc.open(f, Libc.O_RDONLY)) {
            Libc.fsync(readOnly);
            Libc.fdatasync(readOnly);
        }
    }

    @Test
    void sync_fsyncAndFdatasyncSucceedOnDirectories() throws Exception {
        Path d = mkdir(p("d"));
        writeFile(d.resolve("f"), "x");
        try (Fd fd = Libc.openDirectory(d)) {
            Libc.fsync(fd);
            Libc.fdatasync(fd);
        }
        Libc.syncfs(d);
    }

    // ================================================================ O_TMPFILE

    private void needsTmpfile() {
        assumeTrue(supportsTmpfile(), "O_TMPFILE not supported");
    }

    @Test
    void tmpfile_anonymousFileIsInvisibleUntilLinked() throws Exception {
        needsTmpfile();
        try (Fd fd = Libc.open(dir, Libc.O_TMPFILE | Libc.O_RDWR, 0600)) {
            Libc.pwrite(fd, "anonymous".getBytes(UTF_8), 0);
            assertThat(Libc.fstat(fd).nlink()).isZero();
            assertThat(Libc.fstat(fd).isRegularFile()).isTrue();
            assertThat(names(dir)).isEmpty();
            Libc.linkat(fd.procPath(), p("named"), Libc.AT_SYMLINK_FOLLOW);
            assertThat(Libc.fstat(fd).nlink()).isEqualTo(1);
            assertThat(Libc.fstat(fd).ino()).isEqualTo(ino(p("named")));
        }
        assertThat(Files.readString(p("named"))).isEqualTo("anonymous");
        assertThat(names(dir)).containsExactly("named");
    }

    @Test
    void tmpfile_atEmptyPathLinksTheDescriptor() throws Exception {
        needsTmpfile();
        try (Fd fd = Libc.open(dir, Libc.O_TMPFILE | Libc.O_WRONLY, 0640)) {
            Libc.pwrite(fd, "by AT_EMPTY_PATH".getBytes(UTF_8), 0);
            Libc.linkEmptyPath(fd, p("named"));
        }
        assertThat(Files.readString(p("named"))).isEqualTo("by AT_EMPTY_PATH");
    }

    @Test
    void tmpfile_exclusiveTmpfileCannotBeLinked() throws Exception {
        needsTmpfile();
        try (Fd fd = Libc.open(dir, Libc.O_TMPFILE | Libc.O_EXCL | Libc.O_RDWR, 0600)) {
            assertErrno(ENOENT, () -> Libc.linkat(fd.procPath(), p("named"), Libc.AT_SYMLINK_FOLLOW));
        }
        assertThat(names(dir)).isEmpty();
    }

    @Test
    void tmpfile_tmpfileNeedsWriteAccessAndADirectory() throws Exception {
        needsTmpfile();
        assertErrno(EINVAL, () -> Libc.open(dir, Libc.O_TMPFILE | Libc.O_RDONLY, 0600));
        Path f = writeFile(p("f"), "x");
        assertErrno(ENOTDIR, () -> Libc.open(f, Libc.O_TMPFILE | Libc.O_RDWR, 0600));
    }

    @Test
    void tmpfile_anUnlinkedRegularFileCannotBeLinkedBack() throws Exception {
        needsTmpfile();
        Path f = writeFile(p("f"), "x");
        try (Fd fd = Libc.open(f, Libc.O_RDWR)) {
            Libc.unlink(f);
            assertErrno(ENOENT, () -> Libc.linkat(fd.procPath(), p("back"), Libc.AT_SYMLINK_FOLLOW));
        }
    }

    // ================================================================ mmap

    private void needsSharedMmap() {
        assumeTrue(supportsSharedWritableMmap(), "shared writable mmap not supported");
    }

    @Test
    void mmap_writesShowThroughAnExistingMapping() throws Exception {
        needsSharedMmap();
        Path f = writeFile(p("f"), filled(3 * 4096, 0));
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
                Arena arena = Arena.ofConfined()) {
            MemorySegment mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, 3 * 4096, arena);
            assertThat(mapped.get(ValueLayout.JAVA_BYTE, 5000)).isZero();
            ch.write(ByteBuffer.wrap(filled(100, 0x5A)), 4990);
            assertBytes("mapping after write()", mapped.asSlice(4990, 100).toArray(ValueLayout.JAVA_BYTE), filled(100,
                    0x5A));
        }
    }

    @Test
    void mmap_mappedStoresShowThroughReadWithoutMsync() throws Exception {
        needsSharedMmap();
        Path f = writeFile(p("f"), filled(3 * 4096, 0));
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
                Arena arena = Arena.ofConfined()) {
            MemorySegment mapped = ch.map(FileChannel.MapMode.READ_WRITE, 0, 3 * 4096, arena);
            mapped.asSlice(4000, 200).fill((byte) 0x6B);
            ByteBuffer read = ByteBuffer.allocate(200);
            ch.read(read, 4000);
            assertBytes("read() after a mapped store", read.array(), filled(200, 0x6B));
            try (Fd other = Libc.open(f, Libc.O_RDONLY)) {
                assertBytes("read() through another descriptor", Libc.preadFully(other, 200, 4000), filled(200, 0x6B));
            }
        }
    }

    @Test
    void mmap_forcedMappedStoresSurviveCloseAndReopen() throws Exception {
        needsSharedMmap();
        Path f = writeFile(p("f"), filled(64 << 10, 1));
        byte[] data = randomBytes(10_000, 12);
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE);
                Arena arena = Arena.ofConfined()) {
            MemorySegment mapped = ch.map(FileChannel.MapMode.READ_WRITE, 30_000, 10_000, arena);
            MemorySegment.copy(data, 0, mapped, ValueLayout.JAVA_BYTE, 0, data.length);
            mapped.force();
        }
        byte[] all = Files.readAllBytes(f);
        assertBytes("mapped stores after reopen", Arrays.copyOfRange(all, 30_000, 40_000), data);
        assertBytes("bytes before the mapping", Arrays.copyOfRange(all, 0, 30_000), filled(30_000, 1));
        assertThat(all).hasSize(64 << 10);
    }

    @Test
    void mmap_mappedStoresReachTheFileAfterTruncateExtendsIt() throws Exception {
        needsSharedMmap();
        Path f = writeFile(p("f"), filled(4096, 2));
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Libc.truncate(f, 3 * 4096);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment mapped = ch.map(FileChannel.MapMode.READ_WRITE, 0, 3 * 4096, arena);
                assertBytes("mapped extension", mapped.asSlice(4096, 8192).toArray(ValueLayout.JAVA_BYTE),
                        new byte[8192]);
                mapped.asSlice(8192, 4096).fill((byte) 3);
            }
        }
        byte[] all = Files.readAllBytes(f);
        assertBytes("stores into the extension", Arrays.copyOfRange(all, 8192, 12288), filled(4096, 3));
    }

    // ================================================================ data integrity

    private long fsxSeed() {
        long seed = Long.getLong("scoutfs.fsx.seed", new Random().nextLong());
        System.out.println("fsx seed " + seed + " (rerun with -Dscoutfs.fsx.seed=" + seed + ")");
        return seed;
    }

    private Fsx.Options fsxOptions() {
        return Fsx.Options.defaults(fsxSeed())
                .withFallocate(supportsFallocate())
                .withPunchHole(supportsPunchHole())
                .withZeroRange(supportsZeroRange())
                .withMmap(supportsSharedWritableMmap());
    }

    @Test
    void fsx_randomOperationsKeepTheDataExact() throws Exception {
        Fsx fsx = new Fsx(p("fsx"), fsxOptions());
        fsx.run(20_000);
        assertThat(fsx.operationsDone()).isEqualTo(20_000);
    }

    @Test
    void fsx_dataSurvivesCloseAndReopenBetweenPhases() throws Exception {
        Fsx fsx = new Fsx(p("fsx"), fsxOptions());
        for (int phase = 0; phase < 4; phase++) {
            fsx.run(1_500);
            betweenFsxPhases();
        }
    }

    @Test
    void fsx_dataSurvivesRemount() throws Exception {
        assumeTrue(canRemount(), "this filesystem cannot be remounted with its contents");
        Fsx fsx = new Fsx(p("fsx"), fsxOptions());
        for (int phase = 0; phase < 3; phase++) {
            fsx.run(1_500);
            remount();
        }
        fsx.run(500);
    }
}
