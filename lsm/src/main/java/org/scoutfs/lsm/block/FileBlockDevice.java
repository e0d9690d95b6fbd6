package org.scoutfs.lsm.block;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.scoutfs.lsm.BadVolumeException;
import org.scoutfs.lsm.VolumeIoException;

/**
 * A regular file or a block device opened for positional I/O. {@link #force()} is fdatasync: it
 * flushes the data and the file metadata needed to read it back, which is all a commit needs.
 */
public final class FileBlockDevice implements BlockDevice {
    private final Path path;
    private final FileChannel channel;
    private final long size;

    private FileBlockDevice(Path path, FileChannel channel, long size) {
        this.path = path;
        this.channel = channel;
        this.size = size;
    }

    /** Opens an existing device; a missing path or a directory is a {@link BadVolumeException}. */
    public static FileBlockDevice open(Path path, boolean writable) {
        if (!Files.exists(path)) {
            throw new BadVolumeException(path + ": no such file or device");
        }
        if (Files.isDirectory(path)) {
            throw new BadVolumeException(path + " is a directory, not a device or volume file");
        }
        try {
            FileChannel ch = writable
                    ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(path, StandardOpenOption.READ);
            long size = isBlockDevice(path) ? blockDeviceSize(path) : ch.size();
            return new FileBlockDevice(path, ch, size);
        } catch (NoSuchFileException e) {
            throw new BadVolumeException(path + ": no such file or device");
        } catch (IOException e) {
            throw new VolumeIoException("cannot open " + path, e);
        }
    }

    private static boolean isBlockDevice(Path path) throws IOException {
        return !Files.isRegularFile(path) && !Files.isDirectory(path) && !Files.isSymbolicLink(path)
                && Files.getAttribute(path, "unix:mode") instanceof Integer mode && (mode & 0170000) == 0060000;
    }

    /** Java reports a block device's size as 0; the kernel publishes it in sysfs, in 512-byte sectors. */
    private static long blockDeviceSize(Path path) throws IOException {
        long rdev = (Long) Files.getAttribute(path, "unix:rdev", LinkOption.NOFOLLOW_LINKS);
        long major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
        long minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
        Path sectors = Path.of("/sys/dev/block/" + major + ":" + minor + "/size");
        return Long.parseLong(Files.readString(sectors).trim()) * 512;
    }

    /**
     * Claims the device for this process alone, until it is closed: a second mount, or mkfs, on
     * a device in use fails here instead of writing over a live volume. It is a POSIX record lock
     * on the whole device, so it is released when the process dies, however it dies.
     *
     * <p>Only one process may act as the volume's server. While a volume has a single mount that
     * is the whole rule; several mounts of one device elect their server by quorum instead.
     */
    /** Opens {@code path} for writing and {@linkplain #claimExclusive claims} it, or fails having left nothing open. */
    public static FileBlockDevice openExclusive(Path path, String purpose) {
        FileBlockDevice d = open(path, true);
        try {
            d.claimExclusive(purpose);
            return d;
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /**
     * Opens {@code path} for writing and claims a share of it: the nodes of a cluster share their
     * device with each other, but not with a node alone on it or with mkfs, which claim it
     * exclusively. Like {@link #openExclusive}, the claim goes with the process.
     */
    public static FileBlockDevice openShared(Path path, String purpose) {
        FileBlockDevice d = open(path, true);
        try {
            if (d.channel.tryLock(0, Long.MAX_VALUE, true) == null) {
                throw new BadVolumeException(path + " is in use by a mount that keeps it to itself (mounted without "
                        + "a cluster address) or by a command that needs it alone; " + purpose + " must wait for it");
            }
            return d;
        } catch (OverlappingFileLockException e) {
            return d; // this process already holds it: several nodes of one volume in one JVM
        } catch (IOException e) {
            d.close();
            throw new VolumeIoException("cannot lock " + path + " for " + purpose, e);
        } catch (RuntimeException e) {
            d.close();
            throw e;
        }
    }

    public void claimExclusive(String purpose) {
        try {
            if (channel.tryLock() != null) {
                return;
            }
        } catch (OverlappingFileLockException e) {
            // this process already holds it: a second mount of the device in the same JVM
        } catch (IOException e) {
            throw new VolumeIoException("cannot lock " + path + " for " + purpose, e);
        }
        throw new BadVolumeException(path + " is in use by another mount or command; " + purpose
                + " needs it to itself (unmount it first)");
    }

    public Path path() {
        return path;
    }

    @Override
    public String name() {
        return path.toString();
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public void read(long pos, ByteBuffer dst) {
        int want = dst.remaining();
        try {
            while (dst.hasRemaining()) {
                int n = channel.read(dst, pos + (want - dst.remaining()));
                if (n < 0) {
                    throw new BadVolumeException(path + " ends at byte " + (pos + want - dst.remaining())
                            + " but " + want + " bytes were needed from byte " + pos + " (truncated device?)");
                }
            }
        } catch (IOException e) {
            throw new VolumeIoException("read of " + want + " bytes at byte " + pos + " of " + path + " failed", e);
        }
    }

    @Override
    public void write(long pos, ByteBuffer src) {
        int len = src.remaining();
        try {
            while (src.hasRemaining()) {
                channel.write(src, pos + (len - src.remaining()));
            }
        } catch (IOException e) {
            throw new VolumeIoException("write of " + len + " bytes at byte " + pos + " of " + path + " failed", e);
        }
    }

    @Override
    public void force() {
        try {
            channel.force(false);
        } catch (IOException e) {
            throw new VolumeIoException("flush of " + path + " failed", e);
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new VolumeIoException("close of " + path + " failed", e);
        }
    }
}
