package org.scoutfs.lsm.format;

import java.util.ArrayList;
import java.util.List;

import org.scoutfs.lsm.CorruptionException;

import static org.scoutfs.lsm.format.Layouts.LOG_MERGE;
import static org.scoutfs.lsm.format.Layouts.off;

/**
 * Space granted to a merge of finalized log trees into the fs root, recorded so that a merge cut
 * short by a crash gives its space back when the server starts again. Keyed
 * {@code (LOG_MERGE, seq)}.
 */
public record LogMergeRecord(long seq, List<Extent> avail) {
    private static final int SEQ = off(LOG_MERGE, "seq");
    private static final int NR_AVAIL = off(LOG_MERGE, "nr_avail");
    private static final int SIZE = Layouts.size(LOG_MERGE);

    public LogMergeRecord {
        avail = List.copyOf(avail);
    }

    public Key key() {
        return new Key(Zones.LOG_MERGE, seq, 0);
    }

    public byte[] encode() {
        byte[] b = new byte[SIZE + avail.size() * Layouts.EXTENT_SIZE];
        Bytes.putLong(b, SEQ, seq);
        Bytes.putInt(b, NR_AVAIL, avail.size());
        Extents.encode(avail, b, SIZE);
        return b;
    }

    public static LogMergeRecord decode(Key key, byte[] b) {
        try {
            int nr = Bytes.getInt(b, NR_AVAIL);
            if (nr < 0 || b.length != SIZE + nr * Layouts.EXTENT_SIZE) {
                throw new IllegalArgumentException("value length " + b.length + " does not fit " + nr + " extents");
            }
            List<Extent> avail = new ArrayList<>(nr);
            Extents.decode(b, SIZE, nr, avail);
            return new LogMergeRecord(Bytes.getLong(b, SEQ), avail);
        } catch (RuntimeException e) {
            throw new CorruptionException("log merge item " + key + ": " + e.getMessage());
        }
    }
}
