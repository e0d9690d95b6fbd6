package org.scoutfs.lsm.format;

import org.scoutfs.lsm.CorruptionException;

import static org.scoutfs.lsm.format.Layouts.MOUNTED_CLIENT;
import static org.scoutfs.lsm.format.Layouts.off;

/**
 * A mount the server has greeted and that has not said farewell, as the server tree records it
 * (keyed {@code (MOUNTED_CLIENT, rid)}). A new server waits for every one of them to come back
 * after a failover, and fences those that do not, using what this says about where the mount runs.
 *
 * @param rid       the mount
 * @param pid       its node's process id on {@code host}
 * @param startTime the process's start time (milliseconds since the epoch), so a reused pid is not mistaken for it
 * @param greetedAt when the server first greeted it, milliseconds since the epoch
 * @param flags     {@link #FLAG_QUORUM} if the mount holds a quorum slot
 * @param host      the host it runs on
 * @param address   its cluster address (host:port), empty for a node without one
 */
public record MountedClientRecord(long rid, long pid, long startTime, long greetedAt, int flags, String host,
                                  String address) {
    /** The mount holds a quorum slot and votes in elections. */
    public static final int FLAG_QUORUM = 1;

    private static final int RID = off(MOUNTED_CLIENT, "rid");
    private static final int PID = off(MOUNTED_CLIENT, "pid");
    private static final int START_TIME = off(MOUNTED_CLIENT, "start_time");
    private static final int GREETED_AT = off(MOUNTED_CLIENT, "greeted_at");
    private static final int FLAGS = off(MOUNTED_CLIENT, "flags");
    private static final int HOST = off(MOUNTED_CLIENT, "host");
    private static final int ADDRESS = off(MOUNTED_CLIENT, "address");
    private static final int SIZE = Layouts.size(MOUNTED_CLIENT);

    public Key key() {
        return key(rid);
    }

    public static Key key(long rid) {
        return new Key(Zones.MOUNTED_CLIENT, rid, 0);
    }

    public byte[] encode() {
        byte[] b = new byte[SIZE];
        Bytes.putLong(b, RID, rid);
        Bytes.putLong(b, PID, pid);
        Bytes.putLong(b, START_TIME, startTime);
        Bytes.putLong(b, GREETED_AT, greetedAt);
        Bytes.putInt(b, FLAGS, flags);
        Bytes.putName64(b, HOST, host);
        Bytes.putName64(b, ADDRESS, address);
        return b;
    }

    public static MountedClientRecord decode(Key key, byte[] b) {
        try {
            if (b.length != SIZE) {
                throw new IllegalArgumentException("value length " + b.length + ", expected " + SIZE);
            }
            return new MountedClientRecord(Bytes.getLong(b, RID), Bytes.getLong(b, PID), Bytes.getLong(b, START_TIME),
                    Bytes.getLong(b, GREETED_AT), Bytes.getInt(b, FLAGS), Bytes.getName64(b, HOST),
                    Bytes.getName64(b, ADDRESS));
        } catch (RuntimeException e) {
            throw new CorruptionException("mounted client item " + key + ": " + e.getMessage());
        }
    }
}
