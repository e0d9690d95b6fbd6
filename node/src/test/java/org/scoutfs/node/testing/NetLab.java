package org.scoutfs.node.testing;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Separate "hosts" on this machine: network namespaces, each with one address on a bridge they
 * share with the host, made and removed by the test. A node process runs in one by entering only
 * its network namespace ({@code nsenter --net}), so its FUSE mount stays visible to the test.
 * {@link #cut} takes a namespace's link down, which cuts it off from every other; {@link #heal}
 * puts it back.
 */
public final class NetLab implements AutoCloseable {
    private final String prefix;
    private final int subnet;
    private final int hosts;

    private NetLab(String prefix, int subnet, int hosts) {
        this.prefix = prefix;
        this.subnet = subnet;
        this.hosts = hosts;
    }

    /** Makes {@code hosts} namespaces; on failure removes what it made. */
    public static NetLab create(int hosts) throws IOException, InterruptedException {
        String prefix = String.format("sf%03x", ThreadLocalRandom.current().nextInt(0x1000));
        int subnet = 100 + ThreadLocalRandom.current().nextInt(100);
        NetLab lab = new NetLab(prefix, subnet, hosts);
        try {
            lab.run("ip", "link", "add", lab.bridge(), "type", "bridge");
            lab.run("ip", "addr", "add", "10." + subnet + ".0.254/24", "dev", lab.bridge());
            lab.run("ip", "link", "set", lab.bridge(), "up");
            for (int i = 0; i < hosts; i++) {
                String ns = lab.namespace(i);
                lab.run("ip", "netns", "add", ns);
                lab.run("ip", "link", "add", lab.hostEnd(i), "type", "veth", "peer", "name", lab.nsEnd(i));
                lab.run("ip", "link", "set", lab.nsEnd(i), "netns", ns);
                lab.run("ip", "link", "set", lab.hostEnd(i), "master", lab.bridge(), "up");
                lab.run("ip", "netns", "exec", ns, "ip", "addr", "add", lab.address(i) + "/24", "dev", lab.nsEnd(i));
                lab.run("ip", "netns", "exec", ns, "ip", "link", "set", lab.nsEnd(i), "up");
                lab.run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            }
            return lab;
        } catch (IOException | RuntimeException | InterruptedException e) {
            lab.close();
            throw e;
        }
    }

    private String bridge() {
        return prefix + "br";
    }

    private String namespace(int i) {
        return prefix + "n" + i;
    }

    private String hostEnd(int i) {
        return prefix + "h" + i;
    }

    private String nsEnd(int i) {
        return prefix + "p" + i;
    }

    /** The address of host {@code i}. */
    public String address(int i) {
        return "10." + subnet + ".0." + (i + 1);
    }

    /** The command prefix that runs a program in host {@code i}'s network. */
    public List<String> inHost(int i) {
        return List.of("nsenter", "--net=/run/netns/" + namespace(i));
    }

    /** Cuts host {@code i} off from the others. */
    public void cut(int i) throws IOException, InterruptedException {
        run("ip", "link", "set", hostEnd(i), "down");
    }

    public void heal(int i) throws IOException, InterruptedException {
        run("ip", "link", "set", hostEnd(i), "up");
    }

    private void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    /** Removes every namespace and link, whatever is left of them. */
    @Override
    public void close() {
        List<String[]> cleanup = new ArrayList<>();
        for (int i = 0; i < hosts; i++) {
            cleanup.add(new String[] {"ip", "netns", "del", namespace(i)});
            cleanup.add(new String[] {"ip", "link", "del", hostEnd(i)});
        }
        cleanup.add(new String[] {"ip", "link", "del", bridge()});
        for (String[] c : cleanup) {
            try {
                Process p = new ProcessBuilder(c).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .start();
                p.waitFor(30, TimeUnit.SECONDS);
            } catch (IOException e) {
                // nothing to remove
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
