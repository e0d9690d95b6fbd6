package org.scoutfs.fuse.internal.protocol;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import org.scoutfs.fuse.AttrReply;
import org.scoutfs.fuse.Entry;
import org.scoutfs.fuse.FileAttributes;
import org.scoutfs.fuse.FileMode;
import org.scoutfs.fuse.FileName;
import org.scoutfs.fuse.FsStats;
import org.scoutfs.fuse.OpenFlags;
import org.scoutfs.fuse.OpenReply;
import org.scoutfs.fuse.SetAttrChanges;
import org.scoutfs.fuse.SetxattrFlags;
import org.scoutfs.fuse.WriteFlags;
import org.scoutfs.fuse.internal.protocol.KernelAbi.AccessIn;
import org.scoutfs.fuse.internal.protocol.KernelAbi.Attr;
import org.scoutfs.fuse.internal.protocol.KernelAbi.AttrOut;
import org.scoutfs.fuse.internal.protocol.KernelAbi.CreateIn;
import org.scoutfs.fuse.internal.protocol.KernelAbi.Dirent;
import org.scoutfs.fuse.internal.protocol.KernelAbi.DirentPlus;
import org.scoutfs.fuse.internal.protocol.KernelAbi.EntryOut;
import org.scoutfs.fuse.internal.protocol.KernelAbi.FallocateIn;
import org.scoutfs.fuse.internal.protocol.KernelAbi.FlushIn;
import org.scoutfs.fuse.internal.protocol.KernelAbi.FsyncIn;
import org.scoutfs.fuse.internal.protocol.KernelAbi.GetattrIn;
import org.scoutfs.fuse.internal.protocol.KernelAbi.GetxattrIn;
import org.scoutfs.fuse.internal.protocol.KernelAbi.InitIn;
import org.scoutfs.fuse.internal.protocol.KernelAbi.InitOut;
import org.scoutfs.fuse.internal.protocol.KernelAbi.LinkIn;
import org.scoutfs.fuse.internal.protocol.KernelAbi.LseekIn;
import org.scoutfs.fuse.internal.protocol.KernelAbi.MkdirIn;
import org.scoutfs.fuse.internal.protocol.KernelAbi.MknodIn;
import org.scoutfs.fuse.internal.protocol.KernelAbi.OpenIn;
import org.scoutfs.fuse.internal.protocol.KernelAbi.OpenOut;
import org.scoutfs.fuse.internal.protocol.KernelAbi.OutHeader;
import org.scoutfs.fuse.internal.protocol.KernelAbi.ReadIn;
import org.scoutfs.fuse.internal.protocol.KernelAbi.ReleaseIn;
import org.scoutfs.fuse.internal.protocol.KernelAbi.Rename2In;
import org.scoutfs.fuse.internal.protocol.KernelAbi.RenameIn;
import org.scoutfs.fuse.internal.protocol.KernelAbi.RequestFlag;
import org.scoutfs.fuse.internal.protocol.KernelAbi.SetattrIn;
import org.scoutfs.fuse.internal.protocol.KernelAbi.SetattrValid;
import org.scoutfs.fuse.internal.protocol.KernelAbi.SetxattrIn;
import org.scoutfs.fuse.internal.protocol.KernelAbi.StatfsOut;
import org.scoutfs.fuse.internal.protocol.KernelAbi.WriteIn;

/**
 * Decodes request bodies into Java values and encodes replies into native memory: the only code
 * that knows where a field of a kernel struct lives.
 *
 * <p>Decoders take a {@link RequestMessage} and return either an API value
 * ({@link SetAttrChanges}, {@link OpenFlags}) or a small record of the struct's fields.
 * Encoders write at an offset into a segment the caller sized with the matching {@code SIZE}
 * constant of {@link KernelAbi}. Nothing here allocates native memory or does I/O.
 */
public final class KernelCodec {
    private static final ValueLayout.OfInt U32 = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong U64 = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfShort U16 = ValueLayout.JAVA_SHORT_UNALIGNED;

    private KernelCodec() {
    }

    // ---------------------------------------------------------------- request bodies

    /** INIT request: the kernel's version and offered flags (flags2 folded into the high word). */
    public record InitRequest(int major, int minor, int maxReadahead, long flags) {
    }

    public static InitRequest decodeInit(RequestMessage m) {
        int major = m.u32(InitIn.MAJOR);
        int minor = m.u32(InitIn.MINOR);
        int maxReadahead = m.u32(InitIn.MAX_READAHEAD);
        long flags = Integer.toUnsignedLong(m.u32(InitIn.FLAGS));
        if ((flags & KernelAbi.InitFlag.INIT_EXT) != 0 && m.bodyLength() >= InitIn.FLAGS2 + 4) {
            flags |= Integer.toUnsignedLong(m.u32(InitIn.FLAGS2)) << 32;
        }
        return new InitRequest(major, minor, maxReadahead, flags);
    }

    /** The INIT reply fields this session sets; everything else is zero. */
    public record InitReply(int minor, int maxReadahead, long flags, int maxBackground, int congestionThreshold,
            int maxWrite, int timeGranularity, int maxPages) {
    }

    /** Encodes an INIT reply; sets INIT_EXT when a flag needs the flags2 word, which the kernel reads only then. */
    public static void encodeInitOut(MemorySegment s, long off, InitReply r) {
        long flags = r.flags();
        if ((flags >>> 32) != 0) {
            flags |= KernelAbi.InitFlag.INIT_EXT;
        }
        s.set(U32, off + InitOut.MAJOR, KernelAbi.MAJOR);
        s.set(U32, off + InitOut.MINOR, r.minor());
        s.set(U32, off + InitOut.MAX_READAHEAD, r.maxReadahead());
        s.set(U32, off + InitOut.FLAGS, (int) flags);
        s.set(U16, off + InitOut.MAX_BACKGROUND, (short) r.maxBackground());
        s.set(U16, off + InitOut.CONGESTION_THRESHOLD, (short) r.congestionThreshold());
        s.set(U32, off + InitOut.MAX_WRITE, r.maxWrite());
        s.set(U32, off + InitOut.TIME_GRAN, r.timeGranularity());
        s.set(U16, off + InitOut.MAX_PAGES, (short) r.maxPages());
        s.set(U32, off + InitOut.FLAGS2, (int) (flags >>> 32));
    }

    /** The forget count of a FORGET request. */
    public static long decodeForget(RequestMessage m) {
        return m.u64(KernelAbi.ForgetIn.NLOOKUP);
    }

    /** One {@code (nodeid, nlookup)} pair of a BATCH_FORGET request. */
    public record Forget(long nodeId, long nlookup) {
    }

    public static Forget[] decodeBatchForget(RequestMessage m) {
        int count = m.u32(KernelAbi.BatchForgetIn.COUNT);
        int available = (m.bodyLength() - KernelAbi.BatchForgetIn.SIZE) / KernelAbi.ForgetOne.SIZE;
        Forget[] forgets = new Forget[Math.min(count, Math.max(available, 0))];
        for (int i = 0; i < forgets.length; i++) {
            int at = KernelAbi.BatchForgetIn.SIZE + i * KernelAbi.ForgetOne.SIZE;
            forgets[i] = new Forget(m.u64(at + KernelAbi.ForgetOne.NODEID), m.u64(at + KernelAbi.ForgetOne.NLOOKUP));
        }
        return forgets;
    }

    /** The unique id an INTERRUPT refers to. */
    public static long decodeInterrupt(RequestMessage m) {
        return m.u64(KernelAbi.InterruptIn.UNIQUE);
    }

    /** The handle of a GETATTR, or -1 if the request did not come through an open file. */
    public static long decodeGetattrFh(RequestMessage m) {
        if (m.bodyLength() < GetattrIn.SIZE) {
            return -1;
        }
        boolean hasFh = (m.u32(GetattrIn.GETATTR_FLAGS) & RequestFlag.GETATTR_FH) != 0;
        return hasFh ? m.u64(GetattrIn.FH) : -1;
    }

    /**
     * SETATTR: only the fields whose valid bit is set. "Now" is resolved with {@code now} so
     * that atime and mtime of one request agree.
     */
    public static SetAttrChanges decodeSetattr(RequestMessage m, Instant now) {
        int valid = m.u32(SetattrIn.VALID);
        SetAttrChanges.Builder b = SetAttrChanges.builder();
        if ((valid & SetattrValid.MODE) != 0) {
            b.mode(m.u32(SetattrIn.MODE) & FileMode.PERMISSION_MASK);
        }
        if ((valid & SetattrValid.UID) != 0) {
            b.uid(m.u32(SetattrIn.UID));
        }
        if ((valid & SetattrValid.GID) != 0) {
            b.gid(m.u32(SetattrIn.GID));
        }
        if ((valid & SetattrValid.SIZE) != 0) {
            b.size(m.u64(SetattrIn.FILE_SIZE));
        }
        if ((valid & SetattrValid.ATIME_NOW) != 0) {
            b.atime(now, true);
        } else if ((valid & SetattrValid.ATIME) != 0) {
            b.atime(instant(m.u64(SetattrIn.ATIME), m.u32(SetattrIn.ATIMENSEC)), false);
        }
        if ((valid & SetattrValid.MTIME_NOW) != 0) {
            b.mtime(now, true);
        } else if ((valid & SetattrValid.MTIME) != 0) {
            b.mtime(instant(m.u64(SetattrIn.MTIME), m.u32(SetattrIn.MTIMENSEC)), false);
        }
        if ((valid & SetattrValid.CTIME) != 0) {
            b.ctime(instant(m.u64(SetattrIn.CTIME), m.u32(SetattrIn.CTIMENSEC)));
        }
        if ((valid & SetattrValid.FH) != 0) {
            b.fh(m.u64(SetattrIn.FH));
        }
        b.killSuidGid((valid & SetattrValid.KILL_SUIDGID) != 0);
        return b.build();
    }

    /** MKNOD: mode, rdev, umask, then the name. */
    public record MknodRequest(int mode, int rdev, int umask, FileName name) {
    }

    public static MknodRequest decodeMknod(RequestMessage m) {
        return new MknodRequest(m.u32(MknodIn.MODE), m.u32(MknodIn.RDEV), m.u32(MknodIn.UMASK), m.name(MknodIn.SIZE));
    }

    /** MKDIR: mode, umask, then the name. */
    public record MkdirRequest(int mode, int umask, FileName name) {
    }

    public static MkdirRequest decodeMkdir(RequestMessage m) {
        return new MkdirRequest(m.u32(MkdirIn.MODE), m.u32(MkdirIn.UMASK), m.name(MkdirIn.SIZE));
    }

    /** SYMLINK: the new name, then the target. */
    public record SymlinkRequest(FileName name, byte[] target) {
    }

    public static SymlinkRequest decodeSymlink(RequestMessage m) {
        FileName name = m.name(0);
        return new SymlinkRequest(name, m.string(name.length() + 1));
    }

    /** RENAME and RENAME2: target directory, flags (0 for RENAME), old name, new name. */
    public record RenameRequest(long newParent, int flags, FileName name, FileName newName) {
    }

    public static RenameRequest decodeRename(RequestMessage m) {
        return decodeRenameNames(m, m.u64(RenameIn.NEWDIR), 0, RenameIn.SIZE);
    }

    public static RenameRequest decodeRename2(RequestMessage m) {
        return decodeRenameNames(m, m.u64(Rename2In.NEWDIR), m.u32(Rename2In.FLAGS), Rename2In.SIZE);
    }

    private static RenameRequest decodeRenameNames(RequestMessage m, long newParent, int flags, int namesAt) {
        FileName name = m.name(namesAt);
        FileName newName = m.name(namesAt + name.length() + 1);
        return new RenameRequest(newParent, flags, name, newName);
    }

    /** LINK: the existing inode and the new name (the request's node id is the new parent). */
    public record LinkRequest(long ino, FileName newName) {
    }

    public static LinkRequest decodeLink(RequestMessage m) {
        return new LinkRequest(m.u64(LinkIn.OLDNODEID), m.name(LinkIn.SIZE));
    }

    /** OPEN and OPENDIR flags. */
    public static OpenFlags decodeOpen(RequestMessage m) {
        int killBits = m.bodyLength() >= OpenIn.SIZE ? m.u32(OpenIn.OPEN_FLAGS) : 0;
        return new OpenFlags(m.u32(OpenIn.FLAGS), (killBits & RequestFlag.OPEN_KILL_SUIDGID) != 0);
    }

    /** CREATE and TMPFILE: mode, umask, open flags, then the name (meaningless for TMPFILE). */
    public record CreateRequest(int mode, int umask, OpenFlags flags, int nameOffset) {
    }

    public static CreateRequest decodeCreate(RequestMessage m) {
        boolean kill = (m.u32(CreateIn.OPEN_FLAGS) & RequestFlag.OPEN_KILL_SUIDGID) != 0;
        return new CreateRequest(m.u32(CreateIn.MODE), m.u32(CreateIn.UMASK),
                new OpenFlags(m.u32(CreateIn.FLAGS), kill), CreateIn.SIZE);
    }

    /** READ, READDIR and READDIRPLUS: handle, offset and the most bytes the reply may carry. */
    public record ReadRequest(long fh, long offset, int size, int openFlags) {
    }

    public static ReadRequest decodeRead(RequestMessage m) {
        return new ReadRequest(m.u64(ReadIn.FH), m.u64(ReadIn.OFFSET), m.u32(ReadIn.READ_SIZE), m.u32(ReadIn.FLAGS));
    }

    /** WRITE: handle, offset, flags and the payload. */
    public record WriteRequest(long fh, long offset, WriteFlags flags, MemorySegment data) {
    }

    public static WriteRequest decodeWrite(RequestMessage m) {
        int size = m.u32(WriteIn.WRITE_SIZE);
        int writeFlags = m.u32(WriteIn.WRITE_FLAGS);
        WriteFlags flags = new WriteFlags(
                (writeFlags & RequestFlag.WRITE_CACHE) != 0,
                (writeFlags & RequestFlag.WRITE_KILL_SUIDGID) != 0,
                m.u32(WriteIn.FLAGS));
        return new WriteRequest(m.u64(WriteIn.FH), m.u64(WriteIn.OFFSET), flags, m.bytes(WriteIn.SIZE, size));
    }

    /** RELEASE and RELEASEDIR. */
    public record ReleaseRequest(long fh, OpenFlags flags, boolean flush) {
    }

    public static ReleaseRequest decodeRelease(RequestMessage m) {
        boolean flush = (m.u32(ReleaseIn.RELEASE_FLAGS) & RequestFlag.RELEASE_FLUSH) != 0;
        return new ReleaseRequest(m.u64(ReleaseIn.FH), new OpenFlags(m.u32(ReleaseIn.FLAGS), false), flush);
    }

    /** FLUSH: handle and lock owner. */
    public record FlushRequest(long fh, long lockOwner) {
    }

    public static FlushRequest decodeFlush(RequestMessage m) {
        return new FlushRequest(m.u64(FlushIn.FH), m.u64(FlushIn.LOCK_OWNER));
    }

    /** FSYNC and FSYNCDIR. */
    public record FsyncRequest(long fh, boolean dataOnly) {
    }

    public static FsyncRequest decodeFsync(RequestMessage m) {
        return new FsyncRequest(m.u64(FsyncIn.FH), (m.u32(FsyncIn.FSYNC_FLAGS) & RequestFlag.FSYNC_FDATASYNC) != 0);
    }

    /** SETXATTR: flags, name and value; the struct is longer once SETXATTR_EXT is negotiated. */
    public record SetxattrRequest(String name, byte[] value, SetxattrFlags flags) {
    }

    public static SetxattrRequest decodeSetxattr(RequestMessage m, boolean extended) {
        int headerSize = extended ? SetxattrIn.SIZE : SetxattrIn.COMPAT_SIZE;
        int valueSize = m.u32(SetxattrIn.VALUE_SIZE);
        int flags = m.u32(SetxattrIn.FLAGS);
        boolean killSgid = extended && (m.u32(SetxattrIn.SETXATTR_FLAGS) & RequestFlag.SETXATTR_ACL_KILL_SGID) != 0;
        byte[] name = m.string(headerSize);
        byte[] value = m.bytes(headerSize + name.length + 1, valueSize).toArray(ValueLayout.JAVA_BYTE);
        SetxattrFlags decoded = new SetxattrFlags(
                (flags & SetxattrFlags.XATTR_CREATE) != 0, (flags & SetxattrFlags.XATTR_REPLACE) != 0, killSgid);
        return new SetxattrRequest(xattrName(name), value, decoded);
    }

    /** GETXATTR: the caller's buffer size (0 for a size query) and the name. */
    public record GetxattrRequest(int bufferSize, String name) {
    }

    public static GetxattrRequest decodeGetxattr(RequestMessage m) {
        return new GetxattrRequest(m.u32(GetxattrIn.BUFFER_SIZE), xattrName(m.string(GetxattrIn.SIZE)));
    }

    /** LISTXATTR: the caller's buffer size (0 for a size query). */
    public static int decodeListxattrSize(RequestMessage m) {
        return m.u32(GetxattrIn.BUFFER_SIZE);
    }

    /** REMOVEXATTR: the name. */
    public static String decodeRemovexattr(RequestMessage m) {
        return xattrName(m.string(0));
    }

    /** Xattr names are text in practice (namespace prefix plus name); they travel as UTF-8. */
    private static String xattrName(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    public static int decodeAccessMask(RequestMessage m) {
        return m.u32(AccessIn.MASK);
    }

    /** FALLOCATE. */
    public record FallocateRequest(long fh, long offset, long length, int mode) {
    }

    public static FallocateRequest decodeFallocate(RequestMessage m) {
        return new FallocateRequest(m.u64(FallocateIn.FH), m.u64(FallocateIn.OFFSET), m.u64(FallocateIn.LENGTH),
                m.u32(FallocateIn.MODE));
    }

    /** LSEEK. */
    public record LseekRequest(long fh, long offset, int whence) {
    }

    public static LseekRequest decodeLseek(RequestMessage m) {
        return new LseekRequest(m.u64(LseekIn.FH), m.u64(LseekIn.OFFSET), m.u32(LseekIn.WHENCE));
    }

    /** NOTIFY_REPLY: the data the kernel returns for a retrieve notification. */
    public static MemorySegment decodeNotifyReplyData(RequestMessage m) {
        int size = m.u32(KernelAbi.NotifyRetrieveIn.DATA_SIZE);
        return m.bytes(KernelAbi.NotifyRetrieveIn.SIZE, size);
    }

    // ---------------------------------------------------------------- reply structs

    public static void encodeOutHeader(MemorySegment s, int length, int error, long unique) {
        s.set(U32, OutHeader.LEN, length);
        s.set(U32, OutHeader.ERROR, error);
        s.set(U64, OutHeader.UNIQUE, unique);
    }

    public static void encodeAttr(MemorySegment s, long off, FileAttributes a) {
        s.set(U64, off + Attr.INO, a.ino());
        s.set(U64, off + Attr.FILE_SIZE, a.size());
        s.set(U64, off + Attr.BLOCKS, a.blocks());
        s.set(U64, off + Attr.ATIME, a.atime().getEpochSecond());
        s.set(U64, off + Attr.MTIME, a.mtime().getEpochSecond());
        s.set(U64, off + Attr.CTIME, a.ctime().getEpochSecond());
        s.set(U32, off + Attr.ATIMENSEC, a.atime().getNano());
        s.set(U32, off + Attr.MTIMENSEC, a.mtime().getNano());
        s.set(U32, off + Attr.CTIMENSEC, a.ctime().getNano());
        s.set(U32, off + Attr.MODE, a.mode());
        s.set(U32, off + Attr.NLINK, a.nlink());
        s.set(U32, off + Attr.UID, a.uid());
        s.set(U32, off + Attr.GID, a.gid());
        s.set(U32, off + Attr.RDEV, a.rdev());
        s.set(U32, off + Attr.BLKSIZE, a.blksize());
        s.set(U32, off + Attr.FLAGS, 0);
    }

    /** An entry_out; a negative entry is node id 0 with only the entry timeout set. */
    public static void encodeEntry(MemorySegment s, long off, Entry e) {
        s.asSlice(off, EntryOut.SIZE).fill((byte) 0);
        s.set(U64, off + EntryOut.NODEID, e.ino());
        s.set(U64, off + EntryOut.GENERATION, e.generation());
        s.set(U64, off + EntryOut.ENTRY_VALID, seconds(e.entryTimeout()));
        s.set(U32, off + EntryOut.ENTRY_VALID_NSEC, e.entryTimeout().toNanosPart());
        s.set(U64, off + EntryOut.ATTR_VALID, seconds(e.attrTimeout()));
        s.set(U32, off + EntryOut.ATTR_VALID_NSEC, e.attrTimeout().toNanosPart());
        if (!e.isNegative()) {
            encodeAttr(s, off + EntryOut.ATTR, e.attributes());
        }
    }

    public static void encodeAttrOut(MemorySegment s, long off, AttrReply r) {
        s.set(U64, off + AttrOut.ATTR_VALID, seconds(r.timeout()));
        s.set(U32, off + AttrOut.ATTR_VALID_NSEC, r.timeout().toNanosPart());
        s.set(U32, off + AttrOut.ATTR_VALID_NSEC + 4, 0);
        encodeAttr(s, off + AttrOut.ATTR, r.attributes());
    }

    public static void encodeOpenOut(MemorySegment s, long off, OpenReply r) {
        int bits = 0;
        for (OpenReply.Flag flag : r.flags()) {
            bits |= flag.bit();
        }
        s.set(U64, off + OpenOut.FH, r.fh());
        s.set(U32, off + OpenOut.OPEN_FLAGS, bits);
        s.set(U32, off + OpenOut.BACKING_ID, 0);
    }

    public static void encodeStatfs(MemorySegment s, long off, FsStats st) {
        s.asSlice(off, StatfsOut.SIZE).fill((byte) 0);
        s.set(U64, off + StatfsOut.BLOCKS, st.blocks());
        s.set(U64, off + StatfsOut.BFREE, st.freeBlocks());
        s.set(U64, off + StatfsOut.BAVAIL, st.availableBlocks());
        s.set(U64, off + StatfsOut.FILES, st.files());
        s.set(U64, off + StatfsOut.FFREE, st.freeFiles());
        s.set(U32, off + StatfsOut.BSIZE, st.blockSize());
        s.set(U32, off + StatfsOut.NAMELEN, st.maxNameLength());
        s.set(U32, off + StatfsOut.FRSIZE, st.fragmentSize());
    }

    public static void encodeU32(MemorySegment s, long off, int value) {
        s.set(U32, off, value);
    }

    public static void encodeU64(MemorySegment s, long off, long value) {
        s.set(U64, off, value);
    }

    // ---------------------------------------------------------------- directory records

    /** Bytes one READDIR record for a name of {@code nameLength} bytes occupies. */
    public static int direntSize(int nameLength) {
        return KernelAbi.align8(Dirent.NAME + nameLength);
    }

    /** Bytes one READDIRPLUS record occupies. */
    public static int direntPlusSize(int nameLength) {
        return KernelAbi.align8(DirentPlus.NAME + nameLength);
    }

    /** Writes a READDIR record (padding zeroed) and returns its size. */
    public static int encodeDirent(MemorySegment s, long off, FileName name, long ino, int mode, long nextOffset) {
        int size = direntSize(name.length());
        s.asSlice(off, size).fill((byte) 0);
        s.set(U64, off + Dirent.INO, ino);
        s.set(U64, off + Dirent.OFF, nextOffset);
        s.set(U32, off + Dirent.NAMELEN, name.length());
        s.set(U32, off + Dirent.TYPE, FileMode.direntType(mode));
        MemorySegment.copy(MemorySegment.ofBuffer(name.asByteBuffer()), 0, s, off + Dirent.NAME, name.length());
        return size;
    }

    /**
     * Writes a READDIRPLUS record and returns its size. With a {@code null} entry the entry part
     * stays zero (node id 0), which the kernel treats as "no lookup result".
     */
    public static int encodeDirentPlus(MemorySegment s, long off, FileName name, long ino, int mode, long nextOffset,
            Entry entry) {
        int size = direntPlusSize(name.length());
        s.asSlice(off, DirentPlus.DIRENT).fill((byte) 0);
        if (entry != null) {
            encodeEntry(s, off + DirentPlus.ENTRY_OUT, entry);
        }
        encodeDirent(s, off + DirentPlus.DIRENT, name, ino, mode, nextOffset);
        return size;
    }

    // ---------------------------------------------------------------- notifications

    /** Size of an inval-entry or delete notification for {@code name}, header included. */
    public static int notifyEntrySize(int structSize, FileName name) {
        return OutHeader.SIZE + structSize + name.length() + 1;
    }

    public static void encodeNotifyInvalInode(MemorySegment s, long ino, long offset, long length) {
        int size = OutHeader.SIZE + KernelAbi.NotifyInvalInodeOut.SIZE;
        encodeOutHeader(s, size, KernelAbi.NotifyCode.INVAL_INODE, 0);
        long at = OutHeader.SIZE;
        s.set(U64, at + KernelAbi.NotifyInvalInodeOut.INO, ino);
        s.set(U64, at + KernelAbi.NotifyInvalInodeOut.OFF, offset);
        s.set(U64, at + KernelAbi.NotifyInvalInodeOut.LEN, length);
    }

    public static void encodeNotifyInvalEntry(MemorySegment s, long parent, FileName name, boolean expireOnly) {
        int size = notifyEntrySize(KernelAbi.NotifyInvalEntryOut.SIZE, name);
        encodeOutHeader(s, size, KernelAbi.NotifyCode.INVAL_ENTRY, 0);
        long at = OutHeader.SIZE;
        s.set(U64, at + KernelAbi.NotifyInvalEntryOut.PARENT, parent);
        s.set(U32, at + KernelAbi.NotifyInvalEntryOut.NAMELEN, name.length());
        s.set(U32, at + KernelAbi.NotifyInvalEntryOut.FLAGS, expireOnly ? RequestFlag.EXPIRE_ONLY : 0);
        encodeTerminatedName(s, at + KernelAbi.NotifyInvalEntryOut.SIZE, name);
    }

    public static void encodeNotifyDelete(MemorySegment s, long parent, long child, FileName name) {
        int size = notifyEntrySize(KernelAbi.NotifyDeleteOut.SIZE, name);
        encodeOutHeader(s, size, KernelAbi.NotifyCode.DELETE, 0);
        long at = OutHeader.SIZE;
        s.set(U64, at + KernelAbi.NotifyDeleteOut.PARENT, parent);
        s.set(U64, at + KernelAbi.NotifyDeleteOut.CHILD, child);
        s.set(U32, at + KernelAbi.NotifyDeleteOut.NAMELEN, name.length());
        s.set(U32, at + KernelAbi.NotifyDeleteOut.NAMELEN + 4, 0);
        encodeTerminatedName(s, at + KernelAbi.NotifyDeleteOut.SIZE, name);
    }

    /** Header and struct of a store notification; the caller copies the data after them. */
    public static void encodeNotifyStore(MemorySegment s, long ino, long offset, int dataSize) {
        int size = OutHeader.SIZE + KernelAbi.NotifyStoreOut.SIZE + dataSize;
        encodeOutHeader(s, size, KernelAbi.NotifyCode.STORE, 0);
        long at = OutHeader.SIZE;
        s.set(U64, at + KernelAbi.NotifyStoreOut.NODEID, ino);
        s.set(U64, at + KernelAbi.NotifyStoreOut.OFFSET, offset);
        s.set(U32, at + KernelAbi.NotifyStoreOut.DATA_SIZE, dataSize);
        s.set(U32, at + KernelAbi.NotifyStoreOut.DATA_SIZE + 4, 0);
    }

    public static void encodeNotifyRetrieve(MemorySegment s, long notifyUnique, long ino, long offset, int size) {
        int total = OutHeader.SIZE + KernelAbi.NotifyRetrieveOut.SIZE;
        encodeOutHeader(s, total, KernelAbi.NotifyCode.RETRIEVE, 0);
        long at = OutHeader.SIZE;
        s.set(U64, at + KernelAbi.NotifyRetrieveOut.NOTIFY_UNIQUE, notifyUnique);
        s.set(U64, at + KernelAbi.NotifyRetrieveOut.NODEID, ino);
        s.set(U64, at + KernelAbi.NotifyRetrieveOut.OFFSET, offset);
        s.set(U32, at + KernelAbi.NotifyRetrieveOut.DATA_SIZE, size);
        s.set(U32, at + KernelAbi.NotifyRetrieveOut.DATA_SIZE + 4, 0);
    }

    public static void encodeNotifyPrune(MemorySegment s, long[] inos) {
        int size = OutHeader.SIZE + KernelAbi.NotifyPruneOut.SIZE + inos.length * 8;
        encodeOutHeader(s, size, KernelAbi.NotifyCode.PRUNE, 0);
        long at = OutHeader.SIZE;
        s.asSlice(at, KernelAbi.NotifyPruneOut.SIZE).fill((byte) 0);
        s.set(U32, at + KernelAbi.NotifyPruneOut.COUNT, inos.length);
        for (int i = 0; i < inos.length; i++) {
            s.set(U64, at + KernelAbi.NotifyPruneOut.SIZE + 8L * i, inos[i]);
        }
    }

    public static void encodeNotifyIncEpoch(MemorySegment s) {
        encodeOutHeader(s, OutHeader.SIZE, KernelAbi.NotifyCode.INC_EPOCH, 0);
    }

    private static void encodeTerminatedName(MemorySegment s, long off, FileName name) {
        MemorySegment.copy(MemorySegment.ofBuffer(name.asByteBuffer()), 0, s, off, name.length());
        s.set(ValueLayout.JAVA_BYTE, off + name.length(), (byte) 0);
    }

    // ---------------------------------------------------------------- helpers

    private static Instant instant(long seconds, int nanos) {
        return Instant.ofEpochSecond(seconds, Integer.toUnsignedLong(nanos) % 1_000_000_000L);
    }

    /** Kernel timeouts are unsigned seconds; absurdly long durations saturate. */
    private static long seconds(Duration d) {
        return d.getSeconds();
    }
}
