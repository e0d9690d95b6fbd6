package org.scoutfs.fuse.internal.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.scoutfs.fuse.Entry;
import org.scoutfs.fuse.FileAttributes;
import org.scoutfs.fuse.FileMode;
import org.scoutfs.fuse.FileName;
import org.scoutfs.fuse.FuseFileSystem;
import org.scoutfs.fuse.OpenFlags;
import org.scoutfs.fuse.OpenReply;
import org.scoutfs.fuse.RequestContext;
import org.scoutfs.fuse.internal.protocol.KernelAbi;
import org.scoutfs.fuse.internal.protocol.KernelAbi.InHeader;
import org.scoutfs.fuse.internal.protocol.KernelAbi.Opcode;
import org.scoutfs.fuse.internal.protocol.RequestMessage;
import org.scoutfs.fuse.internal.sys.FuseDevice;

/**
 * Verifies that what an undeliverable reply would have handed to the kernel is given back to the
 * filesystem. The device is a descriptor number that is not open, so every reply write fails.
 */
class DispatcherTest {
    private static final int NOT_OPEN_FD = 1 << 20;

    private final List<String> calls = new ArrayList<>();
    private final SessionCounters counters = new SessionCounters();
    private final Dispatcher dispatcher = new Dispatcher(new RecordingFs(), new Replies(counters));
    /** Every reply fails here by design; keep the expected error logs out of the build output. */
    private final Logger sessionLogger = Logger.getLogger(Dispatcher.class.getPackageName());
    private Level previousLevel;

    @BeforeEach
    void silenceExpectedErrors() {
        previousLevel = sessionLogger.getLevel();
        sessionLogger.setLevel(Level.OFF);
    }

    @AfterEach
    void restoreLogging() {
        sessionLogger.setLevel(previousLevel);
    }

    @Test
    void undeliveredLookupIsForgotten() {
        dispatcher.dispatch(request(Opcode.LOOKUP, 0, "child"));
        assertThat(calls).containsExactly("lookup child", "forget 42 1");
        assertThat(counters.failedReplies.sum()).isEqualTo(1);
    }

    @Test
    void undeliveredOpenIsReleased() {
        dispatcher.dispatch(request(Opcode.OPEN, KernelAbi.OpenIn.SIZE, null));
        assertThat(calls).containsExactly("open 7", "release 7 fh 99");
    }

    @Test
    void unexpectedExceptionsAreCountedAndAnsweredWithoutRunningUndo() {
        dispatcher.dispatch(request(Opcode.GETATTR, KernelAbi.GetattrIn.SIZE, null));
        assertThat(counters.unexpectedErrors.sum()).isEqualTo(1);
        assertThat(calls).containsExactly("getattr 7");
    }

    @Test
    void interruptedBeforeStartIsAnsweredWithoutRunning() {
        InFlightRequest request = request(Opcode.LOOKUP, 0, "child");
        request.interrupt();
        dispatcher.dispatch(request);
        assertThat(calls).isEmpty();
    }

    private static InFlightRequest request(int opcode, int structSize, String name) {
        byte[] nameBytes = name == null ? new byte[0] : (name + "\0").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        int length = InHeader.SIZE + structSize + nameBytes.length;
        MemorySegment message = MemorySegment.ofArray(new byte[length]);
        message.set(ValueLayout.JAVA_INT_UNALIGNED, InHeader.LEN, length);
        message.set(ValueLayout.JAVA_INT_UNALIGNED, InHeader.OPCODE, opcode);
        message.set(ValueLayout.JAVA_LONG_UNALIGNED, InHeader.UNIQUE, 2);
        message.set(ValueLayout.JAVA_LONG_UNALIGNED, InHeader.NODEID, 7);
        MemorySegment.copy(nameBytes, 0, message, ValueLayout.JAVA_BYTE, InHeader.SIZE + structSize, nameBytes.length);
        return new InFlightRequest(RequestMessage.parse(message, length), FuseDevice.adopt(NOT_OPEN_FD), true);
    }

    private final class RecordingFs implements FuseFileSystem {
        @Override
        public Entry lookup(RequestContext ctx, long parent, FileName name) {
            calls.add("lookup " + name);
            return Entry.of(FileAttributes.builder().ino(42).mode(FileMode.S_IFREG).build(), 1, Duration.ofSeconds(1));
        }

        @Override
        public void forget(long ino, long nlookup) {
            calls.add("forget " + ino + " " + nlookup);
        }

        @Override
        public OpenReply open(RequestContext ctx, long ino, OpenFlags flags) {
            calls.add("open " + ino);
            return OpenReply.of(99);
        }

        @Override
        public void release(RequestContext ctx, long ino, long fh, OpenFlags flags) {
            calls.add("release " + ino + " fh " + fh);
        }

        @Override
        public org.scoutfs.fuse.AttrReply getattr(RequestContext ctx, long ino, long fh) {
            calls.add("getattr " + ino);
            throw new IllegalStateException("bug in the filesystem (expected by the test)");
        }
    }
}
