package org.scoutfs.fuse;

/**
 * Builds a readdirplus answer from readdir plus one lookup per entry, for filesystems that do
 * not implement readdirplus themselves.
 *
 * <p>It asks {@link DirectoryPlusBuffer#fits} before each lookup so that no lookup count is
 * taken for an entry the buffer would refuse. An entry that vanished between readdir and lookup
 * is still listed, without lookup result, as a plain readdir would have listed it.
 */
final class ReaddirPlusFallback {
    private ReaddirPlusFallback() {
    }

    static void fill(FuseFileSystem fs, RequestContext ctx, long dir, long fh, long offset, DirectoryPlusBuffer out) {
        fs.readdir(ctx, dir, fh, offset, (name, ino, mode, nextOffset) -> {
            if (!out.fits(name)) {
                return false;
            }
            if (name.isDot() || name.isDotDot()) {
                return out.addWithoutEntry(name, ino, mode, nextOffset);
            }
            Entry entry;
            try {
                entry = fs.lookup(ctx, dir, name);
            } catch (FuseException e) {
                if (e.errno() != Errno.ENOENT) {
                    throw e;
                }
                return out.addWithoutEntry(name, ino, mode, nextOffset);
            }
            return out.add(name, entry, nextOffset);
        });
    }
}
