package org.scoutfs.node.bus;

import java.util.List;

import io.vertx.core.eventbus.EventBus;

import org.scoutfs.locking.LockMode;
import org.scoutfs.locking.LockRange;

/**
 * The lock protocol on the bus. Clients send {@link LockRequest}s and {@link ClientGone} to the
 * lock server's addresses ({@link Addresses#lockServer}); the server sends {@link LockGrant}s and
 * {@link LockInvalidation}s to each mount's address ({@link Addresses#lockClient}), and the mount
 * answers an invalidation with a {@link LockAcknowledgement} as its reply. Modes travel as their
 * explicit {@link LockMode#code()}s.
 */
public final class LockMessages {
    private LockMessages() {
    }

    public static final String REQUEST = "request";
    public static final String CLIENT_GONE = "clientGone";

    /** Mount {@code rid} wants {@code range} in {@code mode}; NULL gives it up. */
    public record LockRequest(long rid, LockRange range, int mode) {
        public LockMode lockMode() {
            return LockMode.ofCode(mode);
        }
    }

    /** The mount now holds {@code range} in {@code mode}. */
    public record LockGrant(LockRange range, int mode, long writeSeq) {
        public LockMode lockMode() {
            return LockMode.ofCode(mode);
        }
    }

    /** The mount must fall from {@code fromMode} to {@code toMode}; answered by an acknowledgement. */
    public record LockInvalidation(LockRange range, int fromMode, int toMode) {
    }

    /** The mount's answer to an invalidation: it now holds {@code range} in {@code mode}. */
    public record LockAcknowledgement(LockRange range, int mode) {
    }

    /** Mount {@code rid} left and can no longer write: the server forgets its locks. */
    public record ClientGone(long rid) {
    }

    /** The reply to a request or departure the server has taken in; not a grant. */
    public record Accepted() {
    }

    /** Registers codecs for every message type, once per event bus. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void registerCodecs(EventBus bus) {
        List<Class<? extends Record>> types = List.of(LockRequest.class, LockGrant.class, LockInvalidation.class,
                LockAcknowledgement.class, ClientGone.class, Accepted.class);
        for (Class<? extends Record> t : types) {
            try {
                bus.registerDefaultCodec((Class) t, new RecordCodec(t));
            } catch (IllegalStateException alreadyRegistered) {
                // another component of this node registered them first
            }
        }
    }
}
