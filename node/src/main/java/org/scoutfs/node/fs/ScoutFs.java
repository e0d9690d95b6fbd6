package org.scoutfs.node.fs;

import java.nio.ByteBuffer;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

import org.scoutfs.fuse.AttrReply;
import org.scoutfs.fuse.Created;
import org.scoutfs.fuse.DirectoryBuffer;
import org.scoutfs.fuse.DirectoryPlusBuffer;
import org.scoutfs.fuse.Entry;
import org.scoutfs.fuse.Errno;
import org.scoutfs.fuse.FileName;
import org.scoutfs.fuse.FsStats;
import org.scoutfs.fuse.FuseException;
import org.scoutfs.fuse.FuseFileSystem;
import org.scoutfs.fuse.OpenFlags;
import org.scoutfs.fuse.OpenReply;
import org.scoutfs.fuse.RenameFlag;
import org.scoutfs.fuse.RequestContext;
import org.scoutfs.fuse.SetAttrChanges;
import org.scoutfs.fuse.SetxattrFlags;
import org.scoutfs.fuse.Whence;
import org.scoutfs.fuse.WriteFlags;
import org.scoutfs.lsm.CorruptionException;
import org.scoutfs.lsm.NoSpaceException;
import org.scoutfs.lsm.StorageException;
import org.scoutfs.lsm.block.BlockDevice;
import org.scoutfs.lsm.server.ServerApi;
import org.scoutfs.lsm.txn.NodeStore;

/**
 * The scoutfs filesystem as the kernel sees it through FUSE: every operation of
 * {@link FuseFileSystem}, delegated to {@link NamespaceOps} and {@link FileOps}, with storage
 * failures turned into errno values in one place ({@link #guard}). Node ids are inode numbers.
 */
public final class ScoutFs implements FuseFileSystem, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ScoutFs.class.getName());

    private final FsCore core;
    private final Lifetimes lifetimes;
    private final Reaper reaper;
    private final NamespaceOps names;
    private final FileOps files;

    /**
     * @param elsewhere tells which inodes other nodes have open, before an unlinked inode is deleted
     */
    public ScoutFs(NodeStore store, ClusterLocks locks, BlockDevice dataDevice, ServerApi server, FsOptions options,
                   Clock clock, InodeUse elsewhere) {
        this.core = new FsCore(store, new InodeLocks(locks), new FileData(store, dataDevice),
                new InodeNumbers(server, store.rid()), options, clock, elsewhere);
        this.reaper = new Reaper(core);
        this.lifetimes = new Lifetimes(reaper::maybeDelete);
        reaper.lifetimes(lifetimes);
        this.names = new NamespaceOps(core, lifetimes, reaper);
        this.files = new FileOps(core);
    }

    /**
     * Deletes inodes that lost their last link and that no node has open: those a crash left, those
     * still open somewhere when they were unlinked, those of a node that was declared gone.
     */
    public void reclaimOrphans() {
        reaper.reapOrphans();
    }

    // ---------------------------------------------------------------- scoutfs operations beyond POSIX

    /** One entry of an inode index: the inode and the sequence it is filed under. */
    public record IndexEntry(long major, long ino) {
    }

    /**
     * A page of an index walk: entries in [first, last] (as (major, ino) positions), clamped to the
     * last stable sequence, which is returned too. Continue after the last entry for more.
     */
    public record IndexPage(List<IndexEntry> entries, long stableSeq, boolean more) {
    }

    /**
     * Walks the meta_seq or data_seq index over committed items only: entries appear once the
     * transaction that wrote them is committed.
     */
    public IndexPage walkInodes(boolean dataSeq, long firstMajor, long firstIno, long lastMajor, long lastIno,
                                int limit) {
        return guard("walk-inodes", () -> {
            int type = dataSeq ? org.scoutfs.lsm.format.Zones.DATA_SEQ_TYPE : org.scoutfs.lsm.format.Zones.META_SEQ_TYPE;
            long stable = core.store.refreshRoots().stableSeq();
            long clampMajor = lastMajor;
            long clampIno = lastIno;
            if (Long.compareUnsigned(lastMajor, stable) > 0) {
                clampMajor = stable;
                clampIno = -1L;
            }
            if (Long.compareUnsigned(firstMajor, clampMajor) > 0) {
                return new IndexPage(List.of(), stable, false);
            }
            var from = new org.scoutfs.lsm.format.Key(org.scoutfs.lsm.format.Zones.INODE_INDEX, 0, type, firstMajor, firstIno);
            var to = new org.scoutfs.lsm.format.Key(org.scoutfs.lsm.format.Zones.INODE_INDEX, 0, type, clampMajor, clampIno, 255);
            NodeStore.Committed c = core.store.scanCommitted(from, to, limit);
            List<IndexEntry> out = c.items().stream().map(i -> new IndexEntry(i.key().second(), i.key().third())).toList();
            return new IndexPage(out, c.roots().stableSeq(), out.size() == limit);
        });
    }

    /** The scoutfs fields of an inode that stat(2) does not show. */
    public record InodeDetails(long metaSeq, long dataSeq, long dataVersion, long onlineBlocks, long offlineBlocks,
                               long crtimeSec, int crtimeNsec) {
    }

    public InodeDetails inodeDetails(long ino) {
        return guard("stat", () -> {
            try (InodeLocks.Held l = core.locks.read(ino)) {
                Inode i = core.inodes.read(ino);
                return new InodeDetails(i.metaSeq, i.dataSeq, i.dataVersion, i.onlineBlocks, i.offlineBlocks,
                        i.crtime.sec(), i.crtime.nsec());
            }
        });
    }

    /** An inode the kernel may have cached, and whether it is a directory. */
    public record CachedInode(long ino, boolean directory) {
    }

    /** Inodes in [first, last] the kernel may have cached, in number order. */
    public List<CachedInode> knownInodes(long first, long last) {
        return lifetimes.known(first, last).stream().map(k -> new CachedInode(k.ino(), k.directory())).toList();
    }

    /** The ones of {@code inos} open on this node: what this node answers another that wants to delete them. */
    public List<Long> openOf(List<Long> inos) {
        return inos.stream().filter(lifetimes::open).toList();
    }

    /**
     * Makes every change made so far durable, including the deletion of files unlinked so far
     * that nothing uses any more: after {@code rm} and a sync, the space is free on disk.
     */
    public void sync() {
        reaper.awaitIdle();
        commit();
    }

    /** Makes every change made so far durable; deletions still pending may land in a later commit. */
    public void commit() {
        guard("sync", files::fsync);
    }

    private static final ConcurrentHashMap<String, LongAdder> COUNTS = new ConcurrentHashMap<>();

    /** How many times each operation ran in this process, for `scoutfs counters`. */
    public static SortedMap<String, Long> operationCounts() {
        TreeMap<String, Long> out = new TreeMap<>();
        COUNTS.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }

    /**
     * Runs an operation, turning storage failures into errno. An operation that found no space
     * runs once more if space freed by deletions can be had by committing them first: freed
     * blocks are reusable only once the transaction that freed them is durable.
     */
    private <T> T guard(String op, Supplier<T> body) {
        COUNTS.computeIfAbsent(op, k -> new LongAdder()).increment();
        try {
            return toErrno(op, body);
        } catch (FuseException e) {
            if (e.errno() != Errno.ENOSPC || !reclaimFreedSpace()) {
                throw e;
            }
            return toErrno(op, body);
        }
    }

    /** Finishes pending deletions and commits what they freed; false if that gives nothing back. */
    private boolean reclaimFreedSpace() {
        reaper.awaitIdle();
        return core.store.commitToReuseFreed();
    }

    /** ENOSPC for a full volume, EIO for anything that is not the caller's fault. */
    private static <T> T toErrno(String op, Supplier<T> body) {
        try {
            return body.get();
        } catch (FuseException e) {
            throw e;
        } catch (NoSpaceException e) {
            throw new FuseException(Errno.ENOSPC, e.getMessage(), e);
        } catch (CorruptionException e) {
            LOG.log(System.Logger.Level.ERROR, op + ": " + e.getMessage());
            throw new FuseException(Errno.EIO, e.getMessage(), e);
        } catch (StorageException e) {
            LOG.log(System.Logger.Level.ERROR, op + " failed", e);
            throw new FuseException(Errno.EIO, e.getMessage(), e);
        }
    }

    private void guard(String op, Runnable body) {
        guard(op, () -> {
            body.run();
            return null;
        });
    }

    /** The kernel let go of every inode: the session ended. */
    @Override
    public void destroy() {
        lifetimes.clear();
    }

    /**
     * After the session ended: finishes pending deletions and deletes inodes that lost their last
     * link while open, since nothing uses them any more.
     */
    @Override
    public void close() {
        reaper.close();
        try {
            reaper.reapOrphans();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "unlinked inodes are left for the next mount to delete", e);
        }
    }

    @Override
    public Entry lookup(RequestContext ctx, long parent, FileName name) {
        return guard("lookup", () -> names.lookup(parent, name));
    }

    @Override
    public void forget(long ino, long nlookup) {
        lifetimes.forgot(ino, nlookup);
    }

    @Override
    public AttrReply getattr(RequestContext ctx, long ino, long fh) {
        return guard("getattr", () -> files.getattr(ino));
    }

    @Override
    public AttrReply setattr(RequestContext ctx, long ino, SetAttrChanges changes) {
        return guard("setattr", () -> files.setattr(ctx, ino, changes));
    }

    @Override
    public byte[] readlink(RequestContext ctx, long ino) {
        return guard("readlink", () -> names.readlink(ino));
    }

    @Override
    public Entry symlink(RequestContext ctx, long parent, FileName name, byte[] target) {
        return guard("symlink", () -> names.create(ctx, parent, name,
                new NamespaceOps.NewInode(Inode.S_IFLNK | 0777, 0, target), 0));
    }

    @Override
    public Entry mknod(RequestContext ctx, long parent, FileName name, int mode, int rdev, int umask) {
        return guard("mknod", () -> names.create(ctx, parent, name, new NamespaceOps.NewInode(mode, rdev, null), umask));
    }

    @Override
    public Entry mkdir(RequestContext ctx, long parent, FileName name, int mode, int umask) {
        return guard("mkdir", () -> names.create(ctx, parent, name,
                new NamespaceOps.NewInode(Inode.S_IFDIR | (mode & 07777), 0, null), umask));
    }

    @Override
    public void unlink(RequestContext ctx, long parent, FileName name) {
        guard("unlink", () -> names.unlink(parent, name, false));
    }

    @Override
    public void rmdir(RequestContext ctx, long parent, FileName name) {
        guard("rmdir", () -> names.unlink(parent, name, true));
    }

    @Override
    public void rename(RequestContext ctx, long parent, FileName name, long newParent, FileName newName,
                       Set<RenameFlag> flags) {
        guard("rename", () -> names.rename(parent, name, newParent, newName, flags));
    }

    @Override
    public Entry link(RequestContext ctx, long ino, long newParent, FileName newName) {
        return guard("link", () -> names.link(ino, newParent, newName));
    }

    @Override
    public OpenReply open(RequestContext ctx, long ino, OpenFlags flags) {
        return guard("open", () -> {
            boolean truncate = flags.has(OpenFlags.O_TRUNC) && flags.isWritable();
            if (truncate || flags.killSuidGid()) {
                files.prepareOpen(ctx, ino, truncate, flags.killSuidGid());
            } else {
                files.getattr(ino);
            }
            lifetimes.opened(ino);
            return openReply(flags);
        });
    }

    /**
     * Files opened for appending bypass the kernel's page cache: the node puts each append at the
     * file's current end, which may not be where the kernel thought it was, and the kernel must
     * not cache the written bytes at the place it thought. With the writeback cache the kernel
     * keeps writes (and the times they change) to itself until it writes them back, so there the
     * page cache stays (such a mount is coherent only while one node writes a file).
     */
    private OpenReply openReply(OpenFlags flags) {
        return flags.has(OpenFlags.O_APPEND) && !writebackCache ? OpenReply.of(0, OpenReply.Flag.DIRECT_IO)
                : OpenReply.of(0, OpenReply.Flag.KEEP_CACHE);
    }

    private volatile boolean writebackCache;

    @Override
    public void init(org.scoutfs.fuse.ConnectionInfo connection) {
        writebackCache = connection.writebackCache();
    }

    @Override
    public void read(RequestContext ctx, long ino, long fh, long offset, ByteBuffer destination) {
        guard("read", () -> files.read(ino, offset, destination));
    }

    @Override
    public int write(RequestContext ctx, long ino, long fh, long offset, ByteBuffer data, WriteFlags flags) {
        // a write(2) through an O_APPEND file goes to the end of the file as it is now, which another
        // node may have moved since this node's kernel last learned the size it computed the offset from
        boolean append = !flags.cacheWrite() && (flags.openFlags() & OpenFlags.O_APPEND) != 0;
        return guard("write", () -> files.write(ctx, ino, offset, data, flags.killSuidGid(), append));
    }

    @Override
    public FsStats statfs(RequestContext ctx, long ino) {
        return guard("statfs", files::statfs);
    }

    @Override
    public void release(RequestContext ctx, long ino, long fh, OpenFlags flags) {
        lifetimes.released(ino);
    }

    @Override
    public void fsync(RequestContext ctx, long ino, long fh, boolean dataOnly) {
        guard("fsync", files::fsync);
    }

    @Override
    public void setxattr(RequestContext ctx, long ino, String name, byte[] value, SetxattrFlags flags) {
        guard("setxattr", () -> files.setxattr(ino, name, value, flags));
    }

    @Override
    public byte[] getxattr(RequestContext ctx, long ino, String name) {
        return guard("getxattr", () -> files.getxattr(ino, name));
    }

    @Override
    public List<String> listxattr(RequestContext ctx, long ino) {
        return guard("listxattr", () -> files.listxattr(ino, ctx.uid() == 0));
    }

    @Override
    public void removexattr(RequestContext ctx, long ino, String name) {
        guard("removexattr", () -> files.removexattr(ino, name));
    }

    @Override
    public OpenReply opendir(RequestContext ctx, long ino, OpenFlags flags) {
        return guard("opendir", () -> {
            core.directory(ino);
            lifetimes.opened(ino);
            return OpenReply.of(0);
        });
    }

    @Override
    public void readdir(RequestContext ctx, long ino, long fh, long offset, DirectoryBuffer buffer) {
        guard("readdir", () -> names.readdir(ino, offset, buffer));
    }

    @Override
    public void readdirplus(RequestContext ctx, long ino, long fh, long offset, DirectoryPlusBuffer buffer) {
        guard("readdirplus", () -> names.readdirplus(ino, offset, buffer));
    }

    @Override
    public void releasedir(RequestContext ctx, long ino, long fh) {
        lifetimes.released(ino);
    }

    @Override
    public void fsyncdir(RequestContext ctx, long ino, long fh, boolean dataOnly) {
        guard("fsyncdir", files::fsync);
    }

    @Override
    public Created create(RequestContext ctx, long parent, FileName name, int mode, int umask, OpenFlags flags) {
        return guard("create", () -> {
            Entry e = names.create(ctx, parent, name, new NamespaceOps.NewInode(mode, 0, null), umask);
            lifetimes.opened(e.ino());
            return new Created(e, openReply(flags));
        });
    }

    @Override
    public Created tmpfile(RequestContext ctx, long parent, int mode, int umask, OpenFlags flags) {
        return guard("tmpfile", () -> {
            Entry e = names.createUnnamed(ctx, parent, mode, umask);
            lifetimes.opened(e.ino());
            lifetimes.markUnlinked(e.ino()); // born without a link: deleted at its last close unless linked
            return new Created(e, OpenReply.of(0, OpenReply.Flag.KEEP_CACHE));
        });
    }

    @Override
    public void fallocate(RequestContext ctx, long ino, long fh, long offset, long length, int mode) {
        guard("fallocate", () -> files.fallocate(ino, offset, length, mode));
    }

    @Override
    public long lseek(RequestContext ctx, long ino, long fh, long offset, Whence whence) {
        return guard("lseek", () -> files.lseek(ino, offset, whence));
    }
}
