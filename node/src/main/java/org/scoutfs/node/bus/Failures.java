package org.scoutfs.node.bus;

import java.io.IOException;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;

import org.scoutfs.lsm.BadVolumeException;
import org.scoutfs.lsm.CorruptionException;
import org.scoutfs.lsm.FencedException;
import org.scoutfs.lsm.FormatMismatchException;
import org.scoutfs.lsm.NoSpaceException;
import org.scoutfs.lsm.NotServingException;
import org.scoutfs.lsm.VolumeFailedException;
import org.scoutfs.lsm.VolumeIoException;

/**
 * The one table between failures and event-bus failure codes. A service replies with
 * {@link #code(Throwable)}; its callers get the same exception type back from {@link #rethrow},
 * so nothing above the bus ever sees a {@link ReplyException}. Codes are explicit, never ordinals.
 */
public final class Failures {
    private Failures() {
    }

    public static final int NO_SPACE = 1;
    public static final int CORRUPTION = 2;
    public static final int VOLUME_FAILED = 3;
    public static final int FORMAT_MISMATCH = 4;
    public static final int BAD_VOLUME = 5;
    public static final int DEVICE_IO = 6;
    public static final int ILLEGAL_STATE = 7;
    public static final int ILLEGAL_ARGUMENT = 8;
    public static final int NOT_SERVING = 9;
    public static final int FENCED = 10;
    public static final int RECOVERING = 11;
    public static final int FAREWELL_HELD = 12;
    public static final int INTERNAL = 99;

    public static int code(Throwable t) {
        return switch (t) {
            case NoSpaceException e -> NO_SPACE;
            case CorruptionException e -> CORRUPTION;
            case VolumeFailedException e -> VOLUME_FAILED;
            case FormatMismatchException e -> FORMAT_MISMATCH;
            case BadVolumeException e -> BAD_VOLUME;
            case NotServingException e -> e.recovering() ? RECOVERING : NOT_SERVING;
            case FencedException e -> FENCED;
            case FarewellHeldException e -> FAREWELL_HELD;
            case VolumeIoException e -> DEVICE_IO;
            case IllegalStateException e -> ILLEGAL_STATE;
            case IllegalArgumentException e -> ILLEGAL_ARGUMENT;
            default -> INTERNAL;
        };
    }

    public static String message(Throwable t) {
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }

    /** Turns a failed request back into the exception the service threw. */
    public static RuntimeException rethrow(String what, Throwable t) {
        if (t instanceof ReplyException re) {
            if (re.failureType() == ReplyFailure.TIMEOUT || re.failureType() == ReplyFailure.NO_HANDLERS) {
                return new ServerUnreachableException(what + ": " + re.getMessage());
            }
            String m = re.getMessage();
            return switch (re.failureCode()) {
                case NO_SPACE -> new NoSpaceException(m);
                case CORRUPTION -> new CorruptionException(m);
                case VOLUME_FAILED -> new VolumeFailedException(m, null);
                case FORMAT_MISMATCH -> new FormatMismatchException(m);
                case BAD_VOLUME -> new BadVolumeException(m);
                case NOT_SERVING -> new NotServingException(m);
                case RECOVERING -> new NotServingException(m, true);
                case FENCED -> new FencedException(m);
                case FAREWELL_HELD -> new FarewellHeldException(m);
                case DEVICE_IO -> new VolumeIoException(what, new IOException(m));
                case ILLEGAL_STATE -> new IllegalStateException(m);
                case ILLEGAL_ARGUMENT -> new IllegalArgumentException(m);
                default -> new IllegalStateException(what + " failed on the server: " + m);
            };
        }
        if (t instanceof RuntimeException r) {
            return r;
        }
        return new IllegalStateException(what + " failed: " + t, t);
    }
}
