package org.scoutfs.locking.transport;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.random.RandomGenerator;

import org.scoutfs.locking.LockMode;
import org.scoutfs.locking.LockRange;
import org.scoutfs.locking.client.Invalidator;
import org.scoutfs.locking.client.LockClient;
import org.scoutfs.locking.server.LockServer;

/**
 * One {@link LockServer} and any number of {@link LockClient}s in one process, joined by message
 * queues instead of a network. Each client has two links, to and from the server; a link delivers
 * in order, and nothing moves until someone asks for a delivery, so a test decides exactly when
 * and in which interleaving messages arrive:
 * <ul>
 *   <li>{@link #deliverOne(RandomGenerator)} delivers the head of a randomly chosen link — the
 *       deterministic simulation's network, which reorders across links but never within one;</li>
 *   <li>{@link #deliverAll()} delivers oldest first until nothing is in flight;</li>
 *   <li>{@link #deliverContinuously()} starts a thread that delivers as messages arrive, for
 *       tests that use the blocking API from several threads.</li>
 * </ul>
 * Deliveries never overlap, so the server is driven from one context at a time as it requires.
 *
 * <p>{@link #failover()} replaces the server as a failover does: what was in flight is lost, a new
 * server starts recovering, every client reports what it holds (a {@link Report} in flight like
 * any message) and sends its open requests again once its report is in, and the new server
 * grants once every client has reported or left.
 */
public final class InMemoryLockNetwork {
    /** A message in flight, named after what it carries. */
    public sealed interface Message {
        long client();

        LockRange range();

        /** True for messages from a client to the server. */
        boolean toServer();
    }

    public record Request(long client, LockRange range, LockMode mode) implements Message {
        @Override
        public boolean toServer() {
            return true;
        }
    }

    public record Acknowledgement(long client, LockRange range, LockMode mode) implements Message {
        @Override
        public boolean toServer() {
            return true;
        }
    }

    public record Grant(long client, LockRange range, LockMode mode, long writeSeq) implements Message {
        @Override
        public boolean toServer() {
            return false;
        }
    }

    public record Invalidation(long client, LockRange range, LockMode from, LockMode to) implements Message {
        @Override
        public boolean toServer() {
            return false;
        }
    }

    /** A client's report of what it holds, to a server that took over. */
    public record Report(long client, List<LockClient.Held> held) implements Message {
        @Override
        public LockRange range() {
            return null;
        }

        @Override
        public boolean toServer() {
            return true;
        }
    }

    private record InFlight(long arrival, Message message) {
    }

    private static final class Endpoint {
        LockClient client;
        final ArrayDeque<InFlight> toServer = new ArrayDeque<>();
        final ArrayDeque<InFlight> toClient = new ArrayDeque<>();
    }

    /** Guards the links; held only to queue and dequeue. */
    private final Object links = new Object();
    /** Held for a whole delivery, so deliveries (and departures) happen one at a time. */
    private final ReentrantLock delivery = new ReentrantLock();
    private final Map<Long, Endpoint> endpoints = new TreeMap<>();
    private final LongSupplier writeSeqs;
    private final LockServer.Outbox outbox;
    private LockServer server;
    /** Clients a recovering server still waits to hear from. */
    private final java.util.Set<Long> unreported = new java.util.TreeSet<>();
    private volatile int failovers;
    private long arrivals;
    private volatile Consumer<Message> observer = m -> { };

    public InMemoryLockNetwork(LongSupplier writeSeqs) {
        this.writeSeqs = writeSeqs;
        this.outbox = new LockServer.Outbox() {
            @Override
            public void grant(long client, LockRange range, LockMode mode, long writeSeq) {
                post(new Grant(client, range, mode, writeSeq));
            }

            @Override
            public void invalidate(long client, LockRange range, LockMode fromMode, LockMode toMode) {
                post(new Invalidation(client, range, fromMode, toMode));
            }
        };
        this.server = new LockServer(outbox, writeSeqs);
    }

    public LockServer server() {
        return server;
    }

    /**
     * The server dies and another takes over (see the class comment). Write sequences continue
     * from the same supplier, as a new server's counter continues past every sequence the
     * clients report.
     */
    public void failover() {
        delivery.lock();
        try {
            List<Long> clients;
            synchronized (links) {
                for (Endpoint e : endpoints.values()) {
                    e.toServer.clear();
                    e.toClient.clear();
                }
                clients = List.copyOf(endpoints.keySet());
                failovers++;
            }
            server = new LockServer(outbox, writeSeqs, true);
            unreported.clear();
            unreported.addAll(clients);
            for (long id : clients) {
                post(new Report(id, client(id).recoveryReport()));
            }
            if (unreported.isEmpty()) {
                server.finishRecovery();
            }
        } finally {
            delivery.unlock();
        }
    }

    /** How many times the server was replaced. */
    public int failovers() {
        return failovers;
    }

    /** True while the current server waits for {@code client}'s report. */
    public boolean awaitsReport(long client) {
        return unreported.contains(client);
    }

    /** A new client with id {@code id}, connected to the server. */
    public LockClient connect(long id, Invalidator invalidator, Executor executor, LockClient.Options options) {
        Endpoint e = new Endpoint();
        e.client = new LockClient((range, mode) -> post(new Request(id, range, mode)), invalidator, executor, options);
        synchronized (links) {
            if (endpoints.putIfAbsent(id, e) != null) {
                throw new IllegalArgumentException("client " + id + " is already connected");
            }
        }
        return e.client;
    }

    /**
     * The client leaves: what is in flight to or from it is lost, whatever it sends later goes
     * nowhere, and the server forgets it.
     */
    public void disconnect(long id) {
        delivery.lock();
        try {
            synchronized (links) {
                endpoints.remove(id);
            }
            server.clientGone(id);
            if (unreported.remove(id) && unreported.isEmpty()) {
                server.finishRecovery();
            }
        } finally {
            delivery.unlock();
        }
    }

    /** Called with every message just before it is delivered. */
    public void onDelivery(Consumer<Message> observer) {
        this.observer = observer;
    }

    public int inFlight() {
        synchronized (links) {
            int n = 0;
            for (Endpoint e : endpoints.values()) {
                n += e.toServer.size() + e.toClient.size();
            }
            return n;
        }
    }

    /** Delivers the head of a random non-empty link; false if nothing is in flight. */
    public boolean deliverOne(RandomGenerator random) {
        delivery.lock();
        try {
            Message m;
            synchronized (links) {
                List<ArrayDeque<InFlight>> busy = new ArrayList<>();
                for (Endpoint e : endpoints.values()) {
                    if (!e.toServer.isEmpty()) {
                        busy.add(e.toServer);
                    }
                    if (!e.toClient.isEmpty()) {
                        busy.add(e.toClient);
                    }
                }
                if (busy.isEmpty()) {
                    return false;
                }
                m = busy.get(random.nextInt(busy.size())).pollFirst().message();
            }
            deliver(m);
            return true;
        } finally {
            delivery.unlock();
        }
    }

    /** Delivers the oldest message in flight; false if there is none. */
    public boolean deliverOldest() {
        delivery.lock();
        try {
            Message m;
            synchronized (links) {
                ArrayDeque<InFlight> oldest = null;
                for (Endpoint e : endpoints.values()) {
                    for (ArrayDeque<InFlight> link : List.of(e.toServer, e.toClient)) {
                        if (!link.isEmpty() && (oldest == null || link.peekFirst().arrival() < oldest.peekFirst().arrival())) {
                            oldest = link;
                        }
                    }
                }
                if (oldest == null) {
                    return false;
                }
                m = oldest.pollFirst().message();
            }
            deliver(m);
            return true;
        } finally {
            delivery.unlock();
        }
    }

    /**
     * Delivers oldest first until nothing is in flight, including messages sent in answer. With
     * clients whose executor runs tasks at once this leaves the whole system quiet.
     *
     * @return how many messages were delivered
     */
    public int deliverAll() {
        int n = 0;
        while (deliverOldest()) {
            n++;
        }
        return n;
    }

    /** Starts a thread that delivers messages oldest first as they arrive; close it to stop. */
    public AutoCloseable deliverContinuously() {
        Thread t = Thread.ofPlatform().daemon().name("lock-network").start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                if (!deliverOldest()) {
                    synchronized (links) {
                        if (inFlight() == 0) {
                            try {
                                links.wait();
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    }
                }
            }
        });
        return () -> {
            t.interrupt();
            t.join();
        };
    }

    private void post(Message m) {
        post(m, -1);
    }

    /** Posts {@code m} unless it answers the server of failover count {@code askedBy}, since replaced. */
    private void post(Message m, int askedBy) {
        synchronized (links) {
            if (askedBy >= 0 && askedBy != failovers) {
                return;
            }
            Endpoint e = endpoints.get(m.client());
            if (e == null) {
                return; // the client has left; so has whatever it or the server still said
            }
            (m.toServer() ? e.toServer : e.toClient).addLast(new InFlight(arrivals++, m));
            links.notifyAll();
        }
    }

    private void deliver(Message m) {
        observer.accept(m);
        switch (m) {
            case Request r -> server.request(r.client(), r.range(), r.mode());
            case Acknowledgement a -> server.acknowledge(a.client(), a.range(), a.mode());
            case Grant g -> client(g.client()).granted(g.range(), g.mode(), g.writeSeq(), 0);
            case Invalidation i -> {
                // An acknowledgement is the reply to the server that asked; one that was replaced
                // meanwhile never hears it, and its successor asks again for itself.
                int askedBy = failovers;
                client(i.client()).invalidate(i.range(), i.from(), i.to())
                        .thenAccept(now -> post(new Acknowledgement(i.client(), i.range(), now), askedBy));
            }
            case Report r -> {
                for (LockClient.Held h : r.held()) {
                    server.recover(r.client(), h.range(), h.mode());
                }
                unreported.remove(r.client());
                // once its report is in, the client sends again what it had asked for
                client(r.client()).resendRequests();
                if (unreported.isEmpty()) {
                    server.finishRecovery();
                }
            }
        }
    }

    private LockClient client(long id) {
        synchronized (links) {
            Endpoint e = endpoints.get(id);
            if (e == null) {
                throw new IllegalStateException("client " + id + " is not connected");
            }
            return e.client;
        }
    }
}
