package org.scoutfs.node.bus;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Carries immutable records over the event bus. Within a process a message is passed by reference
 * (records are immutable); between processes it is encoded field by field in declaration order:
 * integers big-endian, booleans as a byte, strings and byte arrays with a length, lists as a count
 * and their elements, nested records recursively, null as a marker byte. Both ends must run the
 * same build, which the greeting between nodes checks with the format hash.
 */
public final class RecordCodec<T extends Record> implements MessageCodec<T, T> {
    private final Class<T> type;

    public RecordCodec(Class<T> type) {
        this.type = type;
    }

    @Override
    public void encodeToWire(Buffer buffer, T value) {
        write(buffer, value, type);
    }

    @Override
    public T decodeFromWire(int pos, Buffer buffer) {
        int[] at = {pos};
        return type.cast(read(buffer, at, type));
    }

    @Override
    public T transform(T value) {
        return value;
    }

    @Override
    public String name() {
        return "scoutfs-record:" + type.getName();
    }

    @Override
    public byte systemCodecID() {
        return -1;
    }

    private static void write(Buffer b, Object v, Type t) {
        Class<?> c = rawClass(t);
        if (!c.isPrimitive()) {
            b.appendByte((byte) (v == null ? 0 : 1));
            if (v == null) {
                return;
            }
        }
        if (c == long.class || c == Long.class) {
            b.appendLong((Long) v);
        } else if (c == int.class || c == Integer.class) {
            b.appendInt((Integer) v);
        } else if (c == boolean.class || c == Boolean.class) {
            b.appendByte((byte) ((Boolean) v ? 1 : 0));
        } else if (c == String.class) {
            byte[] s = ((String) v).getBytes(StandardCharsets.UTF_8);
            b.appendInt(s.length).appendBytes(s);
        } else if (c == byte[].class) {
            byte[] a = (byte[]) v;
            b.appendInt(a.length).appendBytes(a);
        } else if (List.class.isAssignableFrom(c)) {
            Type element = ((ParameterizedType) t).getActualTypeArguments()[0];
            List<?> list = (List<?>) v;
            b.appendInt(list.size());
            for (Object e : list) {
                write(b, e, element);
            }
        } else if (c.isRecord()) {
            for (RecordComponent rc : c.getRecordComponents()) {
                try {
                    write(b, rc.getAccessor().invoke(v), rc.getGenericType());
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + c.getName() + "." + rc.getName(), e);
                }
            }
        } else {
            throw new IllegalArgumentException("no wire encoding for " + c.getName());
        }
    }

    private static Object read(Buffer b, int[] at, Type t) {
        Class<?> c = rawClass(t);
        if (!c.isPrimitive()) {
            byte present = b.getByte(at[0]++);
            if (present == 0) {
                return null;
            }
        }
        if (c == long.class || c == Long.class) {
            long v = b.getLong(at[0]);
            at[0] += 8;
            return v;
        } else if (c == int.class || c == Integer.class) {
            int v = b.getInt(at[0]);
            at[0] += 4;
            return v;
        } else if (c == boolean.class || c == Boolean.class) {
            return b.getByte(at[0]++) != 0;
        } else if (c == String.class) {
            int len = b.getInt(at[0]);
            String s = b.getString(at[0] + 4, at[0] + 4 + len, StandardCharsets.UTF_8.name());
            at[0] += 4 + len;
            return s;
        } else if (c == byte[].class) {
            int len = b.getInt(at[0]);
            byte[] a = b.getBytes(at[0] + 4, at[0] + 4 + len);
            at[0] += 4 + len;
            return a;
        } else if (List.class.isAssignableFrom(c)) {
            Type element = ((ParameterizedType) t).getActualTypeArguments()[0];
            int n = b.getInt(at[0]);
            at[0] += 4;
            List<Object> out = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                out.add(read(b, at, element));
            }
            return List.copyOf(out);
        } else if (c.isRecord()) {
            RecordComponent[] rcs = c.getRecordComponents();
            Object[] args = new Object[rcs.length];
            Class<?>[] types = new Class<?>[rcs.length];
            for (int i = 0; i < rcs.length; i++) {
                args[i] = read(b, at, rcs[i].getGenericType());
                types[i] = rcs[i].getType();
            }
            try {
                MethodHandle ctor = MethodHandles.publicLookup().findConstructor(c,
                        java.lang.invoke.MethodType.methodType(void.class, types));
                return ctor.invokeWithArguments(args);
            } catch (Throwable e) {
                throw new IllegalStateException("cannot build " + c.getName() + " from the wire", e);
            }
        }
        throw new IllegalArgumentException("no wire encoding for " + c.getName());
    }

    /** Registers a codec for each of {@code types} on {@code bus}, skipping those another component registered. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static void registerAll(io.vertx.core.eventbus.EventBus bus, List<Class<? extends Record>> types) {
        for (Class<? extends Record> t : types) {
            try {
                bus.registerDefaultCodec((Class) t, new RecordCodec(t));
            } catch (IllegalStateException alreadyRegistered) {
                // another component of this node registered it first
            }
        }
    }

    /**
     * A digest of the wire form of {@code types}: their names and the names and types of their
     * components, in order. Two builds whose messages would decode differently get different
     * digests, so nodes compare it before they talk.
     */
    public static long shapeDigest(List<Class<? extends Record>> types) {
        StringBuilder sb = new StringBuilder();
        for (Class<? extends Record> t : types) {
            sb.append(t.getName()).append('(');
            for (RecordComponent rc : t.getRecordComponents()) {
                sb.append(rc.getName()).append(':').append(rc.getGenericType().getTypeName()).append(',');
            }
            sb.append(")\n");
        }
        try {
            byte[] d = java.security.MessageDigest.getInstance("SHA-256").digest(sb.toString().getBytes(StandardCharsets.UTF_8));
            return java.nio.ByteBuffer.wrap(d).getLong();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Class<?> rawClass(Type t) {
        if (t instanceof Class<?> c) {
            return c;
        }
        if (t instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        throw new IllegalArgumentException("no wire encoding for " + t);
    }
}
