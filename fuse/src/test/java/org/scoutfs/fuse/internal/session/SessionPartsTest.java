package org.scoutfs.fuse.internal.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.scoutfs.fuse.ConnectionInfo;
import org.scoutfs.fuse.Entry;
import org.scoutfs.fuse.FileAttributes;
import org.scoutfs.fuse.FileMode;
import org.scoutfs.fuse.FileName;
import org.scoutfs.fuse.MountOptions;
import org.scoutfs.fuse.internal.protocol.KernelAbi;
import org.scoutfs.fuse.internal.protocol.KernelAbi.InHeader;
import org.scoutfs.fuse.internal.protocol.KernelAbi.InitFlag;
import org.scoutfs.fuse.internal.protocol.KernelCodec;
import org.scoutfs.fuse.internal.protocol.KernelCodec.InitRequest;
import org.scoutfs.fuse.internal.protocol.RequestMessage;

/** Verifies INIT negotiation, directory reply packing and interrupt matching without a mount. */
class SessionPartsTest {
    private static final long EVERYTHING = -1L;

    @Test
    void negotiationGrantsWhatIsWantedAndOffered() {
        InitRequest kernel = new InitRequest(7, 45, 131072, EVERYTHING);
        InitNegotiator.Outcome outcome = InitNegotiator.negotiate(kernel, MountOptions.defaults());
        ConnectionInfo info = outcome.connection();

        assertThat(info.protocolMinor()).isEqualTo(45);
        assertThat(info.maxWrite()).isEqualTo(1 << 20);
        assertThat(info.maxPages()).isEqualTo(256);
        assertThat(info.maxReadahead()).isEqualTo(131072);
        assertThat(info.readdirplus()).isTrue();
        assertThat(info.writebackCache()).isFalse();
        assertThat(info.posixAcl()).isFalse();
        long granted = info.grantedFlags();
        assertThat(granted & InitFlag.POSIX_LOCKS).as("locks stay local").isZero();
        assertThat(granted & InitFlag.NO_OPENDIR_SUPPORT).isZero();
        long expected = InitFlag.ASYNC_READ | InitFlag.BIG_WRITES | InitFlag.ATOMIC_O_TRUNC
                | InitFlag.PARALLEL_DIROPS | InitFlag.DO_READDIRPLUS | InitFlag.READDIRPLUS_AUTO | InitFlag.MAX_PAGES
                | InitFlag.CACHE_SYMLINKS | InitFlag.EXPORT_SUPPORT | InitFlag.SETXATTR_EXT | InitFlag.AUTO_INVAL_DATA;
        assertThat(Long.toHexString(granted)).isEqualTo(Long.toHexString(expected));
        assertThat(outcome.replySize()).isEqualTo(KernelAbi.InitOut.SIZE);
    }

    @Test
    void optionalCapabilitiesFollowTheOptions() {
        InitRequest kernel = new InitRequest(7, 45, 1 << 20, EVERYTHING);
        MountOptions options = MountOptions.builder().writebackCache(true).posixAcl(true)
                .readdirPlus(MountOptions.ReaddirPlus.OFF).autoInvalidateData(false).build();
        long granted = InitNegotiator.negotiate(kernel, options).connection().grantedFlags();
        assertThat(granted & InitFlag.WRITEBACK_CACHE).isNotZero();
        assertThat(granted & InitFlag.POSIX_ACL).isNotZero();
        assertThat(granted & InitFlag.DO_READDIRPLUS).isZero();
        assertThat(granted & InitFlag.EXPLICIT_INVAL_DATA).isNotZero();
        assertThat(granted & InitFlag.AUTO_INVAL_DATA).isZero();
    }

    @Test
    void oldKernelWithoutMaxPagesGetsLegacyWriteSizeAndShortReply() {
        InitRequest kernel = new InitRequest(7, 22, 131072, InitFlag.BIG_WRITES | InitFlag.ASYNC_READ);
        InitNegotiator.Outcome outcome = InitNegotiator.negotiate(kernel, MountOptions.defaults());
        assertThat(outcome.connection().maxWrite()).isEqualTo(128 * 1024);
        assertThat(outcome.connection().protocolMinor()).isEqualTo(22);
        assertThat(outcome.replySize()).isEqualTo(KernelAbi.InitOut.COMPAT_22_SIZE);
    }

    @Test
    void directoryReplyStopsWhenFullAndRecordsLookups() {
        int limit = KernelCodec.direntPlusSize(1) * 2;
        DirectoryReply reply = new DirectoryReply(MemorySegment.ofArray(new byte[limit]), limit, true);
        assertThat(reply.addWithoutEntry(FileName.DOT, 1, FileMode.S_IFDIR, 1)).isTrue();
        assertThat(reply.add(FileName.of("a"), entry(5), 2)).isTrue();
        assertThat(reply.fits(FileName.of("b"))).isFalse();
        assertThat(reply.add(FileName.of("b"), entry(6), 3)).isFalse();
        assertThat(reply.used()).isEqualTo(limit);
        assertThat(reply.grantedLookups()).containsExactly(5);
        assertThatThrownBy(() -> reply.add(FileName.DOT_DOT, entry(1), 4)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void interruptsMatchRunningAnsweredAndUnknownRequests() {
        InFlightTable table = new InFlightTable();
        InFlightRequest running = request(10);
        InFlightRequest answered = request(12);
        table.register(running);
        table.register(answered);
        table.complete(answered);

        assertThat(table.interrupt(10)).isEqualTo(InFlightTable.InterruptOutcome.INTERRUPTED);
        assertThat(running.isInterrupted()).isTrue();
        assertThat(table.interrupt(12)).isEqualTo(InFlightTable.InterruptOutcome.ALREADY_ANSWERED);
        assertThat(table.interrupt(14)).isEqualTo(InFlightTable.InterruptOutcome.UNKNOWN);
    }

    @Test
    void interruptRunsCallbacksAndInterruptsOnlyTheRunningThread() {
        InFlightRequest request = request(20);
        boolean[] called = new boolean[2];
        request.onInterrupt(() -> called[0] = true);
        request.begin();
        request.interrupt();
        assertThat(called[0]).isTrue();
        assertThat(Thread.currentThread().isInterrupted()).isTrue();
        request.end();
        assertThat(Thread.currentThread().isInterrupted()).as("end clears the interrupt").isFalse();
        request.onInterrupt(() -> called[1] = true);
        assertThat(called[1]).as("late callbacks run at once").isTrue();
    }

    private static Entry entry(long ino) {
        return Entry.of(FileAttributes.builder().ino(ino).mode(FileMode.S_IFREG).build(), 0, Duration.ofSeconds(1));
    }

    private static InFlightRequest request(long unique) {
        MemorySegment message = MemorySegment.ofArray(new byte[InHeader.SIZE]);
        message.set(java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED, InHeader.LEN, InHeader.SIZE);
        message.set(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, InHeader.UNIQUE, unique);
        return new InFlightRequest(RequestMessage.parse(message, InHeader.SIZE), null, true);
    }
}
