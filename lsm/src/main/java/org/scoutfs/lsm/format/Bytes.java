package org.scoutfs.lsm.format;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Big-endian field access on byte arrays. Every multi-byte number on disk is big-endian so that
 * encoded keys sort with a plain unsigned byte comparison; the other structures follow suit so
 * there is one byte order to remember.
 */
public final class Bytes {
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.BIG_ENDIAN);

    private Bytes() {
    }

    public static long getLong(byte[] b, int off) {
        return (long) LONG.get(b, off);
    }

    public static void putLong(byte[] b, int off, long v) {
        LONG.set(b, off, v);
    }

    public static int getInt(byte[] b, int off) {
        return (int) INT.get(b, off);
    }

    public static void putInt(byte[] b, int off, int v) {
        INT.set(b, off, v);
    }

    /** Reads an unsigned 16-bit field. */
    public static int getU16(byte[] b, int off) {
        return Short.toUnsignedInt((short) SHORT.get(b, off));
    }

    public static void putU16(byte[] b, int off, int v) {
        if ((v & ~0xffff) != 0) {
            throw new IllegalArgumentException("u16 out of range: " + v);
        }
        SHORT.set(b, off, (short) v);
    }

    public static int getU8(byte[] b, int off) {
        return b[off] & 0xff;
    }

    public static void putU8(byte[] b, int off, int v) {
        if ((v & ~0xff) != 0) {
            throw new IllegalArgumentException("u8 out of range: " + v);
        }
        b[off] = (byte) v;
    }

    /**
     * Writes a short text into a {@link Layouts#NAME64} field: its UTF-8 length, then its bytes.
     *
     * @throws IllegalArgumentException if it does not fit
     */
    public static void putName64(byte[] b, int off, String text) {
        byte[] t = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (t.length > Layouts.NAME64_SIZE - 1) {
            throw new IllegalArgumentException("\"" + text + "\" is longer than " + (Layouts.NAME64_SIZE - 1) + " bytes");
        }
        b[off] = (byte) t.length;
        System.arraycopy(t, 0, b, off + 1, t.length);
    }

    public static String getName64(byte[] b, int off) {
        int len = getU8(b, off);
        if (len > Layouts.NAME64_SIZE - 1) {
            throw new IllegalArgumentException("name field of " + len + " bytes");
        }
        return new String(b, off + 1, len, java.nio.charset.StandardCharsets.UTF_8);
    }
}
