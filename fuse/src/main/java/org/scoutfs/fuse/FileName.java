package org.scoutfs.fuse;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One component of a path: the bytes of a directory entry name, exactly as the kernel sent them.
 *
 * <p>Linux names are byte strings, not text. Keeping the bytes means a name that is not valid
 * UTF-8 still round-trips through lookup, readdir and rename. {@link #toString()} decodes UTF-8
 * for logs and tests; use {@link #of(String)} to build a name from text.
 *
 * <p>Invariants: never empty, never longer than {@link #MAX_LENGTH} bytes, never contains '/' or
 * NUL. The names "." and ".." are valid values (the kernel asks for them when the filesystem
 * supports export); {@link #isDot()} and {@link #isDotDot()} identify them. Instances are
 * immutable; ordering is unsigned byte order, which is what an on-disk dirent key would use.
 */
public final class FileName implements Comparable<FileName> {
    /** The largest name the Linux VFS passes to a filesystem. */
    public static final int MAX_LENGTH = 255;

    public static final FileName DOT = new FileName(new byte[] {'.'});
    public static final FileName DOT_DOT = new FileName(new byte[] {'.', '.'});

    private final byte[] bytes;
    private int hash;

    private FileName(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The UTF-8 encoding of {@code name}; rejects what no directory entry may contain. */
    public static FileName of(String name) {
        return of(name.getBytes(StandardCharsets.UTF_8));
    }

    /** A name holding a copy of {@code bytes}; rejects what no directory entry may contain. */
    public static FileName of(byte[] bytes) {
        return new FileName(validate(bytes.clone()));
    }

    /** Number of bytes in the name. */
    public int length() {
        return bytes.length;
    }

    /** Byte {@code index} of the name. */
    public byte byteAt(int index) {
        return bytes[index];
    }

    /** A copy of the name's bytes. */
    public byte[] toByteArray() {
        return bytes.clone();
    }

    /** A read-only view of the name's bytes, for encoders that copy them somewhere else. */
    public ByteBuffer asByteBuffer() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    public boolean isDot() {
        return bytes.length == 1 && bytes[0] == '.';
    }

    public boolean isDotDot() {
        return bytes.length == 2 && bytes[0] == '.' && bytes[1] == '.';
    }

    @Override
    public int compareTo(FileName other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileName other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = Arrays.hashCode(bytes);
            hash = h;
        }
        return h;
    }

    /** The name decoded as UTF-8, with malformed bytes replaced; for display only. */
    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] validate(byte[] bytes) {
        if (bytes.length == 0) {
            throw new IllegalArgumentException("a file name cannot be empty");
        }
        if (bytes.length > MAX_LENGTH) {
            throw new IllegalArgumentException("a file name is at most " + MAX_LENGTH + " bytes, got " + bytes.length);
        }
        for (byte b : bytes) {
            if (b == '/' || b == 0) {
                throw new IllegalArgumentException("a file name cannot contain '/' or NUL");
            }
        }
        return bytes;
    }
}
