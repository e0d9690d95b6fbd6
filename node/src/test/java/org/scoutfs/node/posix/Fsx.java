package org.scoutfs.node.posix;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;

import org.scoutfs.node.posix.Libc.Fd;

/**
 * A file-data integrity exerciser in the spirit of fsx: random writes, reads, truncates,
 * fallocate/punch/zero-range, mmap reads and writes and syncs on one file, each checked against an
 * in-memory copy of what the file must contain.
 *
 * <p>After every operation the file size is compared with the model; every read compares the
 * bytes; the whole file is compared every {@link Options#fullCheckInterval} operations and at
 * the start and end of every {@link #run phase}. A mismatch throws an {@link AssertionError}
 * naming the seed (which replays the same sequence), the operation number, the first bad offset
 * and the logged operations that touched it.
 *
 * <p>Each {@link #run} opens the file, runs its operations and closes it, so callers can close,
 * reopen, drop caches or remount between phases and the next phase first checks the whole file.
 *
 * <p>Usage: {@code new Fsx(path, Fsx.Options.defaults(seed)).run(20_000)}.
 */
final class Fsx {
    /** What the exerciser does; capabilities that a filesystem lacks are switched off here. */
    record Options(long seed, int maxFileSize, int maxOpLength, boolean fallocate, boolean punchHole, boolean zeroRange,
            boolean mmap, int fullCheckInterval, int logTail) {
        static Options defaults(long seed) {
            return new Options(seed, 4 << 20, 128 << 10, true, true, true, true, 500, 40);
        }

        Options withMaxFileSize(int bytes) {
            return new Options(seed, bytes, maxOpLength, fallocate, punchHole, zeroRange, mmap, fullCheckInterval,
                    logTail);
        }

        Options withFallocate(boolean on) {
            return new Options(seed, maxFileSize, maxOpLength, on, punchHole, zeroRange, mmap, fullCheckInterval,
                    logTail);
        }

        Options withPunchHole(boolean on) {
            return new Options(seed, maxFileSize, maxOpLength, fallocate, on, zeroRange, mmap, fullCheckInterval,
                    logTail);
        }

        Options withZeroRange(boolean on) {
            return new Options(seed, maxFileSize, maxOpLength, fallocate, punchHole, on, mmap, fullCheckInterval,
                    logTail);
        }

        Options withMmap(boolean on) {
            return new Options(seed, maxFileSize, maxOpLength, fallocate, punchHole, zeroRange, on, fullCheckInterval,
                    logTail);
        }
    }

    /**
     * Operations and their relative frequency. Syncs are rare on purpose: on a disk filesystem
     * each one is a journal commit and a cache flush, and they would dominate the run time.
     */
    private enum Kind {
        WRITE(60), READ(40), TRUNCATE(16), MAP_READ(14), MAP_WRITE(14), FALLOCATE(8), PUNCH_HOLE(8), ZERO_RANGE(6),
        FSYNC(1), FDATASYNC(1);

        final int weight;

        Kind(int weight) {
            this.weight = weight;
        }
    }

    /** One logged operation; a truncate logs its new size as {@code offset}; syncs have no range. */
    private record LoggedOp(long number, Kind kind, long offset, long length, String note) {
        boolean touches(long position) {
            return kind == Kind.TRUNCATE || (position >= offset && position < offset + length);
        }

        @Override
        public String toString() {
            if (kind == Kind.TRUNCATE) {
                return String.format("#%-6d %-10s to=%-9d %s", number, kind, offset, note);
            }
            return String.format("#%-6d %-10s off=%-8d len=%-7d %s", number, kind, offset, length, note);
        }
    }

    private static final int PAGE = 4096;

    private final Path file;
    private final Options options;
    private final SplittableRandom random;
    private final List<Kind> enabledKinds = new ArrayList<>();
    private final int totalWeight;
    private final byte[] model;
    private int size;
    private long opNumber;
    private boolean started;
    private final ArrayDeque<LoggedOp> log = new ArrayDeque<>();

    private FileChannel channel;
    private Fd fd;

    Fsx(Path file, Options options) {
        this.file = file;
        this.options = options;
        this.random = new SplittableRandom(options.seed());
        this.model = new byte[options.maxFileSize()];
        int weight = 0;
        for (Kind kind : Kind.values()) {
            if (enabled(kind)) {
                enabledKinds.add(kind);
                weight += kind.weight;
            }
        }
        this.totalWeight = weight;
    }

    private boolean enabled(Kind kind) {
        return switch (kind) {
            case FALLOCATE -> options.fallocate();
            case PUNCH_HOLE -> options.punchHole();
            case ZERO_RANGE -> options.zeroRange();
            case MAP_READ, MAP_WRITE -> options.mmap();
            default -> true;
        };
    }

    long operationsDone() {
        return opNumber;
    }

    /**
     * One phase: opens the file (creating and emptying it on the first phase), checks the whole
     * file, performs {@code operations} random operations, checks the whole file again and closes it.
     */
    void run(int operations) throws IOException {
        // A java.nio channel does reads, writes and mmap; a second descriptor on the same file
        // does what java.nio lacks (growing ftruncate, fallocate).
        channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.CREATE);
        try {
            fd = Libc.open(file, Libc.O_RDWR | Libc.O_CLOEXEC);
            try {
                if (!started) {
                    Libc.ftruncate(fd, 0);
                    started = true;
                }
                verifyWholeFile("phase start");
                for (int i = 0; i < operations; i++) {
                    step();
                }
                verifyWholeFile("phase end");
            } finally {
                Fd open = fd;
                fd = null;
                open.close();
            }
        } finally {
            channel.close();
            channel = null;
        }
    }

    private void step() throws IOException {
        opNumber++;
        Kind kind = pickKind();
        try {
            perform(kind);
        } catch (IOException e) {
            fail(kind + " failed: " + e.getMessage(), -1, e);
        }
        long actualSize = channel.size();
        if (actualSize != size) {
            fail("file size is " + actualSize + " but must be " + size, -1);
        }
        if (opNumber % options.fullCheckInterval() == 0) {
            verifyWholeFile("periodic check");
        }
    }

    private void perform(Kind kind) throws IOException {
        switch (kind) {
            case WRITE -> write();
            case READ -> read();
            case TRUNCATE -> truncate();
            case MAP_READ -> mapRead();
            case MAP_WRITE -> mapWrite();
            case FALLOCATE -> fallocate();
            case PUNCH_HOLE -> punchHole();
            case ZERO_RANGE -> zeroRange();
            case FSYNC -> {
                channel.force(true);
                logged(kind, 0, 0, "");
            }
            case FDATASYNC -> {
                channel.force(false);
                logged(kind, 0, 0, "");
            }
        }
    }

    private Kind pickKind() {
        int r = random.nextInt(totalWeight);
        for (Kind kind : enabledKinds) {
            r -= kind.weight;
            if (r < 0) {
                return kind;
            }
        }
        throw new IllegalStateException();
    }

    // ---------------------------------------------------------------- operations

    private void write() throws IOException {
        int offset = pickOffset();
        int length = pickLength(options.maxFileSize() - offset);
        byte[] data = new byte[length];
        random.nextBytes(data);
        logged(Kind.WRITE, offset, length, size < offset ? "beyond EOF " + size : "");
        ByteBuffer buffer = ByteBuffer.wrap(data);
        while (buffer.hasRemaining()) {
            channel.write(buffer, offset + buffer.position());
        }
        System.arraycopy(data, 0, model, offset, length);
        size = Math.max(size, offset + length);
    }

    private void read() throws IOException {
        int offset = random.nextInt(4) == 0 ? random.nextInt(options.maxFileSize()) : random.nextInt(Math.max(size, 1));
        int length = pickLength(options.maxFileSize() - offset);
        logged(Kind.READ, offset, length, "");
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, offset + buffer.position()) < 0) {
                break;
            }
        }
        int expectedLength = Math.max(0, Math.min(length, size - offset));
        if (buffer.position() != expectedLength) {
            fail("read at " + offset + " of " + length + " returned " + buffer.position() + " bytes, expected "
                    + expectedLength, offset + Math.min(buffer.position(), expectedLength));
        }
        compare("read", offset, Arrays.copyOf(buffer.array(), buffer.position()));
    }

    private void truncate() throws IOException {
        int newSize = switch (random.nextInt(4)) {
            case 0 -> random.nextInt(size + 1);
            case 1 -> size + random.nextInt(options.maxFileSize() - size + 1);
            case 2 -> clamp(size + random.nextInt(-PAGE, PAGE + 1), 0, options.maxFileSize());
            default -> random.nextInt(options.maxFileSize() + 1);
        };
        logged(Kind.TRUNCATE, newSize, 0, "from " + size);
        Libc.ftruncate(fd, newSize);
        if (newSize < size) {
            // What lies past EOF must read back as zeros if the file grows again.
            Arrays.fill(model, newSize, size, (byte) 0);
        }
        size = newSize;
    }

    private void mapRead() throws IOException {
        if (size == 0) {
            logged(Kind.MAP_READ, 0, 0, "skipped: empty file");
            return;
        }
        int offset = random.nextInt(size);
        int length = 1 + random.nextInt(Math.min(options.maxOpLength(), size - offset));
        logged(Kind.MAP_READ, offset, length, "");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_ONLY, offset, length, arena);
            compare("mmap read", offset, mapped.toArray(ValueLayout.JAVA_BYTE));
        }
    }

    private void mapWrite() throws IOException {
        if (size == 0) {
            logged(Kind.MAP_WRITE, 0, 0, "skipped: empty file");
            return;
        }
        // Mapped writes stay inside EOF: a store past EOF is SIGBUS, and FileChannel.map would grow the file.
        int offset = random.nextInt(size);
        int length = 1 + random.nextInt(Math.min(options.maxOpLength(), size - offset));
        byte[] data = new byte[length];
        random.nextBytes(data);
        // msync(MS_SYNC) is an fsync of the file: keep it occasional, like the explicit syncs.
        boolean msync = random.nextInt(8) == 0;
        logged(Kind.MAP_WRITE, offset, length, msync ? "msync" : "no msync");
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mapped = channel.map(FileChannel.MapMode.READ_WRITE, offset, length, arena);
            MemorySegment.copy(data, 0, mapped, ValueLayout.JAVA_BYTE, 0, length);
            if (msync) {
                mapped.force();
            }
        }
        System.arraycopy(data, 0, model, offset, length);
    }

    private void fallocate() throws IOException {
        int offset = pickOffset();
        int length = 1 + random.nextInt(Math.max(1, Math.min(options.maxOpLength(), options.maxFileSize() - offset)));
        boolean keepSize = random.nextBoolean();
        logged(Kind.FALLOCATE, offset, length, keepSize ? "KEEP_SIZE" : "");
        Libc.fallocate(fd, keepSize ? Libc.FALLOC_FL_KEEP_SIZE : 0, offset, length);
        if (!keepSize) {
            size = Math.max(size, offset + length);
        }
    }

    private void punchHole() throws IOException {
        int offset = random.nextInt(Math.max(size, 1));
        int length = 1 + random.nextInt(Math.max(1, Math.min(options.maxOpLength(), options.maxFileSize() - offset)));
        logged(Kind.PUNCH_HOLE, offset, length, "");
        Libc.fallocate(fd, Libc.FALLOC_FL_PUNCH_HOLE | Libc.FALLOC_FL_KEEP_SIZE, offset, length);
        zeroModel(offset, offset + length);
    }

    private void zeroRange() throws IOException {
        int offset = pickOffset();
        int length = 1 + random.nextInt(Math.max(1, Math.min(options.maxOpLength(), options.maxFileSize() - offset)));
        boolean keepSize = random.nextBoolean();
        logged(Kind.ZERO_RANGE, offset, length, keepSize ? "KEEP_SIZE" : "");
        Libc.fallocate(fd, Libc.FALLOC_FL_ZERO_RANGE | (keepSize ? Libc.FALLOC_FL_KEEP_SIZE : 0), offset, length);
        zeroModel(offset, offset + length);
        if (!keepSize) {
            size = Math.max(size, offset + length);
        }
    }

    /** Zeroes the model inside EOF; beyond EOF it is zero already. */
    private void zeroModel(int from, int to) {
        if (from < size) {
            Arrays.fill(model, from, Math.min(to, size), (byte) 0);
        }
    }

    // ---------------------------------------------------------------- choosing ranges

    /** Offsets inside the file, around EOF, page aligned, or anywhere up to the maximum size. */
    private int pickOffset() {
        int max = options.maxFileSize();
        return switch (random.nextInt(5)) {
            case 0, 1 -> random.nextInt(Math.max(size, 1));
            case 2 -> clamp(size + random.nextInt(-2 * PAGE, 2 * PAGE), 0, max - 1);
            case 3 -> random.nextInt(max / PAGE) * PAGE;
            default -> random.nextInt(max);
        };
    }

    /** Mostly short lengths, some up to the maximum, some whole pages; never more than {@code room}. */
    private int pickLength(int room) {
        int max = Math.max(1, Math.min(options.maxOpLength(), room));
        return switch (random.nextInt(5)) {
            case 0, 1 -> 1 + random.nextInt(Math.min(max, 512));
            case 2 -> Math.min(max, PAGE * (1 + random.nextInt(Math.max(1, options.maxOpLength() / PAGE))));
            default -> 1 + random.nextInt(max);
        };
    }

    private static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }

    // ---------------------------------------------------------------- checking

    private void verifyWholeFile(String when) throws IOException {
        long actualSize = channel.size();
        if (actualSize != size) {
            fail(when + ": file size is " + actualSize + " but must be " + size, -1);
        }
        ByteBuffer buffer = ByteBuffer.allocate(size);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, buffer.position()) < 0) {
                fail(when + ": EOF after " + buffer.position() + " bytes, size is " + size, buffer.position());
            }
        }
        compare(when, 0, buffer.array());
    }

    private void compare(String what, int offset, byte[] actual) {
        int bad = Arrays.mismatch(actual, 0, actual.length, model, offset, offset + actual.length);
        if (bad >= 0) {
            int at = offset + bad;
            fail(what + ": byte at file offset " + at + " is " + hexAround(actual, bad) + " but must be "
                    + hexAround(model, at) + " (showing from " + at + ")", at);
        }
    }

    private static String hexAround(byte[] bytes, int from) {
        int to = Math.min(bytes.length, from + 16);
        return HexFormat.of().formatHex(bytes, from, to);
    }

    private void logged(Kind kind, long offset, long length, String note) {
        if (log.size() == options.logTail()) {
            log.removeFirst();
        }
        log.addLast(new LoggedOp(opNumber, kind, offset, length, note));
    }

    private void fail(String problem, long badOffset) {
        fail(problem, badOffset, null);
    }

    private void fail(String problem, long badOffset, Throwable cause) {
        StringBuilder message = new StringBuilder()
                .append("fsx found a mismatch on ").append(file)
                .append(" (seed ").append(options.seed()).append(", operation #").append(opNumber).append("): ")
                .append(problem).append('\n')
                .append("last ").append(log.size()).append(" operations:\n");
        log.forEach(op -> message.append("  ").append(op).append('\n'));
        if (badOffset >= 0) {
            message.append("of those, the ones that touched offset ").append(badOffset).append(":\n");
            log.stream().filter(op -> op.touches(badOffset)).forEach(op -> message.append("  ").append(op)
                    .append('\n'));
        }
        throw new AssertionError(message.toString(), cause);
    }
}
