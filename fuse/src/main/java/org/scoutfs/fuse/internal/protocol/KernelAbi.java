package org.scoutfs.fuse.internal.protocol;

/**
 * The FUSE kernel ABI as named constants: protocol version, opcodes, flag bits and the byte
 * offsets of every struct field this session reads or writes.
 *
 * <p>Values come from the Linux uapi header {@code <linux/fuse.h>}; each struct is a nested
 * class named after it, with {@code SIZE} and one constant per field offset. The ABI is
 * append-only and versioned by the minor number: fields are never moved, new fields appear at
 * the end of a struct or in former padding, and a struct is only longer when both sides speak
 * the minor that added the field. All integers are in the host's byte order (little-endian on
 * the platforms Java runs FUSE on).
 */
public final class KernelAbi {
    /** Protocol major version; a kernel with another major is refused. */
    public static final int MAJOR = 7;
    /**
     * Highest protocol minor this codec implements. 7.45 adds nothing this codec must decode
     * differently from 7.38 (new opcodes get ENOSYS); it enables the epoch and prune
     * notifications.
     */
    public static final int MINOR = 45;

    /** The node id of the root directory. */
    public static final long ROOT_ID = 1;

    /** Smallest read buffer the kernel accepts on {@code /dev/fuse}. */
    public static final int MIN_READ_BUFFER = 8192;

    /** Room for the request header and write_in ahead of a WRITE payload. */
    public static final int REQUEST_HEADER_ROOM = 4096;

    public static final int PAGE_SIZE = 4096;

    /** Requests are 8-byte aligned records; directory entries too. */
    public static int align8(int n) {
        return (n + 7) & ~7;
    }

    private KernelAbi() {
    }

    /** {@code enum fuse_opcode}. */
    public static final class Opcode {
        public static final int LOOKUP = 1;
        public static final int FORGET = 2;
        public static final int GETATTR = 3;
        public static final int SETATTR = 4;
        public static final int READLINK = 5;
        public static final int SYMLINK = 6;
        public static final int MKNOD = 8;
        public static final int MKDIR = 9;
        public static final int UNLINK = 10;
        public static final int RMDIR = 11;
        public static final int RENAME = 12;
        public static final int LINK = 13;
        public static final int OPEN = 14;
        public static final int READ = 15;
        public static final int WRITE = 16;
        public static final int STATFS = 17;
        public static final int RELEASE = 18;
        public static final int FSYNC = 20;
        public static final int SETXATTR = 21;
        public static final int GETXATTR = 22;
        public static final int LISTXATTR = 23;
        public static final int REMOVEXATTR = 24;
        public static final int FLUSH = 25;
        public static final int INIT = 26;
        public static final int OPENDIR = 27;
        public static final int READDIR = 28;
        public static final int RELEASEDIR = 29;
        public static final int FSYNCDIR = 30;
        public static final int GETLK = 31;
        public static final int SETLK = 32;
        public static final int SETLKW = 33;
        public static final int ACCESS = 34;
        public static final int CREATE = 35;
        public static final int INTERRUPT = 36;
        public static final int BMAP = 37;
        public static final int DESTROY = 38;
        public static final int IOCTL = 39;
        public static final int POLL = 40;
        public static final int NOTIFY_REPLY = 41;
        public static final int BATCH_FORGET = 42;
        public static final int FALLOCATE = 43;
        public static final int READDIRPLUS = 44;
        public static final int RENAME2 = 45;
        public static final int LSEEK = 46;
        public static final int COPY_FILE_RANGE = 47;
        public static final int SETUPMAPPING = 48;
        public static final int REMOVEMAPPING = 49;
        public static final int SYNCFS = 50;
        public static final int TMPFILE = 51;
        public static final int STATX = 52;
        public static final int COPY_FILE_RANGE_64 = 53;

        private static final String[] NAMES = names();

        private Opcode() {
        }

        /** A readable name for logs, such as "LOOKUP", or "OPCODE_99" for unknown ones. */
        public static String name(int opcode) {
            if (opcode > 0 && opcode < NAMES.length && NAMES[opcode] != null) {
                return NAMES[opcode];
            }
            return "OPCODE_" + opcode;
        }

        private static String[] names() {
            String[] names = new String[COPY_FILE_RANGE_64 + 1];
            for (var field : Opcode.class.getDeclaredFields()) {
                if (field.getType() == int.class && java.lang.reflect.Modifier.isStatic(field.getModifiers())) {
                    try {
                        names[field.getInt(null)] = field.getName();
                    } catch (IllegalAccessException e) {
                        throw new AssertionError(e);
                    }
                }
            }
            return names;
        }
    }

    /** {@code enum fuse_notify_code}: sent in the error field of an out header with unique 0. */
    public static final class NotifyCode {
        public static final int POLL = 1;
        public static final int INVAL_INODE = 2;
        public static final int INVAL_ENTRY = 3;
        public static final int STORE = 4;
        public static final int RETRIEVE = 5;
        public static final int DELETE = 6;
        public static final int RESEND = 7;
        /** Since 7.44. */
        public static final int INC_EPOCH = 8;
        /** Since 7.45. */
        public static final int PRUNE = 9;

        private NotifyCode() {
        }
    }

    /** INIT flags; bits 32 and up travel in {@code flags2}. */
    public static final class InitFlag {
        public static final long ASYNC_READ = 1L;
        public static final long POSIX_LOCKS = 1L << 1;
        public static final long ATOMIC_O_TRUNC = 1L << 3;
        public static final long EXPORT_SUPPORT = 1L << 4;
        public static final long BIG_WRITES = 1L << 5;
        public static final long DONT_MASK = 1L << 6;
        public static final long SPLICE_WRITE = 1L << 7;
        public static final long SPLICE_MOVE = 1L << 8;
        public static final long SPLICE_READ = 1L << 9;
        public static final long FLOCK_LOCKS = 1L << 10;
        public static final long HAS_IOCTL_DIR = 1L << 11;
        public static final long AUTO_INVAL_DATA = 1L << 12;
        public static final long DO_READDIRPLUS = 1L << 13;
        public static final long READDIRPLUS_AUTO = 1L << 14;
        public static final long ASYNC_DIO = 1L << 15;
        public static final long WRITEBACK_CACHE = 1L << 16;
        public static final long NO_OPEN_SUPPORT = 1L << 17;
        public static final long PARALLEL_DIROPS = 1L << 18;
        public static final long HANDLE_KILLPRIV = 1L << 19;
        public static final long POSIX_ACL = 1L << 20;
        public static final long ABORT_ERROR = 1L << 21;
        public static final long MAX_PAGES = 1L << 22;
        public static final long CACHE_SYMLINKS = 1L << 23;
        public static final long NO_OPENDIR_SUPPORT = 1L << 24;
        public static final long EXPLICIT_INVAL_DATA = 1L << 25;
        public static final long MAP_ALIGNMENT = 1L << 26;
        public static final long SUBMOUNTS = 1L << 27;
        public static final long HANDLE_KILLPRIV_V2 = 1L << 28;
        public static final long SETXATTR_EXT = 1L << 29;
        public static final long INIT_EXT = 1L << 30;
        public static final long INIT_RESERVED = 1L << 31;
        public static final long SECURITY_CTX = 1L << 32;
        public static final long HAS_INODE_DAX = 1L << 33;
        public static final long CREATE_SUPP_GROUP = 1L << 34;
        public static final long HAS_EXPIRE_ONLY = 1L << 35;
        public static final long DIRECT_IO_ALLOW_MMAP = 1L << 36;
        public static final long PASSTHROUGH = 1L << 37;
        public static final long NO_EXPORT_SUPPORT = 1L << 38;
        public static final long HAS_RESEND = 1L << 39;
        public static final long ALLOW_IDMAP = 1L << 40;
        public static final long OVER_IO_URING = 1L << 41;
        public static final long REQUEST_TIMEOUT = 1L << 42;

        private InitFlag() {
        }
    }

    /** {@code fuse_setattr_in.valid} bits. */
    public static final class SetattrValid {
        public static final int MODE = 1;
        public static final int UID = 1 << 1;
        public static final int GID = 1 << 2;
        public static final int SIZE = 1 << 3;
        public static final int ATIME = 1 << 4;
        public static final int MTIME = 1 << 5;
        public static final int FH = 1 << 6;
        public static final int ATIME_NOW = 1 << 7;
        public static final int MTIME_NOW = 1 << 8;
        public static final int LOCKOWNER = 1 << 9;
        public static final int CTIME = 1 << 10;
        public static final int KILL_SUIDGID = 1 << 11;

        private SetattrValid() {
        }
    }

    /** Small flag words of individual requests. */
    public static final class RequestFlag {
        /** {@code fuse_getattr_in.getattr_flags}: the fh field is valid. */
        public static final int GETATTR_FH = 1;
        /** {@code fuse_write_in.write_flags}: delayed write from the page cache. */
        public static final int WRITE_CACHE = 1;
        public static final int WRITE_LOCKOWNER = 1 << 1;
        public static final int WRITE_KILL_SUIDGID = 1 << 2;
        /** {@code fuse_release_in.release_flags}. */
        public static final int RELEASE_FLUSH = 1;
        public static final int RELEASE_FLOCK_UNLOCK = 1 << 1;
        /** {@code fuse_fsync_in.fsync_flags}: fdatasync. */
        public static final int FSYNC_FDATASYNC = 1;
        /** {@code fuse_open_in.open_flags}. */
        public static final int OPEN_KILL_SUIDGID = 1;
        /** {@code fuse_setxattr_in.setxattr_flags}. */
        public static final int SETXATTR_ACL_KILL_SGID = 1;
        /** {@code fuse_notify_inval_entry_out.flags}. */
        public static final int EXPIRE_ONLY = 1;

        private RequestFlag() {
        }
    }

    /** {@code struct fuse_in_header}: precedes every request. */
    public static final class InHeader {
        public static final int SIZE = 40;
        public static final int LEN = 0;
        public static final int OPCODE = 4;
        public static final int UNIQUE = 8;
        public static final int NODEID = 16;
        public static final int UID = 24;
        public static final int GID = 28;
        public static final int PID = 32;
        /** Length of trailing extensions in 8-byte units (7.37). */
        public static final int TOTAL_EXTLEN = 36;

        private InHeader() {
        }
    }

    /** {@code struct fuse_out_header}: precedes every reply and notification. */
    public static final class OutHeader {
        public static final int SIZE = 16;
        public static final int LEN = 0;
        public static final int ERROR = 4;
        public static final int UNIQUE = 8;

        private OutHeader() {
        }
    }

    /** {@code struct fuse_attr}. */
    public static final class Attr {
        public static final int SIZE = 88;
        public static final int INO = 0;
        public static final int FILE_SIZE = 8;
        public static final int BLOCKS = 16;
        public static final int ATIME = 24;
        public static final int MTIME = 32;
        public static final int CTIME = 40;
        public static final int ATIMENSEC = 48;
        public static final int MTIMENSEC = 52;
        public static final int CTIMENSEC = 56;
        public static final int MODE = 60;
        public static final int NLINK = 64;
        public static final int UID = 68;
        public static final int GID = 72;
        public static final int RDEV = 76;
        public static final int BLKSIZE = 80;
        public static final int FLAGS = 84;

        private Attr() {
        }
    }

    /** {@code struct fuse_entry_out}. */
    public static final class EntryOut {
        public static final int SIZE = 40 + Attr.SIZE;
        public static final int NODEID = 0;
        public static final int GENERATION = 8;
        public static final int ENTRY_VALID = 16;
        public static final int ATTR_VALID = 24;
        public static final int ENTRY_VALID_NSEC = 32;
        public static final int ATTR_VALID_NSEC = 36;
        public static final int ATTR = 40;

        private EntryOut() {
        }
    }

    /** {@code struct fuse_attr_out}. */
    public static final class AttrOut {
        public static final int SIZE = 16 + Attr.SIZE;
        public static final int ATTR_VALID = 0;
        public static final int ATTR_VALID_NSEC = 8;
        public static final int ATTR = 16;

        private AttrOut() {
        }
    }

    /** {@code struct fuse_forget_in}. */
    public static final class ForgetIn {
        public static final int SIZE = 8;
        public static final int NLOOKUP = 0;

        private ForgetIn() {
        }
    }

    /** {@code struct fuse_batch_forget_in}, followed by {@code count} {@link ForgetOne}. */
    public static final class BatchForgetIn {
        public static final int SIZE = 8;
        public static final int COUNT = 0;

        private BatchForgetIn() {
        }
    }

    /** {@code struct fuse_forget_one}. */
    public static final class ForgetOne {
        public static final int SIZE = 16;
        public static final int NODEID = 0;
        public static final int NLOOKUP = 8;

        private ForgetOne() {
        }
    }

    /** {@code struct fuse_getattr_in}. */
    public static final class GetattrIn {
        public static final int SIZE = 16;
        public static final int GETATTR_FLAGS = 0;
        public static final int FH = 8;

        private GetattrIn() {
        }
    }

    /** {@code struct fuse_setattr_in}. */
    public static final class SetattrIn {
        public static final int SIZE = 88;
        public static final int VALID = 0;
        public static final int FH = 8;
        public static final int FILE_SIZE = 16;
        public static final int LOCK_OWNER = 24;
        public static final int ATIME = 32;
        public static final int MTIME = 40;
        public static final int CTIME = 48;
        public static final int ATIMENSEC = 56;
        public static final int MTIMENSEC = 60;
        public static final int CTIMENSEC = 64;
        public static final int MODE = 68;
        public static final int UID = 76;
        public static final int GID = 80;

        private SetattrIn() {
        }
    }

    /** {@code struct fuse_mknod_in}, followed by the name. */
    public static final class MknodIn {
        public static final int SIZE = 16;
        public static final int MODE = 0;
        public static final int RDEV = 4;
        public static final int UMASK = 8;

        private MknodIn() {
        }
    }

    /** {@code struct fuse_mkdir_in}, followed by the name. */
    public static final class MkdirIn {
        public static final int SIZE = 8;
        public static final int MODE = 0;
        public static final int UMASK = 4;

        private MkdirIn() {
        }
    }

    /** {@code struct fuse_rename_in}, followed by the old and the new name. */
    public static final class RenameIn {
        public static final int SIZE = 8;
        public static final int NEWDIR = 0;

        private RenameIn() {
        }
    }

    /** {@code struct fuse_rename2_in}, followed by the old and the new name. */
    public static final class Rename2In {
        public static final int SIZE = 16;
        public static final int NEWDIR = 0;
        public static final int FLAGS = 8;

        private Rename2In() {
        }
    }

    /** {@code struct fuse_link_in}, followed by the new name. */
    public static final class LinkIn {
        public static final int SIZE = 8;
        public static final int OLDNODEID = 0;

        private LinkIn() {
        }
    }

    /** {@code struct fuse_open_in}. */
    public static final class OpenIn {
        public static final int SIZE = 8;
        public static final int FLAGS = 0;
        public static final int OPEN_FLAGS = 4;

        private OpenIn() {
        }
    }

    /** {@code struct fuse_create_in}, followed by the name (CREATE and TMPFILE). */
    public static final class CreateIn {
        public static final int SIZE = 16;
        public static final int FLAGS = 0;
        public static final int MODE = 4;
        public static final int UMASK = 8;
        public static final int OPEN_FLAGS = 12;

        private CreateIn() {
        }
    }

    /** {@code struct fuse_open_out}. */
    public static final class OpenOut {
        public static final int SIZE = 16;
        public static final int FH = 0;
        public static final int OPEN_FLAGS = 8;
        /** Since 7.40; zero unless passthrough is used, which this session does not. */
        public static final int BACKING_ID = 12;

        private OpenOut() {
        }
    }

    /** {@code struct fuse_release_in} (RELEASE and RELEASEDIR). */
    public static final class ReleaseIn {
        public static final int SIZE = 24;
        public static final int FH = 0;
        public static final int FLAGS = 8;
        public static final int RELEASE_FLAGS = 12;
        public static final int LOCK_OWNER = 16;

        private ReleaseIn() {
        }
    }

    /** {@code struct fuse_flush_in}. */
    public static final class FlushIn {
        public static final int SIZE = 24;
        public static final int FH = 0;
        public static final int LOCK_OWNER = 16;

        private FlushIn() {
        }
    }

    /** {@code struct fuse_read_in} (READ, READDIR, READDIRPLUS). */
    public static final class ReadIn {
        public static final int SIZE = 40;
        public static final int FH = 0;
        public static final int OFFSET = 8;
        public static final int READ_SIZE = 16;
        public static final int READ_FLAGS = 20;
        public static final int LOCK_OWNER = 24;
        public static final int FLAGS = 32;

        private ReadIn() {
        }
    }

    /** {@code struct fuse_write_in}, followed by the data. */
    public static final class WriteIn {
        public static final int SIZE = 40;
        public static final int FH = 0;
        public static final int OFFSET = 8;
        public static final int WRITE_SIZE = 16;
        public static final int WRITE_FLAGS = 20;
        public static final int LOCK_OWNER = 24;
        public static final int FLAGS = 32;

        private WriteIn() {
        }
    }

    /** {@code struct fuse_write_out}. */
    public static final class WriteOut {
        public static final int SIZE = 8;
        public static final int WRITTEN = 0;

        private WriteOut() {
        }
    }

    /** {@code struct fuse_statfs_out} wrapping {@code struct fuse_kstatfs}. */
    public static final class StatfsOut {
        public static final int SIZE = 80;
        public static final int BLOCKS = 0;
        public static final int BFREE = 8;
        public static final int BAVAIL = 16;
        public static final int FILES = 24;
        public static final int FFREE = 32;
        public static final int BSIZE = 40;
        public static final int NAMELEN = 44;
        public static final int FRSIZE = 48;

        private StatfsOut() {
        }
    }

    /** {@code struct fuse_fsync_in} (FSYNC and FSYNCDIR). */
    public static final class FsyncIn {
        public static final int SIZE = 16;
        public static final int FH = 0;
        public static final int FSYNC_FLAGS = 8;

        private FsyncIn() {
        }
    }

    /**
     * {@code struct fuse_setxattr_in}, followed by the name and the value. Only 8 bytes long
     * unless {@link InitFlag#SETXATTR_EXT} was negotiated.
     */
    public static final class SetxattrIn {
        public static final int COMPAT_SIZE = 8;
        public static final int SIZE = 16;
        public static final int VALUE_SIZE = 0;
        public static final int FLAGS = 4;
        public static final int SETXATTR_FLAGS = 8;

        private SetxattrIn() {
        }
    }

    /** {@code struct fuse_getxattr_in} (GETXATTR, followed by the name, and LISTXATTR). */
    public static final class GetxattrIn {
        public static final int SIZE = 8;
        public static final int BUFFER_SIZE = 0;

        private GetxattrIn() {
        }
    }

    /** {@code struct fuse_getxattr_out}: the answer to a size query. */
    public static final class GetxattrOut {
        public static final int SIZE = 8;
        public static final int VALUE_SIZE = 0;

        private GetxattrOut() {
        }
    }

    /** {@code struct fuse_access_in}. */
    public static final class AccessIn {
        public static final int SIZE = 8;
        public static final int MASK = 0;

        private AccessIn() {
        }
    }

    /** {@code struct fuse_init_in}; kernels before 7.36 send only the first 16 bytes. */
    public static final class InitIn {
        public static final int COMPAT_SIZE = 16;
        public static final int SIZE = 64;
        public static final int MAJOR = 0;
        public static final int MINOR = 4;
        public static final int MAX_READAHEAD = 8;
        public static final int FLAGS = 12;
        public static final int FLAGS2 = 16;

        private InitIn() {
        }
    }

    /** {@code struct fuse_init_out}; shorter replies exist for kernels before 7.23. */
    public static final class InitOut {
        public static final int SIZE = 64;
        public static final int COMPAT_22_SIZE = 24;
        public static final int MAJOR = 0;
        public static final int MINOR = 4;
        public static final int MAX_READAHEAD = 8;
        public static final int FLAGS = 12;
        public static final int MAX_BACKGROUND = 16;
        public static final int CONGESTION_THRESHOLD = 18;
        public static final int MAX_WRITE = 20;
        public static final int TIME_GRAN = 24;
        public static final int MAX_PAGES = 28;
        public static final int MAP_ALIGNMENT = 30;
        public static final int FLAGS2 = 32;
        public static final int MAX_STACK_DEPTH = 36;
        public static final int REQUEST_TIMEOUT = 40;

        private InitOut() {
        }
    }

    /** {@code struct fuse_interrupt_in}. */
    public static final class InterruptIn {
        public static final int SIZE = 8;
        public static final int UNIQUE = 0;

        private InterruptIn() {
        }
    }

    /** {@code struct fuse_fallocate_in}. */
    public static final class FallocateIn {
        public static final int SIZE = 32;
        public static final int FH = 0;
        public static final int OFFSET = 8;
        public static final int LENGTH = 16;
        public static final int MODE = 24;

        private FallocateIn() {
        }
    }

    /** {@code struct fuse_lseek_in}. */
    public static final class LseekIn {
        public static final int SIZE = 24;
        public static final int FH = 0;
        public static final int OFFSET = 8;
        public static final int WHENCE = 16;

        private LseekIn() {
        }
    }

    /** {@code struct fuse_lseek_out}. */
    public static final class LseekOut {
        public static final int SIZE = 8;
        public static final int OFFSET = 0;

        private LseekOut() {
        }
    }

    /** {@code struct fuse_dirent}: a READDIR record, name follows, padded to 8 bytes. */
    public static final class Dirent {
        public static final int NAME = 24;
        public static final int INO = 0;
        public static final int OFF = 8;
        public static final int NAMELEN = 16;
        public static final int TYPE = 20;

        private Dirent() {
        }
    }

    /** {@code struct fuse_direntplus}: an entry_out followed by a dirent. */
    public static final class DirentPlus {
        public static final int ENTRY_OUT = 0;
        public static final int DIRENT = EntryOut.SIZE;
        public static final int NAME = DIRENT + Dirent.NAME;

        private DirentPlus() {
        }
    }

    /** {@code struct fuse_notify_inval_inode_out}. */
    public static final class NotifyInvalInodeOut {
        public static final int SIZE = 24;
        public static final int INO = 0;
        public static final int OFF = 8;
        public static final int LEN = 16;

        private NotifyInvalInodeOut() {
        }
    }

    /** {@code struct fuse_notify_inval_entry_out}, followed by the name and a NUL. */
    public static final class NotifyInvalEntryOut {
        public static final int SIZE = 16;
        public static final int PARENT = 0;
        public static final int NAMELEN = 8;
        public static final int FLAGS = 12;

        private NotifyInvalEntryOut() {
        }
    }

    /** {@code struct fuse_notify_delete_out}, followed by the name and a NUL. */
    public static final class NotifyDeleteOut {
        public static final int SIZE = 24;
        public static final int PARENT = 0;
        public static final int CHILD = 8;
        public static final int NAMELEN = 16;

        private NotifyDeleteOut() {
        }
    }

    /** {@code struct fuse_notify_store_out}, followed by the data. */
    public static final class NotifyStoreOut {
        public static final int SIZE = 24;
        public static final int NODEID = 0;
        public static final int OFFSET = 8;
        public static final int DATA_SIZE = 16;

        private NotifyStoreOut() {
        }
    }

    /** {@code struct fuse_notify_retrieve_out}. */
    public static final class NotifyRetrieveOut {
        public static final int SIZE = 32;
        public static final int NOTIFY_UNIQUE = 0;
        public static final int NODEID = 8;
        public static final int OFFSET = 16;
        public static final int DATA_SIZE = 24;

        private NotifyRetrieveOut() {
        }
    }

    /** {@code struct fuse_notify_retrieve_in}: body of the NOTIFY_REPLY request, data follows. */
    public static final class NotifyRetrieveIn {
        public static final int SIZE = 40;
        public static final int OFFSET = 8;
        public static final int DATA_SIZE = 16;

        private NotifyRetrieveIn() {
        }
    }

    /** {@code struct fuse_notify_prune_out} (7.45), followed by {@code count} node ids. */
    public static final class NotifyPruneOut {
        public static final int SIZE = 16;
        public static final int COUNT = 0;

        private NotifyPruneOut() {
        }
    }

    /** {@code ioctl} on {@code /dev/fuse}: {@code _IOR(229, 0, uint32_t)}. */
    public static final long FUSE_DEV_IOC_CLONE = 0x8004E500L;
}
