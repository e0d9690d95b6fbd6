package org.scoutfs.cli.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.scoutfs.cli.Main;
import org.scoutfs.node.NodeMain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Runs the cluster test scripts (test resources {@code cluster-tests/NAME.sh}) in the style of
 * scoutfs's own tests: a bash script operates on the same directory through several mounts of one
 * volume and prints only what must be the same on every run; its output must equal
 * {@code cluster-tests/golden/NAME} byte for byte. With {@code -Dscoutfs.golden.write=true} a
 * missing golden file is written instead, for a new script (read it before committing it).
 */
final class GoldenScripts {
    private GoldenScripts() {
    }

    /** The scripts' {@code scoutfs}: this build's CLI on the test class path. */
    static Path scoutfsCommand(Path dir) throws IOException {
        Path cmd = dir.resolve("scoutfs");
        if (Files.exists(cmd)) {
            return cmd;
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        StringBuilder sb = new StringBuilder("#!/bin/sh\nexec '").append(java).append("'");
        for (String f : NodeMain.JVM_FLAGS) {
            sb.append(' ').append(f);
        }
        sb.append(" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:auto -cp '")
                .append(System.getProperty("java.class.path")).append("' ").append(Main.class.getName())
                .append(" \"$@\"\n");
        Files.writeString(cmd, sb.toString());
        Files.setPosixFilePermissions(cmd, PosixFilePermissions.fromString("rwxr-xr-x"));
        return cmd;
    }

    /**
     * Runs script {@code name} on {@code mounts} (each gets the directory {@code name} of the
     * volume as {@code T_Di}) and checks its output against the golden file.
     */
    static void runAndCheck(String name, List<Path> mounts, Path controlDir, Path work) throws Exception {
        Path script = copyResource("cluster-tests/" + name + ".sh", work);
        Path funcs = copyResource("cluster-tests/funcs.sh", work);
        Files.createDirectory(mounts.getFirst().resolve(name));
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).directory(work.toFile());
        Map<String, String> env = pb.environment();
        env.put("T_NR_MOUNTS", Integer.toString(mounts.size()));
        for (int i = 0; i < mounts.size(); i++) {
            Path d = mounts.get(i).resolve(name);
            assertThat(d).as("the test directory made through mount 0 is seen through mount " + i).isDirectory();
            env.put("T_D" + i, d.toString());
        }
        env.put("T_FUNCS", funcs.toString());
        env.put("SCOUTFS", scoutfsCommand(work).toString());
        env.put("SCOUTFS_CONTROL_DIR", controlDir.toString());
        env.put("LC_ALL", "C");
        Process p = pb.start();
        byte[] out;
        try (InputStream in = p.getInputStream()) {
            out = in.readAllBytes();
        }
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("script " + name + " did not finish in 5 minutes");
        }
        String output = new String(out, StandardCharsets.UTF_8);
        Path golden = Path.of("src/test/resources/cluster-tests/golden", name);
        String expected = resource("cluster-tests/golden/" + name);
        if (expected == null && Boolean.getBoolean("scoutfs.golden.write")) {
            Files.writeString(golden, output);
            return;
        }
        assertThat(expected).as("golden output cluster-tests/golden/" + name + " exists").isNotNull();
        assertThat(output).as("output of " + name + " (exit status " + p.exitValue() + ")").isEqualTo(expected);
    }

    private static Path copyResource(String name, Path dir) throws IOException {
        String text = resource(name);
        if (text == null) {
            throw new IOException("no test resource " + name);
        }
        Path p = dir.resolve(Path.of(name).getFileName());
        Files.writeString(p, text);
        return p;
    }

    private static String resource(String name) throws IOException {
        try (InputStream in = GoldenScripts.class.getClassLoader().getResourceAsStream(name)) {
            return in == null ? null : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
