package org.scoutfs.fuse.internal.sys;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Reads {@code /proc/self/mountinfo}: is a path a mount point, and which anonymous device
 * number backs it.
 *
 * <p>Reading the table never touches the mounted filesystem, so it cannot hang on a FUSE mount
 * whose daemon is busy or dead, unlike {@code stat} on the mount point.
 */
public final class MountTable {
    private static final Path MOUNTINFO = Path.of("/proc/self/mountinfo");

    private MountTable() {
    }

    /** One line of mountinfo, reduced to what the session uses. */
    public record MountEntry(String device, String mountPoint, String fsType, String source) {
    }

    /** The topmost mount at {@code mountPoint}, if any. */
    public static Optional<MountEntry> find(Path mountPoint) {
        String wanted = mountPoint.toAbsolutePath().normalize().toString();
        Optional<MountEntry> found = Optional.empty();
        for (String line : readLines()) {
            MountEntry entry = parse(line);
            if (entry != null && entry.mountPoint().equals(wanted)) {
                found = Optional.of(entry);
            }
        }
        return found;
    }

    /** Whether a FUSE filesystem is mounted at {@code mountPoint}. */
    public static boolean isFuseMounted(Path mountPoint) {
        return find(mountPoint).filter(e -> e.fsType().equals("fuse") || e.fsType().startsWith("fuse.")).isPresent();
    }

    /** Parses one mountinfo line; {@code null} if it does not have the documented shape. */
    static MountEntry parse(String line) {
        String[] fields = line.split(" ");
        int separator = List.of(fields).indexOf("-");
        if (fields.length < 5 || separator < 0 || separator + 2 >= fields.length) {
            return null;
        }
        return new MountEntry(fields[2], unescape(fields[4]), fields[separator + 1], unescape(fields[separator + 2]));
    }

    /** mountinfo writes space, tab, newline and backslash as three-digit octal escapes. */
    static String unescape(String field) {
        if (field.indexOf('\\') < 0) {
            return field;
        }
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }

    private static List<String> readLines() {
        try {
            return Files.readAllLines(MOUNTINFO, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
