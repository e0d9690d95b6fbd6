package org.scoutfs.lsm.format;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemoryLayout;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HexFormat;

/**
 * The format hash: a 64-bit digest of every on-disk structure and constant. It is computed when
 * the project is built ({@link FormatHashGenerator} writes it next to this class) and stored in
 * every super block, data label and, later, every message between nodes. A volume or a peer with
 * another hash was made by a build with another format, and is refused with a message that says
 * so, instead of being misread.
 */
public final class FormatHash {
    static final String RESOURCE = "format-hash.txt";

    private FormatHash() {
    }

    /** A canonical text of the format: layouts with field names, sizes and byte order, and constants. */
    public static String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append("scoutfs-jvm format\n");
        for (MemoryLayout layout : Layouts.ALL) {
            sb.append(layout.name().orElseThrow()).append(' ').append(layout).append('\n');
        }
        appendConstants(sb, Format.class);
        appendConstants(sb, Zones.class);
        return sb.toString();
    }

    private static void appendConstants(StringBuilder sb, Class<?> holder) {
        Field[] fields = holder.getDeclaredFields();
        Arrays.sort(fields, Comparator.comparing(Field::getName));
        for (Field f : fields) {
            int m = f.getModifiers();
            if (!Modifier.isStatic(m) || !Modifier.isFinal(m) || !Modifier.isPublic(m)) {
                continue;
            }
            try {
                Object v = f.get(null);
                String text = v instanceof long[] a ? Arrays.toString(a) : String.valueOf(v);
                sb.append(holder.getSimpleName()).append('.').append(f.getName()).append('=').append(text).append('\n');
            } catch (IllegalAccessException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static long compute() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(describe().getBytes(StandardCharsets.UTF_8));
            return Bytes.getLong(digest, 0);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String toHex(long hash) {
        return HexFormat.of().toHexDigits(hash);
    }

    /** The hash this build was made with. */
    public static long build() {
        return BuildHash.VALUE;
    }

    /** Loaded on first use, so that the build step can compute the hash before it exists. */
    private static final class BuildHash {
        static final long VALUE = loadBuildHash();
    }

    private static long loadBuildHash() {
        try (InputStream in = FormatHash.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("this build has no " + RESOURCE
                        + " next to FormatHash: it was not built with Maven (mvn package computes it)");
            }
            String text = new String(in.readAllBytes(), StandardCharsets.US_ASCII).trim();
            return HexFormat.fromHexDigitsToLong(text);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + RESOURCE, e);
        }
    }
}
