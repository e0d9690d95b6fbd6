package org.scoutfs.lsm.block;

import java.io.Closeable;
import java.nio.ByteBuffer;

/**
 * Positional reads and writes of a device: a block device, a regular file or memory. Writes may
 * sit in a volatile cache until {@link #force()} returns; only forced writes survive a crash.
 * Every method reports failures as {@link org.scoutfs.lsm.VolumeIoException} naming the device
 * and the position.
 */
public interface BlockDevice extends Closeable {
    /** A name for messages: the path, or a description. */
    String name();

    /** Size in bytes. */
    long size();

    /** Fills {@code dst} from {@code pos}; reading past the end is an error, not a short read. */
    void read(long pos, ByteBuffer dst);

    void write(long pos, ByteBuffer src);

    /** Returns once every write that returned before this call is on stable storage. */
    void force();

    @Override
    void close();

    default void read(long pos, byte[] dst) {
        read(pos, ByteBuffer.wrap(dst));
    }

    default void write(long pos, byte[] src) {
        write(pos, ByteBuffer.wrap(src));
    }
}
