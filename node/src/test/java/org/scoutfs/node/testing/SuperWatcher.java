package org.scoutfs.node.testing;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.scoutfs.lsm.format.Format;
import org.scoutfs.lsm.format.SuperBlock;

/**
 * Watches a volume's two super block copies while a test runs and records every commit it sees:
 * its sequence and the term of the server that wrote it. Two servers committing at once would
 * show as a later commit of an older term; {@link #termsOutOfOrder()} finds that.
 */
public final class SuperWatcher implements AutoCloseable {
    private final Path volume;
    private final Thread thread;
    private final Map<Long, Long> termBySeq = new TreeMap<>();
    private volatile boolean stop;

    private SuperWatcher(Path volume) {
        this.volume = volume;
        this.thread = Thread.ofPlatform().daemon().name("super-watcher").start(this::run);
    }

    public static SuperWatcher watch(Path volume) {
        return new SuperWatcher(volume);
    }

    private void run() {
        try (FileChannel ch = FileChannel.open(volume, StandardOpenOption.READ)) {
            while (!stop) {
                for (long off : Format.SUPER_COPY_OFFSETS) {
                    ByteBuffer b = ByteBuffer.allocate(Format.SUPER_SIZE);
                    ch.read(b, off);
                    try {
                        SuperBlock sb = SuperBlock.decode(b.array(), off);
                        synchronized (this) {
                            Long before = termBySeq.putIfAbsent(sb.seq(), sb.serverTerm());
                            if (before != null && before != sb.serverTerm()) {
                                // the same commit sequence written by two servers: keep both in view
                                termBySeq.put(sb.seq(), -Math.abs(sb.serverTerm()));
                            }
                        }
                    } catch (RuntimeException torn) {
                        // caught mid-write; the next read sees it whole
                    }
                }
                Thread.sleep(2);
            }
        } catch (IOException | InterruptedException e) {
            // the volume went away with the test
        }
    }

    /** Commits seen, as "seq:term", where a later commit has an older term than an earlier one (or a sequence has two). */
    public synchronized List<String> termsOutOfOrder() {
        List<String> out = new ArrayList<>();
        long highest = 0;
        for (Map.Entry<Long, Long> e : termBySeq.entrySet()) {
            if (e.getValue() < 0 || e.getValue() < highest) {
                out.add(e.getKey() + ":" + e.getValue() + " after term " + highest);
            }
            highest = Math.max(highest, e.getValue());
        }
        return out;
    }

    /** The terms of the commits seen, in commit order, without repeats. */
    public synchronized List<Long> terms() {
        List<Long> out = new ArrayList<>();
        for (long t : termBySeq.values()) {
            if (out.isEmpty() || out.getLast() != t) {
                out.add(t);
            }
        }
        return out;
    }

    @Override
    public void close() throws InterruptedException {
        stop = true;
        thread.join(10_000);
    }
}
