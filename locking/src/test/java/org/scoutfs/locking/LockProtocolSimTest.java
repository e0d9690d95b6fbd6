package org.scoutfs.locking;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;
import org.scoutfs.locking.client.HeldLocks;
import org.scoutfs.locking.client.LockClient;
import org.scoutfs.locking.client.LockHandle;
import org.scoutfs.locking.transport.InMemoryLockNetwork;

import static org.scoutfs.locking.LockMode.NULL;
import static org.scoutfs.locking.LockMode.READ;
import static org.scoutfs.locking.LockMode.WRITE;
import static org.scoutfs.locking.LockMode.WRITE_ONLY;

/**
 * Deterministic simulation of the lock protocol: one server, a few clients, each with a few actors
 * running random scripts of multi-lock operations, all on one thread. Every step the seeded
 * scheduler picks one thing to happen: a message delivered on a random link (links stay FIFO), a
 * client's pending invalidator run, an actor moving on, or — once per some runs — a client leaving
 * or the server failing over to a new one that recovers the clients' locks from their reports.
 *
 * <p>The actors do more than lock: they read, overwrite and add to one value per lock range,
 * caching what they read and writing back only when their node is invalidated, the way the
 * filesystem uses its item cache. So besides the lock rules themselves the checks after every step
 * catch any interleaving in which a node could see a stale value or lose a write.
 *
 * <p>A failure names its seed; {@code -Dscoutfs.seed=N} replays exactly that run and
 * {@code -Dscoutfs.sim.runs=N} changes how many random seeds a run tries.
 */
class LockProtocolSimTest {
    private static final int MAX_STEPS = 400_000;
    private static final boolean TRACE = Boolean.getBoolean("scoutfs.trace");

    @Test
    void randomSchedulesKeepLocksCoherentAndLive() {
        String fixed = System.getProperty("scoutfs.seed");
        if (fixed != null) {
            runSeed(Long.parseLong(fixed));
            return;
        }
        int runs = Integer.getInteger("scoutfs.sim.runs", 300);
        long base = new Random().nextLong();
        for (int i = 0; i < runs; i++) {
            runSeed(base + i);
        }
    }

    private static void runSeed(long seed) {
        Sim sim = new Sim(seed);
        try {
            sim.run();
        } catch (AssertionError | RuntimeException e) {
            throw new AssertionError("lock simulation failed with seed " + seed + " at step " + sim.step
                    + " (replay with -Dscoutfs.seed=" + seed + "): " + e.getMessage(), e);
        }
    }

    /** One dirty change a node made under a lock, not yet committed to the device. */
    private record Change(boolean overwrite, long value) {
        long applyTo(long v) {
            return overwrite ? value : v + value;
        }
    }

    /** What a node caches and has changed of one range: the item cache and its open transaction. */
    private static final class Cached {
        Long value;
        final List<Change> dirty = new ArrayList<>();
    }

    private static final class Node {
        final long id;
        LockClient client;
        boolean gone;
        final Map<LockRange, Cached> cache = new HashMap<>();
        final List<Actor> actors = new ArrayList<>();

        Node(long id) {
            this.id = id;
        }

        Cached cached(LockRange r) {
            return cache.computeIfAbsent(r, k -> new Cached());
        }
    }

    private static final class Actor {
        final Node node;
        int operationsLeft;
        int idleSteps;
        CompletableFuture<HeldLocks> acquiring;
        HeldLocks held;
        int holdSteps;

        Actor(Node node, int operations) {
            this.node = node;
            this.operationsLeft = operations;
        }

        boolean finished() {
            return operationsLeft == 0 && acquiring == null && held == null;
        }

        boolean canStep() {
            return !finished() && (acquiring == null || acquiring.isDone());
        }
    }

    private record Task(Node node, Runnable work) {
    }

    private static final class Sim {
        final Random rnd;
        final List<LockRange> ranges = new ArrayList<>();
        final List<Node> nodes = new ArrayList<>();
        final List<Task> tasks = new ArrayList<>();
        final Map<LockRange, Long> device = new TreeMap<>();
        final Map<LockRange, Long> lastWriteSeq = new TreeMap<>();
        final Map<LockRange, Long> lastWritableSeq = new TreeMap<>();
        long nextValue = 1;
        long writeSeqs;
        int step;
        final InMemoryLockNetwork net = new InMemoryLockNetwork(() -> ++writeSeqs);
        final int departureStep;
        final List<Integer> failoverSteps = new ArrayList<>();

        Sim(long seed) {
            rnd = new Random(seed);
            List<LockRange> all = List.of(LockRanges.inodeGroup(0), LockRanges.inodeGroup(1024),
                    LockRanges.inodeGroup(4096), LockRanges.indexGroup(1, 0), LockRanges.orphans());
            ranges.addAll(all.subList(0, 2 + rnd.nextInt(all.size() - 1)));
            int nodeCount = 2 + rnd.nextInt(3);
            int maxIdle = rnd.nextInt(4);
            for (int i = 0; i < nodeCount; i++) {
                Node n = new Node(100 + i);
                n.client = net.connect(n.id, (range, from, to) -> invalidated(n, range, from, to),
                        work -> tasks.add(new Task(n, work)), new LockClient.Options(maxIdle));
                for (int a = 1 + rnd.nextInt(2); a > 0; a--) {
                    n.actors.add(new Actor(n, 4 + rnd.nextInt(8)));
                }
                nodes.add(n);
            }
            net.onDelivery(this::observe);
            departureStep = rnd.nextInt(4) == 0 ? rnd.nextInt(2_000) : -1;
            for (int f = rnd.nextInt(3); f > 0; f--) {
                failoverSteps.add(rnd.nextInt(3_000));
            }
        }

        void run() {
            while (!allFinished()) {
                if (++step > MAX_STEPS) {
                    throw new AssertionError("no progress after " + MAX_STEPS + " steps: " + describe());
                }
                if (step == departureStep) {
                    depart(nodes.get(rnd.nextInt(nodes.size())));
                } else if (failoverSteps.contains(step)) {
                    net.failover();
                    trace("failover");
                } else if (!stepOnce()) {
                    throw new AssertionError("deadlock: nothing can happen but actors wait: " + describe());
                }
                checkInvariants();
            }
            while (net.inFlight() > 0 || !tasks.isEmpty()) {
                step++;
                stepOnce();
                checkInvariants();
            }
            checkQuiet();
        }

        /** Does one random enabled thing; false if nothing is enabled. */
        boolean stepOnce() {
            List<Actor> ready = new ArrayList<>();
            for (Node n : nodes) {
                if (!n.gone) {
                    for (Actor a : n.actors) {
                        if (a.canStep()) {
                            ready.add(a);
                        }
                    }
                }
            }
            int messages = net.inFlight();
            int choices = (messages > 0 ? 1 : 0) + (tasks.isEmpty() ? 0 : 1) + (ready.isEmpty() ? 0 : 1);
            if (choices == 0) {
                return false;
            }
            int pick = rnd.nextInt(choices);
            if (messages > 0 && pick-- == 0) {
                net.deliverOne(rnd);
            } else if (!tasks.isEmpty() && pick-- == 0) {
                tasks.remove(rnd.nextInt(tasks.size())).work().run();
            } else {
                act(ready.get(rnd.nextInt(ready.size())));
            }
            return true;
        }

        void act(Actor a) {
            if (a.acquiring != null) {
                a.held = a.acquiring.join();
                a.acquiring = null;
                a.holdSteps = rnd.nextInt(4);
                useAll(a);
            } else if (a.held != null) {
                if (a.holdSteps-- > 0) {
                    useAll(a);
                } else {
                    a.held.close();
                    a.held = null;
                    a.operationsLeft--;
                }
            } else if (a.idleSteps-- <= 0) {
                a.idleSteps = rnd.nextInt(3);
                Map<LockRange, LockMode> wants = new TreeMap<>();
                for (int i = 1 + rnd.nextInt(Math.min(3, ranges.size())); i > 0; i--) {
                    LockMode[] modes = {READ, WRITE, WRITE_ONLY};
                    wants.put(ranges.get(rnd.nextInt(ranges.size())), modes[rnd.nextInt(modes.length)]);
                }
                a.acquiring = a.node.client.lockAllAsync(wants);
            }
        }

        /** The actor works under each of its handles as the handle's mode allows. */
        void useAll(Actor a) {
            for (LockHandle h : a.held.handles()) {
                LockMode held = a.node.client.grantedMode(h.range());
                check(held.satisfies(h.mode()), "node %d uses %s as %s but holds %s", a.node.id, h.range(), h.mode(), held);
                Cached c = a.node.cached(h.range());
                switch (h.mode()) {
                    case READ -> read(a.node, h.range());
                    case WRITE -> {
                        if (rnd.nextBoolean()) {
                            read(a.node, h.range());
                        } else {
                            Change ch = new Change(true, nextValue++);
                            c.dirty.add(ch);
                            c.value = ch.value();
                        }
                    }
                    case WRITE_ONLY -> {
                        Change ch = new Change(false, 1 + rnd.nextInt(9));
                        c.dirty.add(ch);
                        if (c.value != null) {
                            c.value = ch.applyTo(c.value);
                        }
                    }
                    case NULL -> throw new AssertionError("a NULL handle");
                }
            }
        }

        void read(Node n, LockRange r) {
            Cached c = n.cached(r);
            if (c.value == null) {
                long v = device.getOrDefault(r, 0L);
                for (Change ch : c.dirty) {
                    v = ch.applyTo(v);
                }
                c.value = v;
            }
            long latest = latest(r);
            check(c.value == latest, "node %d read %d from %s but the latest value is %d", n.id, c.value, r, latest);
        }

        /** The filesystem's invalidation: commit what was written, drop what can no longer be read. */
        void invalidated(Node n, LockRange r, LockMode from, LockMode to) {
            check(!n.gone, "invalidator of departed node %d ran", n.id);
            for (Actor a : n.actors) {
                if (a.held != null) {
                    for (LockHandle h : a.held.handles()) {
                        check(!h.range().equals(r) || to.satisfies(h.mode()),
                                "node %d invalidates %s to %s under an open %s handle", n.id, r, to, h.mode());
                    }
                }
            }
            Cached c = n.cached(r);
            if (!c.dirty.isEmpty()) {
                check(from == WRITE || from == WRITE_ONLY, "node %d has changes to %s under %s", n.id, r, from);
                long v = device.getOrDefault(r, 0L);
                for (Change ch : c.dirty) {
                    v = ch.applyTo(v);
                }
                device.put(r, v);
                c.dirty.clear();
            }
            if (!to.canRead()) {
                c.value = null;
            }
        }

        /** The value a reader must see: the device plus every live node's uncommitted changes. */
        long latest(LockRange r) {
            long v = device.getOrDefault(r, 0L);
            for (Node n : nodes) {
                if (!n.gone) {
                    for (Change ch : n.cached(r).dirty) {
                        v = ch.applyTo(v);
                    }
                }
            }
            return v;
        }

        /**
         * Grants reach clients in an order the server does not control, but a WRITE grant is only
         * issued once every earlier holder gave the lock up, so it must arrive with a sequence above
         * every writable grant delivered before it; WRITE_ONLY grants are shared, so they need only
         * outrank the WRITE grants before them.
         */
        /** With {@code -Dscoutfs.trace=true}, prints every delivery and failover, to follow a replayed seed. */
        void trace(Object what) {
            if (TRACE) {
                System.err.println("step " + step + ": " + what);
            }
        }

        void observe(InMemoryLockNetwork.Message m) {
            trace(m);
            if (m instanceof InMemoryLockNetwork.Grant g) {
                check(!net.server().recovering(), "%s granted on %s while the server was recovering", g.mode(), g.range());
            }
            if (m instanceof InMemoryLockNetwork.Grant g && (g.mode() == WRITE || g.mode() == WRITE_ONLY)) {
                long bound = (g.mode() == WRITE ? lastWritableSeq : lastWriteSeq).getOrDefault(g.range(), 0L);
                check(g.writeSeq() > bound, "%s granted on %s with seq %d after %d", g.mode(), g.range(),
                        g.writeSeq(), bound);
                lastWritableSeq.merge(g.range(), g.writeSeq(), Math::max);
                if (g.mode() == WRITE) {
                    lastWriteSeq.put(g.range(), g.writeSeq());
                }
            }
        }

        void depart(Node n) {
            if (n.gone) {
                return;
            }
            n.gone = true;
            tasks.removeIf(t -> t.node() == n);
            net.disconnect(n.id);
        }

        void checkInvariants() {
            for (LockRange r : ranges) {
                Map<Long, LockMode> onServer = net.server().holders(r);
                List<Node> writers = new ArrayList<>();
                for (int i = 0; i < nodes.size(); i++) {
                    Node a = nodes.get(i);
                    if (a.gone) {
                        continue;
                    }
                    LockMode ma = a.client.grantedMode(r);
                    LockMode serverView = onServer.getOrDefault(a.id, NULL);
                    check(net.awaitsReport(a.id) || serverView.satisfies(ma),
                            "node %d holds %s in %s but the server thinks %s", a.id, r, ma, serverView);
                    for (int j = i + 1; j < nodes.size(); j++) {
                        Node b = nodes.get(j);
                        LockMode mb = b.gone ? NULL : b.client.grantedMode(r);
                        check(ma.compatibleWith(mb), "nodes %d and %d hold %s in %s and %s", a.id, b.id, r, ma, mb);
                    }
                    Cached c = a.cache.get(r);
                    if (c != null && !c.dirty.isEmpty()) {
                        check(ma == WRITE || ma == WRITE_ONLY, "node %d has changes to %s but holds %s", a.id, r, ma);
                        if (c.dirty.stream().anyMatch(Change::overwrite)) {
                            writers.add(a);
                        }
                    }
                    for (Actor act : a.actors) {
                        if (act.held != null) {
                            for (LockHandle h : act.held.handles()) {
                                if (h.range().equals(r)) {
                                    check(ma.satisfies(h.mode()), "node %d has an open %s handle on %s but holds %s",
                                            a.id, h.mode(), r, ma);
                                }
                            }
                        }
                    }
                }
                check(writers.size() <= 1, "several nodes overwrote %s without committing", r);
                for (Map.Entry<Long, LockMode> x : onServer.entrySet()) {
                    for (Map.Entry<Long, LockMode> y : onServer.entrySet()) {
                        check(x.getKey().equals(y.getKey()) || x.getValue().compatibleWith(y.getValue()),
                                "the server granted %s to %s and %s", r, x, y);
                    }
                }
            }
        }

        void checkQuiet() {
            for (LockRange r : ranges) {
                check(net.server().waiting(r).isEmpty(), "requests for %s still wait", r);
                check(net.server().invalidating(r).isEmpty(), "invalidations of %s still wait", r);
            }
        }

        boolean allFinished() {
            for (Node n : nodes) {
                if (!n.gone) {
                    for (Actor a : n.actors) {
                        if (!a.finished()) {
                            return false;
                        }
                    }
                }
            }
            return true;
        }

        String describe() {
            StringBuilder b = new StringBuilder();
            for (LockRange r : ranges) {
                b.append("\n  ").append(r).append(" server holders=").append(net.server().holders(r))
                        .append(" waiting=").append(net.server().waiting(r))
                        .append(" invalidating=").append(net.server().invalidating(r));
                for (Node n : nodes) {
                    b.append("\n    node ").append(n.id).append(n.gone ? " (gone) " : " ").append(n.client.describe(r));
                }
            }
            b.append("\n  in flight=").append(net.inFlight()).append(" tasks=").append(tasks.size());
            return b.toString();
        }

        static void check(boolean ok, String format, Object... args) {
            if (!ok) {
                throw new AssertionError(String.format(format, args));
            }
        }
    }
}
