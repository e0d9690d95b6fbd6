package org.scoutfs.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.scoutfs.fuse.testfs.MemoryFileSystem;

/** Verifies extended attributes end to end, including the size-probe protocol and its error paths. */
class XattrMountTest {
    private MountFixture m;
    private Path file;

    @BeforeEach
    void mount() throws Exception {
        m = MountFixture.mount(new MemoryFileSystem());
        file = m.path("attributed");
        Files.writeString(file, "x");
    }

    @AfterEach
    void unmount() throws Exception {
        m.close();
    }

    @Test
    void setGetListAndRemoveWithAttrTools() {
        Shell.run("setfattr", "-n", "user.color", "-v", "blue", file.toString()).assertSuccess();
        Shell.run("setfattr", "-n", "user.shape", "-v", "round", file.toString()).assertSuccess();
        String color = Shell.run("getfattr", "--only-values", "-n", "user.color", file.toString())
                .assertSuccess().stdout();
        assertThat(color).isEqualTo("blue");
        String dump = Shell.run("getfattr", "-d", file.toString()).assertSuccess().stdout();
        assertThat(dump).contains("user.color=\"blue\"", "user.shape=\"round\"");

        Shell.run("setfattr", "-x", "user.color", file.toString()).assertSuccess();
        assertThat(Shell.run("getfattr", "-d", file.toString()).stdout()).doesNotContain("user.color");
    }

    @Test
    void sizeProbeReturnsLengthAndSmallBufferIsErange() throws Throwable {
        Shell.run("setfattr", "-n", "user.long", "-v", "0123456789", file.toString()).assertSuccess();
        assertThat(TestSyscalls.getxattr(file, "user.long", 0)).as("size probe").isEqualTo(10);
        assertThat(TestSyscalls.getxattr(file, "user.long", 4)).isEqualTo(-Errno.ERANGE.code());
        assertThat(TestSyscalls.getxattr(file, "user.long", 64)).isEqualTo(10);

        long listSize = TestSyscalls.listxattr(file, 0);
        assertThat(listSize).isEqualTo("user.long".length() + 1);
        assertThat(TestSyscalls.listxattr(file, 3)).isEqualTo(-Errno.ERANGE.code());
    }

    @Test
    void missingAttributeIsEnodataAndForeignNamespaceIsEnotsup() throws Throwable {
        assertThat(TestSyscalls.getxattr(file, "user.absent", 64)).isEqualTo(-Errno.ENODATA.code());
        assertThat(Shell.run("getfattr", "-n", "user.absent", file.toString()).stderr()).contains("No such attribute");
        Shell.Result trusted = Shell.run("setfattr", "-n", "trusted.secret", "-v", "1", file.toString());
        assertThat(trusted.exitCode()).isNotZero();
        assertThat(trusted.stderr()).contains("Operation not supported");
    }

    @Test
    void createAndReplaceFlagsAreHonoured() {
        Shell.run("setfattr", "-n", "user.once", "-v", "1", file.toString()).assertSuccess();
        // setfattr has no flag switches; python's os.setxattr does.
        String script = String.join("\n",
                "import os, errno, sys",
                "p = sys.argv[1]",
                "try:",
                "    os.setxattr(p, 'user.once', b'2', os.XATTR_CREATE); print('created')",
                "except OSError as e: print(errno.errorcode[e.errno])",
                "try:",
                "    os.setxattr(p, 'user.never', b'2', os.XATTR_REPLACE); print('replaced')",
                "except OSError as e: print(errno.errorcode[e.errno])");
        Shell.Result result = Shell.run("python3", "-c", script, file.toString());
        if (result.exitCode() == 127) {
            return;
        }
        assertThat(result.assertSuccess().stdout().lines()).containsExactly("EEXIST", "ENODATA");
    }
}
