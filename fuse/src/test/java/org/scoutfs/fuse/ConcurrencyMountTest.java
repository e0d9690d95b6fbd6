package org.scoutfs.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.scoutfs.fuse.testfs.MemoryFileSystem;

/** Verifies that operations run concurrently and that INTERRUPT reaches a blocked operation. */
class ConcurrencyMountTest {
    private static final Duration GENEROUS = Duration.ofSeconds(20);

    private MountFixture m;

    @AfterEach
    void unmount() throws Exception {
        if (m != null) {
            m.close();
        }
    }

    /**
     * Starts with one reader thread: the concurrency must come from the dispatch, either a follower
     * reader started by the blocked one or a virtual thread per request.
     */
    @ParameterizedTest
    @EnumSource(MountOptions.Dispatch.class)
    void blockedFsyncDoesNotStallOtherRequests(MountOptions.Dispatch dispatch) throws Exception {
        m = MountFixture.mount(fsWithoutAttributeCaching(), MountOptions.builder().readerThreads(1).dispatch(dispatch));
        Files.writeString(m.path("slow"), "data");
        Files.writeString(m.path("other"), "data");
        CountDownLatch fsyncEntered = new CountDownLatch(1);
        CountDownLatch releaseFsync = new CountDownLatch(1);
        m.fs.probe().onFsync((ctx, ino) -> {
            fsyncEntered.countDown();
            releaseFsync.await(GENEROUS.toSeconds(), TimeUnit.SECONDS);
        });

        // Separate platform threads: the common pool may have a single thread on a small machine.
        ExecutorService callers = Executors.newFixedThreadPool(2);
        CompletableFuture<Void> fsync = CompletableFuture.runAsync(() -> force(m.path("slow")), callers);
        assertThat(fsyncEntered.await(GENEROUS.toSeconds(), TimeUnit.SECONDS)).as("fsync reached the filesystem").isTrue();

        // With zero attribute timeouts every stat is a GETATTR; it must complete while fsync blocks.
        CompletableFuture<Long> stat = CompletableFuture.supplyAsync(() -> size(m.path("other")), callers);
        assertThat(stat.get(GENEROUS.toSeconds(), TimeUnit.SECONDS)).isEqualTo(4);
        assertThat(fsync).as("fsync is still blocked").isNotDone();

        releaseFsync.countDown();
        fsync.get(GENEROUS.toSeconds(), TimeUnit.SECONDS);
        callers.shutdown();
    }

    @ParameterizedTest
    @EnumSource(MountOptions.Dispatch.class)
    void killingAReaderInterruptsItsBlockedRead(MountOptions.Dispatch dispatch) throws Exception {
        m = MountFixture.mount(fsWithoutAttributeCaching(), MountOptions.builder().dispatch(dispatch));
        Files.writeString(m.path("blocking"), "never delivered");
        long ino = m.fs.inoOf("blocking");
        m.fs.setDirectIo(ino, true);
        CountDownLatch readEntered = new CountDownLatch(1);
        AtomicBoolean contextSawInterrupt = new AtomicBoolean();
        AtomicBoolean threadSawInterrupt = new AtomicBoolean();
        m.fs.probe().onRead((ctx, readIno) -> {
            readEntered.countDown();
            try {
                Thread.sleep(GENEROUS);
            } catch (InterruptedException e) {
                threadSawInterrupt.set(true);
                contextSawInterrupt.set(ctx.isInterrupted());
                throw e;
            }
        });

        Process reader = Shell.start("cat", m.path("blocking").toString());
        try {
            assertThat(readEntered.await(GENEROUS.toSeconds(), TimeUnit.SECONDS)).as("read reached the filesystem").isTrue();
            reader.destroy();
            assertThat(reader.waitFor(GENEROUS.toSeconds(), TimeUnit.SECONDS)).as("reader exited").isTrue();
        } finally {
            reader.destroyForcibly();
        }
        assertThat(threadSawInterrupt).as("operation thread interrupted").isTrue();
        assertThat(contextSawInterrupt).as("RequestContext.isInterrupted()").isTrue();
        assertThat(m.mount.counters().interrupts()).isPositive();
    }

    private static MemoryFileSystem fsWithoutAttributeCaching() {
        MemoryFileSystem fs = new MemoryFileSystem();
        fs.setTimeout(Duration.ZERO);
        return fs;
    }

    private static void force(Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            channel.force(true);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
