package org.scoutfs.node.recovery;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import java.util.function.Supplier;

import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

import org.scoutfs.locking.client.LockClient;
import org.scoutfs.lsm.FencedException;
import org.scoutfs.lsm.NotServingException;
import org.scoutfs.lsm.format.MountedClientRecord;
import org.scoutfs.lsm.server.ServerApi;
import org.scoutfs.lsm.txn.NodeStore;
import org.scoutfs.node.bus.Addresses;
import org.scoutfs.node.bus.EventBusLockTransport;
import org.scoutfs.node.bus.FarewellHeldException;
import org.scoutfs.node.bus.ServerLocator;
import org.scoutfs.node.bus.ServerUnreachableException;
import org.scoutfs.node.quorum.LeaderWatch;
import org.scoutfs.node.quorum.QuorumMessages;

/**
 * A node's connection to whichever server currently serves the volume, kept across failovers.
 *
 * <p><b>Finding the server.</b> The {@link LeaderWatch} hears the leader's heartbeats; once one
 * says its server is up, the session greets that server. A new mount greets as new; a mount
 * that lost its server (a call that got no answer, a keepalive that failed, or a heartbeat of a
 * newer leader) reconnects: it waits for a live server of at least the lost term, stops any merge
 * it was running (a merge writes into space the new server may give back), greets as returning
 * with its open transactions and its highest sequence, takes the welcome's roots, reports every
 * lock it holds to the new lock server and sends its open lock requests again.
 *
 * <p><b>Asking again.</b> {@link #api()} is the server API the node uses. A call that finds no
 * server, or a server that no longer serves, waits for the reconnection and is sent again to the
 * new server; every server request is safe to repeat (see {@link ServerApi}). A server that is
 * recovering is asked again after a pause. Only after {@code giveUp} without any server does a
 * call fail, with {@link ServerUnreachableException}: a node cut off from the quorum stops
 * changing the volume with a clear error instead of diverging. A mount the server declared gone is
 * told so ({@link FencedException}) and can only be given up.
 *
 * <p>Thread-safe. Reconnection runs on a thread of its own, one at a time.
 */
public final class ServerSession implements ServerLocator, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(ServerSession.class.getName());
    private static final Duration KEEPALIVE = Duration.ofSeconds(1);
    /**
     * Calls of a commit in progress, which wait for a server however long it takes: a commit
     * given up half-way would leave the node's transaction neither committed nor retried, and the
     * mount would have to be given up with it. Operations that need a server otherwise (lock
     * requests, inode numbers) fail with EIO after the wait, so a mount cut off from a quorum
     * stops changing anything, and picks up where it was once a server is back.
     */
    private static final Set<String> PATIENT = Set.of("commitLogTree", "closeTransaction", "grant");

    private final Vertx vertx;
    private final long fsid;
    private final MountedClientRecord me;
    private final LeaderWatch watch;
    private final Duration callTimeout;
    private final Duration giveUp;
    private final Consumer<String> progress;
    private final Supplier<String> election;
    /** When to log again that this node's farewell is held (nanoTime). */
    private volatile long nextHeldReport = Long.MIN_VALUE;
    private final ExecutorService reconnector = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("scoutfs-reconnect").factory());
    private final ReentrantReadWriteLock mergeGate = new ReentrantReadWriteLock();
    private final ServerApi retrying;
    private final Object state = new Object();
    private volatile long term;
    private volatile long leader;
    private ServerApi current;
    private volatile boolean connected;
    /** When the server was lost (nanoTime), or 0 while connected. */
    private volatile long lostAtNanos;
    private boolean reconnecting;
    private volatile RuntimeException fatal;
    private volatile boolean closed;
    private NodeStore store;
    private LockClient locks;
    private EventBusLockTransport transport;
    private long keepaliveTimer = -1;
    private volatile Runnable onFenced = () -> { };

    /**
     * @param me          this mount, as it introduces itself
     * @param callTimeout how long one request may go unanswered before the server counts as lost
     * @param giveUp      how long calls wait for a server before they fail
     * @param progress    told, while waiting for a server, what the node waits for
     * @param election    describes this node's view of the election, for those messages
     */
    public ServerSession(Vertx vertx, long fsid, MountedClientRecord me, LeaderWatch watch, Duration callTimeout,
                         Duration giveUp, Consumer<String> progress, Supplier<String> election) {
        this.vertx = vertx;
        this.fsid = fsid;
        this.me = me;
        this.watch = watch;
        this.callTimeout = callTimeout;
        this.giveUp = giveUp;
        this.progress = progress;
        this.election = election;
        this.retrying = (ServerApi) Proxy.newProxyInstance(ServerApi.class.getClassLoader(),
                new Class<?>[] {ServerApi.class}, (proxy, method, args) -> invoke(method, args));
        RecoveryMessages.registerCodecs(vertx.eventBus());
        watch.onServerUp(t -> {
            if (Long.compareUnsigned(t, term) > 0 && connectedOnce()) {
                lost(term, new ServerUnreachableException("the leader of term " + t + " took over"));
            }
        });
    }

    private boolean connectedOnce() {
        synchronized (state) {
            return current != null;
        }
    }

    /** What waits for a server, for messages: the term lost, and what the node was waiting for. */
    private String waiting() {
        LeaderWatch.Seen s = watch.last();
        if (s == null) {
            return "no leader has been heard from: waiting for a quorum of the volume's quorum members to elect one ("
                    + election.get() + ")";
        }
        var hb = s.heartbeat();
        long ago = (System.nanoTime() - s.atNanos()) / 1_000_000;
        return "the last leader heard from led term " + hb.term() + " (quorum slot " + hb.slot()
                + (hb.address().isEmpty() ? "" : ", " + hb.address()) + ") " + ago + " ms ago"
                + (hb.serverUp() ? "" : " and its server was not up yet");
    }

    // ---------------------------------------------------------------- the first greeting

    /** Greets the server as a new mount, waiting up to {@code timeout} for one; returns its welcome. */
    public ServerApi.Welcome connect(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new ServerUnreachableException("no server answered within " + timeout.toSeconds() + " s: "
                        + waiting());
            }
            QuorumMessages.Heartbeat hb;
            try {
                hb = watch.awaitServer(0, Duration.ofNanos(Math.min(left, TimeUnit.SECONDS.toNanos(2))), this::waiting);
            } catch (ServerUnreachableException e) {
                if (System.nanoTime() > nextProgress) {
                    progress.accept("waiting for a server: " + waiting());
                    nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                }
                continue;
            }
            long t = hb.term();
            ServerApi api = serverOf(hb);
            try {
                ServerApi.Welcome w = api.greet(new ServerApi.Greeting(me, false, List.of(), 0));
                synchronized (state) {
                    current = api;
                    leader = hb.leader();
                    term = w.term();
                    connected = true;
                    state.notifyAll();
                }
                LOG.log(System.Logger.Level.INFO, "mount {0} greeted by the server of term {1}", Long.toHexString(me.rid()),
                        w.term());
                return w;
            } catch (NotServingException | ServerUnreachableException e) {
                if (System.nanoTime() > nextProgress) {
                    progress.accept("waiting for the server of term " + t + ": " + e.getMessage());
                    nextProgress = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
                }
                Thread.sleep(100);
            }
        }
    }

    private ServerApi serverOf(QuorumMessages.Heartbeat hb) {
        return new org.scoutfs.node.bus.EventBusServerApi(vertx, fsid, hb.leader(), hb.term(), callTimeout);
    }

    /**
     * Joins the node's store and lock client to the session, so that a reconnection can report
     * their state to a new server, and starts the keepalives.
     */
    public void attach(NodeStore s, LockClient l, EventBusLockTransport t) {
        synchronized (state) {
            store = s;
            locks = l;
            transport = t;
        }
        keepaliveTimer = vertx.setPeriodic(KEEPALIVE.toMillis(), id -> keepalive());
    }

    /** Called when the server declared this mount gone: the node must give the mount up. */
    public void onFenced(Runnable r) {
        onFenced = r;
    }

    private void keepalive() {
        long t = term;
        if (t == 0 || closed) {
            return;
        }
        vertx.eventBus().request(Addresses.server(fsid, leader), new RecoveryMessages.KeepAlive(me.rid()),
                        new DeliveryOptions().setSendTimeout(Math.min(callTimeout.toMillis(), 3000))
                                .addHeader(Addresses.OP, RecoveryMessages.KEEPALIVE)
                                .addHeader(Addresses.TERM, Long.toString(t)))
                .onFailure(e -> lost(t, new ServerUnreachableException("keepalive to the server of term " + t
                        + " failed: " + e.getMessage())));
    }

    // ---------------------------------------------------------------- what the node calls

    /** The server API that survives failovers (see the class comment). */
    public ServerApi api() {
        return retrying;
    }

    /**
     * The server of the current term as it is, for work that must stop rather than continue on
     * another server (a merge); holders of {@link #mergeGate()}'s read lock use it.
     */
    public ServerApi direct() {
        ServerApi api;
        long t;
        synchronized (state) {
            if (!connected) {
                throw new ServerUnreachableException("not connected to a server");
            }
            api = current;
            t = term;
        }
        return (ServerApi) Proxy.newProxyInstance(ServerApi.class.getClassLoader(), new Class<?>[] {ServerApi.class},
                (proxy, method, args) -> {
                    if (method.getDeclaringClass() == Object.class) {
                        return method.invoke(api, args);
                    }
                    try {
                        return callUntil(method, api, args, () -> term != t, "the connection to the server of term "
                                + t + " was lost");
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /** Merges run holding its read lock; a reconnection waits for them to end before it greets. */
    public ReentrantReadWriteLock mergeGate() {
        return mergeGate;
    }

    @Override
    public long term() {
        return term;
    }

    @Override
    public long leader() {
        return leader;
    }

    /** True while connected to a server. */
    public boolean connected() {
        synchronized (state) {
            return connected;
        }
    }

    /** Why the session can no longer reach any server, or null. */
    public RuntimeException failure() {
        return fatal;
    }

    private Object invoke(Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return method.invoke(this, args);
        }
        boolean patient = PATIENT.contains(method.getName());
        long deadline = System.nanoTime() + giveUp.toNanos();
        while (true) {
            ServerApi api;
            long t;
            synchronized (state) {
                while (!connected && fatal == null && !closed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0 && patient) {
                        deadline = System.nanoTime() + giveUp.toNanos();
                        continue;
                    }
                    if (left <= 0) {
                        throw new ServerUnreachableException("server " + method.getName() + ": no server for "
                                + giveUp.toSeconds() + " s: " + waiting());
                    }
                    state.wait(Math.max(1, left / 1_000_000));
                }
                if (fatal != null) {
                    throw fatal;
                }
                if (closed) {
                    throw new ServerUnreachableException("the node is stopping");
                }
                api = current;
                t = term;
            }
            try {
                return callUntilTermChanges(method, api, args, t);
            } catch (InvocationTargetException e) {
                Throwable cause = e.getCause();
                if (cause instanceof NotServingException ns && ns.recovering()) {
                    Thread.sleep(50); // the same server serves once the last server's mounts are back
                } else if (cause instanceof FarewellHeldException held) {
                    // this node's vote is still needed: keep voting, ask again, never give up
                    if (System.nanoTime() >= nextHeldReport) {
                        LOG.log(System.Logger.Level.INFO, "unmounted; the node stays until it may leave: {0}",
                                held.getMessage());
                        nextHeldReport = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                    }
                    Thread.sleep(250);
                    deadline = System.nanoTime() + giveUp.toNanos();
                    continue;
                } else if (cause instanceof NotServingException || cause instanceof ServerUnreachableException) {
                    lost(t, (RuntimeException) cause);
                } else if (cause instanceof FencedException f) {
                    fenced(f);
                    throw f;
                } else {
                    throw cause;
                }
            }
            if (!patient && System.nanoTime() > deadline) {
                throw new ServerUnreachableException("server " + method.getName() + ": no server answered for "
                        + giveUp.toSeconds() + " s: " + waiting());
            }
        }
    }

    /**
     * Calls the server of term {@code t}, but gives the call up as soon as the session has moved on
     * to a newer server: a request sent to a server that died gets no answer until it times out,
     * and the new server, which has this node's state by now, answers at once.
     */
    private Object callUntilTermChanges(Method method, ServerApi api, Object[] args, long t) throws Exception {
        return callUntil(method, api, args, () -> {
            synchronized (state) {
                return connected && term != t;
            }
        }, "the server of term " + t + " was replaced");
    }

    /** Calls {@code api}, giving the call up (as unreachable) once {@code giveUp} says so. */
    private static Object callUntil(Method method, ServerApi api, Object[] args,
                                    java.util.function.BooleanSupplier giveUp, String why) throws Exception {
        java.util.concurrent.CompletableFuture<Object> call = new java.util.concurrent.CompletableFuture<>();
        Thread.ofVirtual().name("scoutfs-server-call").start(() -> {
            try {
                call.complete(method.invoke(api, args));
            } catch (Throwable e) {
                call.completeExceptionally(e);
            }
        });
        while (true) {
            try {
                return call.get(50, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (giveUp.getAsBoolean()) {
                    throw new InvocationTargetException(new ServerUnreachableException(
                            "server " + method.getName() + ": " + why));
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof Exception ex) {
                    throw ex;
                }
                throw (Error) cause;
            }
        }
    }

    // ---------------------------------------------------------------- reconnecting

    @Override
    public RuntimeException outage() {
        long since = lostAtNanos;
        if (since == 0 || connected || System.nanoTime() - since < giveUp.toNanos()) {
            return null;
        }
        return new ServerUnreachableException("no server for " + (System.nanoTime() - since) / 1_000_000_000
                + " s (server_wait_s is " + giveUp.toSeconds() + "): " + waiting());
    }

    @Override
    public void lost(long lostTerm, RuntimeException cause) {
        synchronized (state) {
            if (closed || fatal != null || reconnecting || lostTerm != term || current == null) {
                return;
            }
            reconnecting = true;
            connected = false;
            term = 0; // lock requests wait now, and are sent again after the report
            lostAtNanos = System.nanoTime();
        }
        LOG.log(System.Logger.Level.WARNING, "mount {0} lost the server of term {1}: {2}; reconnecting",
                Long.toHexString(me.rid()), lostTerm, cause.getMessage());
        reconnector.execute(() -> reconnect(lostTerm));
    }

    private void reconnect(long lostTerm) {
        long started = System.nanoTime();
        while (!closed) {
            QuorumMessages.Heartbeat hb;
            try {
                hb = watch.awaitServer(lostTerm, Duration.ofSeconds(5), this::waiting);
            } catch (ServerUnreachableException e) {
                LOG.log(System.Logger.Level.WARNING, "mount {0} still has no server after {1} s: {2}",
                        Long.toHexString(me.rid()), (System.nanoTime() - started) / 1_000_000_000, e.getMessage());
                RuntimeException outage = outage();
                LockClient l = locks;
                if (outage != null && l != null) {
                    l.failRequests(outage);
                }
                continue;
            } catch (InterruptedException e) {
                return;
            }
            long t = hb.term();
            try {
                rejoin(hb);
                LOG.log(System.Logger.Level.INFO, "mount {0} recovered with the server of term {1} in {2} ms",
                        Long.toHexString(me.rid()), t, (System.nanoTime() - started) / 1_000_000);
                return;
            } catch (FencedException e) {
                fenced(e);
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "mount {0}: greeting the server of term {1} failed: {2}; trying again",
                        Long.toHexString(me.rid()), t, e.getMessage());
                try {
                    Thread.sleep(100);
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** Greets the server that {@code hb} announced as a returning mount and hands it this node's state. */
    private void rejoin(QuorumMessages.Heartbeat hb) {
        ServerApi api = serverOf(hb);
        NodeStore s;
        LockClient l;
        EventBusLockTransport tr;
        synchronized (state) {
            s = store;
            l = locks;
            tr = transport;
        }
        mergeGate.writeLock().lock();
        try {
            NodeStore.RecoveryState rs = s == null ? new NodeStore.RecoveryState(List.of(), 0) : s.recoveryState();
            long highest = Math.max(rs.highestSeq(), l == null ? 0 : l.highestWriteSeq());
            ServerApi.Welcome w = api.greet(new ServerApi.Greeting(me, true, rs.openSeqs(), highest));
            if (s != null) {
                s.welcomed(w);
            }
            synchronized (state) {
                current = api;
                leader = hb.leader();
                term = w.term();
            }
            if (l != null && tr != null) {
                await(tr.report(hb.leader(), w.term(), l.recoveryReport()));
                l.resendRequests();
            }
            synchronized (state) {
                connected = true;
                reconnecting = false;
                lostAtNanos = 0;
                state.notifyAll();
            }
        } catch (RuntimeException e) {
            synchronized (state) {
                term = 0;
            }
            throw e;
        } finally {
            mergeGate.writeLock().unlock();
        }
    }

    private void fenced(FencedException e) {
        synchronized (state) {
            if (fatal != null) {
                return;
            }
            fatal = e;
            connected = false;
            reconnecting = false;
            state.notifyAll();
        }
        LOG.log(System.Logger.Level.ERROR, "mount " + Long.toHexString(me.rid()) + " was declared gone by the server: "
                + e.getMessage() + "; giving the mount up");
        Thread.ofVirtual().start(onFenced);
    }

    private void await(io.vertx.core.Future<?> f) {
        try {
            f.toCompletionStage().toCompletableFuture().get(callTimeout.toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new ServerUnreachableException("the lock server did not take the lock report in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    @Override
    public void close() {
        synchronized (state) {
            closed = true;
            state.notifyAll();
        }
        if (keepaliveTimer >= 0) {
            vertx.cancelTimer(keepaliveTimer);
        }
        reconnector.shutdownNow();
    }
}
