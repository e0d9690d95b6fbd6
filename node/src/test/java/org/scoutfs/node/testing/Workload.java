package org.scoutfs.node.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load on one mount, with a record of what it made durable: in its own directory it creates a
 * file, writes content derived from the file's name, fsyncs it, and appends the name to a journal
 * it also fsyncs. Whatever fsync returned for must be there afterwards, whatever was killed.
 * Failures are kept, with the time they happened, and the time of every completed step, so a test
 * can tell when service resumed after a failure.
 */
public final class Workload implements AutoCloseable {
    private final Path dir;
    private final String name;
    private final Thread thread;
    private final List<String> durable = new CopyOnWriteArrayList<>();
    private final List<String> failures = new CopyOnWriteArrayList<>();
    private final AtomicLong lastDone = new AtomicLong();
    private volatile boolean stop;

    private Workload(Path dir, String name) {
        this.dir = dir;
        this.name = name;
        this.thread = Thread.ofPlatform().name("workload-" + name).start(this::run);
    }

    /** Starts load in {@code mount}/{@code name}. */
    public static Workload start(Path mount, String name) throws IOException {
        Path d = Files.createDirectories(mount.resolve(name));
        return new Workload(d, name);
    }

    public static String content(String file) {
        return (file + "\n").repeat(100);
    }

    private void run() {
        long n = 0;
        while (!stop) {
            String file = name + "-" + (++n);
            try {
                Path p = dir.resolve(file);
                try (FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    ch.write(ByteBuffer.wrap(content(file).getBytes(StandardCharsets.UTF_8)));
                    ch.force(true);
                }
                try (FileChannel j = FileChannel.open(dir.resolve("journal"), StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
                    j.write(ByteBuffer.wrap((file + "\n").getBytes(StandardCharsets.UTF_8)));
                    j.force(true);
                }
                durable.add(file);
                lastDone.set(System.nanoTime());
            } catch (IOException | RuntimeException e) {
                failures.add(System.nanoTime() + " " + file + ": " + e);
                try {
                    Thread.sleep(50);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Files whose fsync returned, in order. */
    public List<String> durable() {
        return List.copyOf(durable);
    }

    public List<String> failures() {
        return List.copyOf(failures);
    }

    /** When the last step completed (nanoTime), 0 if none did. */
    public long lastDone() {
        return lastDone.get();
    }

    /** Waits until a step completes after {@code since} (nanoTime); returns when it did, or -1 after {@code millis}. */
    public long awaitProgressAfter(long since, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000;
        while (System.nanoTime() < deadline) {
            long done = lastDone.get();
            if (done - since > 0) {
                return done;
            }
            Thread.sleep(5);
        }
        return -1;
    }

    /**
     * Checks, through {@code mount} (any mount of the volume), that every durable file is there with
     * its content and that the journal lists each of them once, in order; returns the problems.
     */
    public List<String> verifyThrough(Path mount, List<String> files) throws IOException {
        List<String> problems = new ArrayList<>();
        Path d = mount.resolve(name);
        for (String f : files) {
            Path p = d.resolve(f);
            if (!Files.exists(p)) {
                problems.add(f + " is missing");
            } else if (!Files.readString(p).equals(content(f))) {
                problems.add(f + " has other content");
            }
        }
        List<String> journal = Files.exists(d.resolve("journal")) ? Files.readAllLines(d.resolve("journal")) : List.of();
        if (!journal.subList(0, Math.min(journal.size(), files.size())).equals(files)) {
            problems.add("the journal does not start with the durable files in order: " + journal.size()
                    + " entries for " + files.size() + " files");
        }
        if (journal.stream().distinct().count() != journal.size()) {
            problems.add("the journal lists a file twice");
        }
        return problems;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(120_000);
    }
}
