package org.scoutfs.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Keeps the example of docs/fuse.md compiling and working. */
class HelloFsExampleTest {

    static final class HelloFs implements FuseFileSystem {
        private static final Duration TIMEOUT = Duration.ofSeconds(1);
        private static final byte[] DATA = "hello\n".getBytes(StandardCharsets.UTF_8);
        private static final long FILE = 2;

        @Override
        public Entry lookup(RequestContext ctx, long parent, FileName name) {
            if (parent != ROOT_INO || !name.equals(FileName.of("hello"))) {
                throw new FuseException(Errno.ENOENT);
            }
            return Entry.of(attributes(FILE), 0, TIMEOUT);
        }

        @Override
        public AttrReply getattr(RequestContext ctx, long ino, long fh) {
            return new AttrReply(attributes(ino), TIMEOUT);
        }

        @Override
        public OpenReply open(RequestContext ctx, long ino, OpenFlags flags) {
            return OpenReply.of(0, OpenReply.Flag.KEEP_CACHE);
        }

        @Override
        public void read(RequestContext ctx, long ino, long fh, long offset, ByteBuffer destination) {
            if (offset < DATA.length) {
                destination.put(DATA, (int) offset, Math.min(destination.remaining(), DATA.length - (int) offset));
            }
        }

        @Override
        public void readdir(RequestContext ctx, long ino, long fh, long offset, DirectoryBuffer buffer) {
            if (offset < 1 && !buffer.add(FileName.DOT, ROOT_INO, FileMode.S_IFDIR, 1)) {
                return;
            }
            if (offset < 2 && !buffer.add(FileName.DOT_DOT, ROOT_INO, FileMode.S_IFDIR, 2)) {
                return;
            }
            if (offset < 3) {
                buffer.add(FileName.of("hello"), FILE, FileMode.S_IFREG, 3);
            }
        }

        private static FileAttributes attributes(long ino) {
            boolean root = ino == ROOT_INO;
            return FileAttributes.builder().ino(ino)
                    .mode(root ? FileMode.S_IFDIR | 0755 : FileMode.S_IFREG | 0444)
                    .nlink(root ? 2 : 1).size(root ? 0 : DATA.length).times(Instant.EPOCH).build();
        }
    }

    @Test
    void helloFsFromTheDocsServesItsFile() throws Exception {
        MountFixture.assumeFuseAvailable();
        Path dir = Files.createTempDirectory("scoutfs-hello-");
        try (FuseMount mount = FuseMount.mount(new HelloFs(), dir,
                MountOptions.builder().fsName("hello").subtype("scoutfs").allowOther(true).build())) {
            assertThat(mount.mountPoint()).isEqualTo(dir.toRealPath());
            assertThat(Shell.run("cat", dir.resolve("hello").toString()).assertSuccess().stdout()).isEqualTo("hello\n");
            assertThat(Shell.run("ls", dir.toString()).assertSuccess().stdout().trim()).isEqualTo("hello");
            assertThat(Files.exists(dir.resolve("absent"))).isFalse();
        } finally {
            MountFixture.forceUnmount(dir);
            Files.deleteIfExists(dir);
        }
    }
}
