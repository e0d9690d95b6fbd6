package org.scoutfs.fuse.internal.session;

import java.io.ByteArrayOutputStream;
import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.scoutfs.fuse.AttrReply;
import org.scoutfs.fuse.Created;
import org.scoutfs.fuse.Entry;
import org.scoutfs.fuse.Errno;
import org.scoutfs.fuse.FsStats;
import org.scoutfs.fuse.FuseException;
import org.scoutfs.fuse.FuseFileSystem;
import org.scoutfs.fuse.OpenFlags;
import org.scoutfs.fuse.OpenReply;
import org.scoutfs.fuse.RenameFlag;
import org.scoutfs.fuse.Whence;
import org.scoutfs.fuse.internal.protocol.KernelAbi.AttrOut;
import org.scoutfs.fuse.internal.protocol.KernelAbi.EntryOut;
import org.scoutfs.fuse.internal.protocol.KernelAbi.GetxattrOut;
import org.scoutfs.fuse.internal.protocol.KernelAbi.LseekOut;
import org.scoutfs.fuse.internal.protocol.KernelAbi.OpenOut;
import org.scoutfs.fuse.internal.protocol.KernelAbi.Opcode;
import org.scoutfs.fuse.internal.protocol.KernelAbi.StatfsOut;
import org.scoutfs.fuse.internal.protocol.KernelAbi.WriteOut;
import org.scoutfs.fuse.internal.protocol.KernelCodec;
import org.scoutfs.fuse.internal.protocol.KernelCodec.CreateRequest;
import org.scoutfs.fuse.internal.protocol.KernelCodec.FsyncRequest;
import org.scoutfs.fuse.internal.protocol.KernelCodec.GetxattrRequest;
import org.scoutfs.fuse.internal.protocol.KernelCodec.LinkRequest;
import org.scoutfs.fuse.internal.protocol.KernelCodec.MkdirRequest;
import org.scoutfs.fuse.internal.protocol.KernelCodec.MknodRequest;
import org.scoutfs.fuse.internal.protocol.KernelCodec.ReadRequest;
import org.scoutfs.fuse.internal.protocol.KernelCodec.ReleaseRequest;
import org.scoutfs.fuse.internal.protocol.KernelCodec.RenameRequest;
import org.scoutfs.fuse.internal.protocol.KernelCodec.SetxattrRequest;
import org.scoutfs.fuse.internal.protocol.KernelCodec.SymlinkRequest;
import org.scoutfs.fuse.internal.protocol.KernelCodec.WriteRequest;
import org.scoutfs.fuse.internal.protocol.RequestMessage;

/**
 * Runs one request against the filesystem and answers it: decode, call, encode, send.
 *
 * <p>Every request gets exactly one reply. Failures of the operation become an errno reply
 * through {@link Replies#errnoFor}; nothing after a successful send may throw. When the kernel
 * refuses a successful reply (the request was aborted meanwhile), what the reply would have
 * handed over is given back to the filesystem: a lookup through forget, an open handle through
 * release. Requests interrupted before they started are answered EINTR without running.
 *
 * <p>Operations this layer does not offer (locks, ioctl, poll, bmap, copy_file_range, statx,
 * syncfs, DAX mapping) are answered ENOSYS, after which the kernel stops sending them or falls
 * back to its generic implementation.
 */
final class Dispatcher {
    private static final System.Logger LOG = System.getLogger(Dispatcher.class.getName());

    private final FuseFileSystem fs;
    private final Replies replies;
    private volatile boolean extendedSetxattr;

    Dispatcher(FuseFileSystem fs, Replies replies) {
        this.fs = fs;
        this.replies = replies;
    }

    /** Set once INIT has decided the shape of setxattr requests. */
    void setExtendedSetxattr(boolean value) {
        extendedSetxattr = value;
    }

    void dispatch(InFlightRequest request) {
        request.begin();
        try {
            if (request.isInterrupted()) {
                replies.error(request, Errno.EINTR);
            } else {
                handle(request, request.message());
            }
        } catch (Throwable failure) {
            replies.error(request, replies.errnoFor(failure, request.message()));
        } finally {
            request.end();
        }
    }

    private void handle(InFlightRequest r, RequestMessage m) {
        long node = m.nodeId();
        switch (m.opcode()) {
            case Opcode.LOOKUP -> replyEntry(r, fs.lookup(r, node, m.name(0)), true);
            case Opcode.GETATTR -> replyAttr(r, fs.getattr(r, node, KernelCodec.decodeGetattrFh(m)));
            case Opcode.SETATTR -> replyAttr(r, fs.setattr(r, node, KernelCodec.decodeSetattr(m, Instant.now())));
            case Opcode.READLINK -> replyBytes(r, fs.readlink(r, node));
            case Opcode.SYMLINK -> symlink(r, KernelCodec.decodeSymlink(m));
            case Opcode.MKNOD -> mknod(r, KernelCodec.decodeMknod(m));
            case Opcode.MKDIR -> mkdir(r, KernelCodec.decodeMkdir(m));
            case Opcode.UNLINK -> {
                fs.unlink(r, node, m.name(0));
                replies.empty(r);
            }
            case Opcode.RMDIR -> {
                fs.rmdir(r, node, m.name(0));
                replies.empty(r);
            }
            case Opcode.RENAME -> rename(r, KernelCodec.decodeRename(m));
            case Opcode.RENAME2 -> rename(r, KernelCodec.decodeRename2(m));
            case Opcode.LINK -> link(r, KernelCodec.decodeLink(m));
            case Opcode.OPEN -> open(r, KernelCodec.decodeOpen(m), false);
            case Opcode.OPENDIR -> open(r, KernelCodec.decodeOpen(m), true);
            case Opcode.READ -> read(r, KernelCodec.decodeRead(m));
            case Opcode.WRITE -> write(r, KernelCodec.decodeWrite(m));
            case Opcode.STATFS -> statfs(r, fs.statfs(r, node));
            case Opcode.FLUSH -> flush(r, KernelCodec.decodeFlush(m));
            case Opcode.RELEASE -> release(r, KernelCodec.decodeRelease(m));
            case Opcode.RELEASEDIR -> {
                fs.releasedir(r, node, KernelCodec.decodeRelease(m).fh());
                replies.empty(r);
            }
            case Opcode.FSYNC -> fsync(r, KernelCodec.decodeFsync(m), false);
            case Opcode.FSYNCDIR -> fsync(r, KernelCodec.decodeFsync(m), true);
            case Opcode.SETXATTR -> setxattr(r, KernelCodec.decodeSetxattr(m, extendedSetxattr));
            case Opcode.GETXATTR -> getxattr(r, KernelCodec.decodeGetxattr(m));
            case Opcode.LISTXATTR -> listxattr(r, KernelCodec.decodeListxattrSize(m));
            case Opcode.REMOVEXATTR -> {
                fs.removexattr(r, node, KernelCodec.decodeRemovexattr(m));
                replies.empty(r);
            }
            case Opcode.READDIR -> readdir(r, KernelCodec.decodeRead(m), false);
            case Opcode.READDIRPLUS -> readdir(r, KernelCodec.decodeRead(m), true);
            case Opcode.ACCESS -> {
                fs.access(r, node, KernelCodec.decodeAccessMask(m));
                replies.empty(r);
            }
            case Opcode.CREATE -> create(r, KernelCodec.decodeCreate(m), false);
            case Opcode.TMPFILE -> create(r, KernelCodec.decodeCreate(m), true);
            case Opcode.FALLOCATE -> fallocate(r, KernelCodec.decodeFallocate(m));
            case Opcode.LSEEK -> lseek(r, KernelCodec.decodeLseek(m));
            default -> replies.error(r, Errno.ENOSYS);
        }
    }

    // ------------------------------------------------------------- entries

    private void symlink(InFlightRequest r, SymlinkRequest s) {
        replyEntry(r, fs.symlink(r, r.message().nodeId(), s.name(), s.target()), false);
    }

    private void mknod(InFlightRequest r, MknodRequest n) {
        replyEntry(r, fs.mknod(r, r.message().nodeId(), n.name(), n.mode(), n.rdev(), n.umask()), false);
    }

    private void mkdir(InFlightRequest r, MkdirRequest d) {
        replyEntry(r, fs.mkdir(r, r.message().nodeId(), d.name(), d.mode(), d.umask()), false);
    }

    private void link(InFlightRequest r, LinkRequest l) {
        replyEntry(r, fs.link(r, l.ino(), r.message().nodeId(), l.newName()), false);
    }

    private void rename(InFlightRequest r, RenameRequest n) {
        fs.rename(r, r.message().nodeId(), n.name(), n.newParent(), n.newName(), RenameFlag.fromBits(n.flags()));
        replies.empty(r);
    }

    private void replyEntry(InFlightRequest r, Entry entry, boolean negativeAllowed) {
        if (entry.isNegative() && !negativeAllowed) {
            throw new IllegalStateException(Opcode.name(r.message().opcode()) + " returned a negative entry");
        }
        boolean delivered;
        try (ReplyBuffer buffer = ReplyBuffer.allocate(EntryOut.SIZE)) {
            KernelCodec.encodeEntry(buffer.payload(), 0, entry);
            delivered = replies.send(r, buffer, EntryOut.SIZE);
        }
        if (!delivered && !entry.isNegative()) {
            forgetQuietly(entry.ino(), 1);
        }
    }

    private void create(InFlightRequest r, CreateRequest c, boolean unnamed) {
        long parent = r.message().nodeId();
        Created created = unnamed
                ? fs.tmpfile(r, parent, c.mode(), c.umask(), c.flags())
                : fs.create(r, parent, r.message().name(c.nameOffset()), c.mode(), c.umask(), c.flags());
        boolean delivered;
        try (ReplyBuffer buffer = ReplyBuffer.allocate(EntryOut.SIZE + OpenOut.SIZE)) {
            KernelCodec.encodeEntry(buffer.payload(), 0, created.entry());
            KernelCodec.encodeOpenOut(buffer.payload(), EntryOut.SIZE, created.open());
            delivered = replies.send(r, buffer, EntryOut.SIZE + OpenOut.SIZE);
        }
        if (!delivered) {
            releaseQuietly(r, created.entry().ino(), created.open().fh(), c.flags(), false);
            forgetQuietly(created.entry().ino(), 1);
        }
    }

    // ------------------------------------------------------------- attributes

    private void replyAttr(InFlightRequest r, AttrReply attr) {
        try (ReplyBuffer buffer = ReplyBuffer.allocate(AttrOut.SIZE)) {
            KernelCodec.encodeAttrOut(buffer.payload(), 0, attr);
            replies.send(r, buffer, AttrOut.SIZE);
        }
    }

    private void statfs(InFlightRequest r, FsStats stats) {
        try (ReplyBuffer buffer = ReplyBuffer.allocate(StatfsOut.SIZE)) {
            KernelCodec.encodeStatfs(buffer.payload(), 0, stats);
            replies.send(r, buffer, StatfsOut.SIZE);
        }
    }

    private void replyBytes(InFlightRequest r, byte[] bytes) {
        try (ReplyBuffer buffer = ReplyBuffer.allocateForData(bytes.length)) {
            MemorySegment.copy(bytes, 0, buffer.payload(), ValueLayout.JAVA_BYTE, 0, bytes.length);
            replies.send(r, buffer, bytes.length);
        }
    }

    // ------------------------------------------------------------- files

    private void open(InFlightRequest r, OpenFlags flags, boolean directory) {
        long ino = r.message().nodeId();
        OpenReply opened = directory ? fs.opendir(r, ino, flags) : fs.open(r, ino, flags);
        boolean delivered;
        try (ReplyBuffer buffer = ReplyBuffer.allocate(OpenOut.SIZE)) {
            KernelCodec.encodeOpenOut(buffer.payload(), 0, opened);
            delivered = replies.send(r, buffer, OpenOut.SIZE);
        }
        if (!delivered) {
            releaseQuietly(r, ino, opened.fh(), flags, directory);
        }
    }

    private void read(InFlightRequest r, ReadRequest read) {
        try (ReplyBuffer buffer = ReplyBuffer.allocateForData(read.size())) {
            ByteBuffer destination = buffer.payload().asSlice(0, read.size()).asByteBuffer();
            fs.read(r, r.message().nodeId(), read.fh(), read.offset(), destination);
            replies.send(r, buffer, destination.position());
        }
    }

    private void write(InFlightRequest r, WriteRequest write) {
        int written = fs.write(r, r.message().nodeId(), write.fh(), write.offset(), write.data().asByteBuffer(),
                write.flags());
        if (written < 0 || written > write.data().byteSize()) {
            throw new IllegalStateException("write returned " + written + " for " + write.data().byteSize() + " bytes");
        }
        try (ReplyBuffer buffer = ReplyBuffer.allocate(WriteOut.SIZE)) {
            KernelCodec.encodeU32(buffer.payload(), WriteOut.WRITTEN, written);
            replies.send(r, buffer, WriteOut.SIZE);
        }
    }

    private void flush(InFlightRequest r, KernelCodec.FlushRequest flush) {
        fs.flush(r, r.message().nodeId(), flush.fh(), flush.lockOwner());
        replies.empty(r);
    }

    private void release(InFlightRequest r, ReleaseRequest release) {
        long ino = r.message().nodeId();
        if (release.flush()) {
            flushIgnoringEnosys(r, ino, release.fh());
        }
        fs.release(r, ino, release.fh(), release.flags());
        replies.empty(r);
    }

    private void flushIgnoringEnosys(InFlightRequest r, long ino, long fh) {
        try {
            fs.flush(r, ino, fh, 0);
        } catch (FuseException e) {
            if (e.errno() != Errno.ENOSYS) {
                throw e;
            }
        }
    }

    private void fsync(InFlightRequest r, FsyncRequest sync, boolean directory) {
        long ino = r.message().nodeId();
        if (directory) {
            fs.fsyncdir(r, ino, sync.fh(), sync.dataOnly());
        } else {
            fs.fsync(r, ino, sync.fh(), sync.dataOnly());
        }
        replies.empty(r);
    }

    private void fallocate(InFlightRequest r, KernelCodec.FallocateRequest f) {
        fs.fallocate(r, r.message().nodeId(), f.fh(), f.offset(), f.length(), f.mode());
        replies.empty(r);
    }

    private void lseek(InFlightRequest r, KernelCodec.LseekRequest seek) {
        long offset = fs.lseek(r, r.message().nodeId(), seek.fh(), seek.offset(), Whence.of(seek.whence()));
        try (ReplyBuffer buffer = ReplyBuffer.allocate(LseekOut.SIZE)) {
            KernelCodec.encodeU64(buffer.payload(), LseekOut.OFFSET, offset);
            replies.send(r, buffer, LseekOut.SIZE);
        }
    }

    // ------------------------------------------------------------- directories

    private void readdir(InFlightRequest r, ReadRequest read, boolean plus) {
        long ino = r.message().nodeId();
        try (ReplyBuffer buffer = ReplyBuffer.allocateForData(read.size())) {
            DirectoryReply listing = new DirectoryReply(buffer.payload(), read.size(), plus);
            try {
                if (plus) {
                    fs.readdirplus(r, ino, read.fh(), read.offset(), listing);
                } else {
                    fs.readdir(r, ino, read.fh(), read.offset(), listing);
                }
            } catch (RuntimeException | Error e) {
                forgetAllQuietly(listing.grantedLookups());
                throw e;
            }
            if (!replies.send(r, buffer, listing.used())) {
                forgetAllQuietly(listing.grantedLookups());
            }
        }
    }

    // ------------------------------------------------------------- extended attributes

    private void setxattr(InFlightRequest r, SetxattrRequest s) {
        fs.setxattr(r, r.message().nodeId(), s.name(), s.value(), s.flags());
        replies.empty(r);
    }

    private void getxattr(InFlightRequest r, GetxattrRequest g) {
        replySized(r, fs.getxattr(r, r.message().nodeId(), g.name()), g.bufferSize());
    }

    private void listxattr(InFlightRequest r, int bufferSize) {
        replySized(r, encodeNameList(fs.listxattr(r, r.message().nodeId())), bufferSize);
    }

    /**
     * The getxattr/listxattr size protocol: a zero-sized buffer asks for the needed size, a
     * buffer too small for the value is ERANGE, otherwise the value itself.
     */
    private void replySized(InFlightRequest r, byte[] value, int bufferSize) {
        if (bufferSize == 0) {
            try (ReplyBuffer buffer = ReplyBuffer.allocate(GetxattrOut.SIZE)) {
                KernelCodec.encodeU32(buffer.payload(), GetxattrOut.VALUE_SIZE, value.length);
                replies.send(r, buffer, GetxattrOut.SIZE);
            }
        } else if (value.length > bufferSize) {
            replies.error(r, Errno.ERANGE);
        } else {
            replyBytes(r, value);
        }
    }

    private static byte[] encodeNameList(List<String> names) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String name : names) {
            out.writeBytes(name.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        return out.toByteArray();
    }

    // ------------------------------------------------------------- undo of undelivered replies

    private void forgetQuietly(long ino, long nlookup) {
        try {
            fs.forget(ino, nlookup);
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "forget of undelivered lookup failed for inode " + ino, e);
        }
    }

    private void forgetAllQuietly(long[] inos) {
        for (long ino : inos) {
            forgetQuietly(ino, 1);
        }
    }

    private void releaseQuietly(InFlightRequest r, long ino, long fh, OpenFlags flags, boolean directory) {
        try {
            if (directory) {
                fs.releasedir(r, ino, fh);
            } else {
                fs.release(r, ino, fh, flags);
            }
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "release of undelivered open failed for inode " + ino, e);
        }
    }
}
