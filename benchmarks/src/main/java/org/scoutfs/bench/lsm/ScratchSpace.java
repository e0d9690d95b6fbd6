package org.scoutfs.bench.lsm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Where benchmark stores live on disk. Both engines are put in the same directory tree so they
 * share one filesystem and one device; only the store layout differs.
 *
 * <p>The base directory is {@code $SCOUTFS_BENCH_DIR} or else {@code target/bench-data} under the
 * working directory. An environment variable rather than a system property, because JMH forks
 * inherit the environment but not the host JVM's {@code -D} flags. Never point it at a tmpfs: the
 * point of the comparison is real writes and real fdatasync.
 */
final class ScratchSpace {
    private ScratchSpace() {
    }

    static Path base() {
        String configured = System.getenv("SCOUTFS_BENCH_DIR");
        return Path.of(configured != null && !configured.isBlank() ? configured : "target/bench-data")
                .toAbsolutePath();
    }

    /** A new, empty directory of its own, so that a crashed earlier run cannot leak into this one. */
    static Path newDirectory(String prefix) {
        try {
            Path base = base();
            Files.createDirectories(base);
            return Files.createTempDirectory(base, prefix + "-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make a benchmark directory under " + base(), e);
        }
    }

    static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    Files.delete(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }
}
