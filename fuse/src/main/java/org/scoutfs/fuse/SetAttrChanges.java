package org.scoutfs.fuse;

import java.time.Instant;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The attribute changes of one setattr request: only the present values change.
 *
 * <p>Times: {@code touch} and {@code utimensat(..., UTIME_NOW)} arrive as "set to now". The
 * session resolves "now" once, when it decodes the request, so atime and mtime set by the same
 * request are equal; {@link #atimeIsNow()} and {@link #mtimeIsNow()} tell the filesystem that it
 * happened, for example to apply its own clock or a cluster-wide time source instead.
 *
 * <p>A size change is a truncate or extend; the filesystem also updates mtime and ctime as
 * POSIX requires unless the request carries explicit times (with writeback caching it does).
 */
public final class SetAttrChanges {
    private final Integer mode;
    private final Integer uid;
    private final Integer gid;
    private final Long size;
    private final Instant atime;
    private final boolean atimeIsNow;
    private final Instant mtime;
    private final boolean mtimeIsNow;
    private final Instant ctime;
    private final Long fh;
    private final boolean killSuidGid;

    private SetAttrChanges(Builder b) {
        mode = b.mode;
        uid = b.uid;
        gid = b.gid;
        size = b.size;
        atime = b.atime;
        atimeIsNow = b.atimeIsNow;
        mtime = b.mtime;
        mtimeIsNow = b.mtimeIsNow;
        ctime = b.ctime;
        fh = b.fh;
        killSuidGid = b.killSuidGid;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** New permission bits (the kernel never changes the file type); absent if unchanged. */
    public OptionalInt mode() {
        return mode == null ? OptionalInt.empty() : OptionalInt.of(mode);
    }

    public OptionalInt uid() {
        return uid == null ? OptionalInt.empty() : OptionalInt.of(uid);
    }

    public OptionalInt gid() {
        return gid == null ? OptionalInt.empty() : OptionalInt.of(gid);
    }

    /** New file size (truncate or extend). */
    public OptionalLong size() {
        return size == null ? OptionalLong.empty() : OptionalLong.of(size);
    }

    /** New access time, already resolved if the caller asked for "now". */
    public Optional<Instant> atime() {
        return Optional.ofNullable(atime);
    }

    /** Whether {@link #atime()} came from {@code UTIME_NOW} rather than an explicit time. */
    public boolean atimeIsNow() {
        return atimeIsNow;
    }

    /** New modification time, already resolved if the caller asked for "now". */
    public Optional<Instant> mtime() {
        return Optional.ofNullable(mtime);
    }

    /** Whether {@link #mtime()} came from {@code UTIME_NOW} rather than an explicit time. */
    public boolean mtimeIsNow() {
        return mtimeIsNow;
    }

    /** Explicit new change time; the kernel only sends it with writeback caching. */
    public Optional<Instant> ctime() {
        return Optional.ofNullable(ctime);
    }

    /** The handle of the open file the change came through ({@code ftruncate}, {@code fchmod}). */
    public OptionalLong fh() {
        return fh == null ? OptionalLong.empty() : OptionalLong.of(fh);
    }

    /**
     * The filesystem must clear set-user-id and set-group-id bits as part of this change (only
     * sent when {@link MountOptions.Builder#handleKillPrivV2} is on).
     */
    public boolean killSuidGid() {
        return killSuidGid;
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("SetAttrChanges[");
        append(s, "mode", mode == null ? null : Integer.toOctalString(mode));
        append(s, "uid", uid);
        append(s, "gid", gid);
        append(s, "size", size);
        append(s, atimeIsNow ? "atime(now)" : "atime", atime);
        append(s, mtimeIsNow ? "mtime(now)" : "mtime", mtime);
        append(s, "ctime", ctime);
        append(s, "fh", fh);
        append(s, "killSuidGid", killSuidGid ? Boolean.TRUE : null);
        return s.append(']').toString();
    }

    private static void append(StringBuilder s, String name, Object value) {
        if (value != null) {
            if (s.charAt(s.length() - 1) != '[') {
                s.append(", ");
            }
            s.append(name).append('=').append(value);
        }
    }

    /** Collects the present changes; every setter is optional. */
    public static final class Builder {
        private Integer mode;
        private Integer uid;
        private Integer gid;
        private Long size;
        private Instant atime;
        private boolean atimeIsNow;
        private Instant mtime;
        private boolean mtimeIsNow;
        private Instant ctime;
        private Long fh;
        private boolean killSuidGid;

        private Builder() {
        }

        public Builder mode(int value) {
            mode = value;
            return this;
        }

        public Builder uid(int value) {
            uid = value;
            return this;
        }

        public Builder gid(int value) {
            gid = value;
            return this;
        }

        public Builder size(long value) {
            size = value;
            return this;
        }

        /** Sets the access time; {@code isNow} records that the caller asked for the current time. */
        public Builder atime(Instant value, boolean isNow) {
            atime = value;
            atimeIsNow = isNow;
            return this;
        }

        /** Sets the modification time; {@code isNow} records that the caller asked for the current time. */
        public Builder mtime(Instant value, boolean isNow) {
            mtime = value;
            mtimeIsNow = isNow;
            return this;
        }

        public Builder ctime(Instant value) {
            ctime = value;
            return this;
        }

        public Builder fh(long value) {
            fh = value;
            return this;
        }

        public Builder killSuidGid(boolean value) {
            killSuidGid = value;
            return this;
        }

        public SetAttrChanges build() {
            return new SetAttrChanges(this);
        }
    }
}
