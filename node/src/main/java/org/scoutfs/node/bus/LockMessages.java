package org.scoutfs.node.bus;

import java.util.List;

import io.vertx.core.eventbus.EventBus;

import org.scoutfs.locking.LockMode;
import org.scoutfs.locking.LockRange;

/**
 * The lock protocol on the bus. Clients send {@link LockRequest}s, {@link LockReport}s and
 * {@link ClientGone} to the lock server's addresses ({@link Addresses#lockServer}); the server
 * sends {@link LockGrant}s and {@link LockInvalidation}s to each mount's address
 * ({@link Addresses#lockClient}), and the mount answers an invalidation with a
 * {@link LockAcknowledgement} as its reply. Modes travel as their explicit {@link LockMode#code()}s.
 * What the server sends carries its term: a mount ignores a deposed server's messages.
 */
public final class LockMessages {
    private LockMessages() {
    }

    public static final String REQUEST = "request";
    public static final String REPORT = "report";
    public static final String CLIENT_GONE = "clientGone";

    /** Mount {@code rid} wants {@code range} in {@code mode}; NULL gives it up. */
    public record LockRequest(long rid, LockRange range, int mode) {
        public LockMode lockMode() {
            return LockMode.ofCode(mode);
        }
    }

    /**
     * The mount now holds {@code range} in {@code mode}; reads under it must use roots of at
     * least server commit {@code commitSeq}.
     */
    public record LockGrant(long term, LockRange range, int mode, long writeSeq, long commitSeq) {
        public LockMode lockMode() {
            return LockMode.ofCode(mode);
        }
    }

    /** The mount must fall from {@code fromMode} to {@code toMode}; answered by an acknowledgement. */
    public record LockInvalidation(long term, LockRange range, int fromMode, int toMode) {
    }

    /** The mount's answer to an invalidation: it now holds {@code range} in {@code mode}. */
    public record LockAcknowledgement(LockRange range, int mode) {
    }

    /** One lock a mount holds, in a {@link LockReport}. */
    public record HeldLock(LockRange range, int mode, long writeSeq) {
    }

    /** After a failover: everything mount {@code rid} holds, for the new lock server to start from. */
    public record LockReport(long rid, List<HeldLock> held) {
        public LockReport {
            held = List.copyOf(held);
        }
    }

    /** Mount {@code rid} left and can no longer write: the server forgets its locks. */
    public record ClientGone(long rid) {
    }

    /** The reply to a request, report or departure the server has taken in; not a grant. */
    public record Accepted() {
    }

    private static final List<Class<? extends Record>> TYPES = List.of(LockRequest.class, LockGrant.class,
            LockInvalidation.class, LockAcknowledgement.class, HeldLock.class, LockReport.class, ClientGone.class,
            Accepted.class, org.scoutfs.locking.LockRange.class);

    /** Every message type, for the cluster hash. */
    public static List<Class<? extends Record>> wireTypes() {
        return TYPES;
    }

    /** Registers codecs for every message type, once per event bus. */
    public static void registerCodecs(EventBus bus) {
        RecordCodec.registerAll(bus, TYPES);
    }
}
