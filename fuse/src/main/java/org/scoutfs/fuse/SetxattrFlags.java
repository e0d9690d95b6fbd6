package org.scoutfs.fuse;

/**
 * How {@link FuseFileSystem#setxattr} must treat an existing attribute.
 *
 * @param create {@code XATTR_CREATE}: fail with {@link Errno#EEXIST} if the attribute exists
 * @param replace {@code XATTR_REPLACE}: fail with {@link Errno#ENODATA} if it does not exist
 * @param clearSgidForAcl the kernel asks the filesystem to clear the set-group-id bit because
 *     {@code system.posix_acl_access} is being set by someone not in the owning group (only
 *     with the extended setxattr request, see {@link MountOptions.Builder#posixAcl})
 */
public record SetxattrFlags(boolean create, boolean replace, boolean clearSgidForAcl) {
    /** The {@code setxattr(2)} flag values. */
    public static final int XATTR_CREATE = 1;
    public static final int XATTR_REPLACE = 2;
}
