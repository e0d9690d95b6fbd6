package org.scoutfs.lsm.format;

import java.util.Arrays;

import org.scoutfs.lsm.CorruptionException;

import static org.scoutfs.lsm.format.Layouts.DIRENT;
import static org.scoutfs.lsm.format.Layouts.off;

/**
 * A directory entry as its three items store it: the target inode, the name's hash, the entry's
 * readdir position, the target's file type (as in {@code d_type}) and the name.
 */
public record DirentItem(long ino, long hash, long pos, int type, byte[] name) {
    public static final int MAX_NAME = 255;
    private static final int INO = off(DIRENT, "ino");
    private static final int HASH = off(DIRENT, "hash");
    private static final int POS = off(DIRENT, "pos");
    private static final int TYPE = off(DIRENT, "type");
    private static final int SIZE = Layouts.size(DIRENT);

    public byte[] encode() {
        byte[] b = new byte[SIZE + name.length];
        Bytes.putLong(b, INO, ino);
        Bytes.putLong(b, HASH, hash);
        Bytes.putLong(b, POS, pos);
        Bytes.putU8(b, TYPE, type);
        System.arraycopy(name, 0, b, SIZE, name.length);
        return b;
    }

    public static DirentItem decode(Key key, byte[] b) {
        if (b.length <= SIZE || b.length > SIZE + MAX_NAME) {
            throw new CorruptionException("directory entry item " + key + ": value length " + b.length);
        }
        return new DirentItem(Bytes.getLong(b, INO), Bytes.getLong(b, HASH), Bytes.getLong(b, POS),
                Bytes.getU8(b, TYPE), Arrays.copyOfRange(b, SIZE, b.length));
    }

    public boolean nameEquals(byte[] other) {
        return Arrays.equals(name, other);
    }

    /**
     * The hash entries are found by: 64-bit FNV-1a of the name. Collisions are fine: lookups
     * compare names among all entries with the same hash.
     */
    public static long hash(byte[] name) {
        long h = 0xcbf29ce484222325L;
        for (byte c : name) {
            h ^= c & 0xff;
            h *= 0x100000001b3L;
        }
        return h;
    }
}
