package org.scoutfs.node.fs;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

import org.scoutfs.fuse.Errno;
import org.scoutfs.fuse.FuseException;

/**
 * POSIX ACLs in the form the kernel passes them as {@code system.posix_acl_access} and
 * {@code system.posix_acl_default} values (little-endian: a version word, then entries of tag,
 * permissions and id). The kernel enforces them; the filesystem keeps the mode bits in step with
 * the access ACL and makes new inodes inherit a directory's default ACL.
 */
final class Acls {
    static final String ACCESS = "system.posix_acl_access";
    static final String DEFAULT = "system.posix_acl_default";

    static final int USER_OBJ = 0x01;
    static final int USER = 0x02;
    static final int GROUP_OBJ = 0x04;
    static final int GROUP = 0x08;
    static final int MASK = 0x10;
    static final int OTHER = 0x20;
    private static final int VERSION = 2;
    private static final int UNDEFINED_ID = -1;

    private Acls() {
    }

    record Entry(int tag, int perm, int id) {
        Entry withPerm(int p) {
            return new Entry(tag, p & 7, id);
        }
    }

    /** A new inode's mode and, if its ACL says more than the mode can, its access ACL. */
    record Inherited(int mode, List<Entry> access) {
    }

    static List<Entry> decode(byte[] value) {
        if (value.length < 4 || (value.length - 4) % 8 != 0) {
            throw new FuseException(Errno.EINVAL, "malformed ACL of " + value.length + " bytes");
        }
        ByteBuffer b = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        if (b.getInt() != VERSION) {
            throw new FuseException(Errno.EINVAL, "unsupported ACL version");
        }
        List<Entry> out = new ArrayList<>();
        while (b.hasRemaining()) {
            out.add(new Entry(Short.toUnsignedInt(b.getShort()), Short.toUnsignedInt(b.getShort()) & 7, b.getInt()));
        }
        return out;
    }

    static byte[] encode(List<Entry> acl) {
        ByteBuffer b = ByteBuffer.allocate(4 + 8 * acl.size()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(VERSION);
        for (Entry e : acl) {
            b.putShort((short) e.tag).putShort((short) e.perm).putInt(e.id);
        }
        return b.array();
    }

    /** True if the ACL holds only the owner, group and other entries: the mode says it all. */
    static boolean equivalentToMode(List<Entry> acl) {
        for (Entry e : acl) {
            if (e.tag != USER_OBJ && e.tag != GROUP_OBJ && e.tag != OTHER) {
                return false;
            }
        }
        return true;
    }

    /** The permission bits (0777 part) an access ACL implies. */
    static int permissionBits(List<Entry> acl) {
        int owner = 0;
        int group = 0;
        int other = 0;
        Integer mask = null;
        for (Entry e : acl) {
            switch (e.tag) {
                case USER_OBJ -> owner = e.perm;
                case GROUP_OBJ -> group = e.perm;
                case OTHER -> other = e.perm;
                case MASK -> mask = e.perm;
                default -> {
                }
            }
        }
        return (owner << 6) | ((mask != null ? mask : group) << 3) | other;
    }

    /** The ACL after a chmod: owner, mask (or group) and other entries follow the new mode. */
    static List<Entry> chmod(List<Entry> acl, int mode) {
        boolean hasMask = acl.stream().anyMatch(e -> e.tag == MASK);
        List<Entry> out = new ArrayList<>(acl.size());
        for (Entry e : acl) {
            out.add(switch (e.tag) {
                case USER_OBJ -> e.withPerm(mode >> 6);
                case MASK -> e.withPerm(mode >> 3);
                case GROUP_OBJ -> hasMask ? e : e.withPerm(mode >> 3);
                case OTHER -> e.withPerm(mode);
                default -> e;
            });
        }
        return out;
    }

    /**
     * What a new inode created with {@code mode} in a directory with default ACL {@code def}
     * gets: the default masked by the requested mode, and the mode masked by the ACL.
     */
    static Inherited inherit(List<Entry> def, int mode) {
        List<Entry> acl = new ArrayList<>(def.size());
        int groupObj = -1;
        int mask = -1;
        for (Entry e : def) {
            Entry n = e;
            switch (e.tag) {
                case USER_OBJ -> {
                    n = e.withPerm(e.perm & (mode >> 6));
                    mode &= (n.perm << 6) | ~0700;
                }
                case OTHER -> {
                    n = e.withPerm(e.perm & mode);
                    mode &= n.perm | ~0007;
                }
                case GROUP_OBJ -> groupObj = acl.size();
                case MASK -> mask = acl.size();
                default -> {
                }
            }
            acl.add(n);
        }
        int g = mask >= 0 ? mask : groupObj;
        if (g >= 0) {
            Entry e = acl.get(g);
            Entry n = e.withPerm(e.perm & (mode >> 3));
            acl.set(g, n);
            mode &= (n.perm << 3) | ~0070;
        }
        return new Inherited(mode, equivalentToMode(acl) ? null : acl);
    }

    /** A minimal ACL for a mode, used when a chmod must rewrite an existing ACL. */
    static List<Entry> fromMode(int mode) {
        return List.of(new Entry(USER_OBJ, (mode >> 6) & 7, UNDEFINED_ID), new Entry(GROUP_OBJ, (mode >> 3) & 7, UNDEFINED_ID),
                new Entry(OTHER, mode & 7, UNDEFINED_ID));
    }
}
