package org.scoutfs.node.quorum;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.datagram.DatagramSocket;

import org.scoutfs.node.bus.RecordCodec;
import org.scoutfs.node.membership.ClusterSetup.HostPort;

/**
 * Election messages as UDP datagrams, on the node's cluster address (the UDP port of the same
 * number as its cluster's TCP port). A datagram is the volume's fsid, the message's type and its
 * record encoding; datagrams of another volume or that do not decode are dropped. Where a mount
 * is comes from {@link #knownAt} (the quorum slots and the cluster membership say).
 */
public final class UdpQuorumLink implements QuorumLink {
    private static final System.Logger LOG = System.getLogger(UdpQuorumLink.class.getName());

    private final long fsid;
    private final DatagramSocket socket;
    private final List<Consumer<Object>> receivers = new CopyOnWriteArrayList<>();
    private final Map<Long, HostPort> where = new ConcurrentHashMap<>();
    private final List<RecordCodec<? extends Record>> codecs;

    private UdpQuorumLink(Vertx vertx, long fsid) {
        this.fsid = fsid;
        this.socket = vertx.createDatagramSocket();
        this.codecs = QuorumMessages.TYPES.stream().<RecordCodec<? extends Record>>map(RecordCodec::new).toList();
        socket.handler(p -> decode(p.data(), p.sender()));
    }

    /** Listens on {@code bind}'s host and port. */
    public static Future<UdpQuorumLink> start(Vertx vertx, long fsid, HostPort bind) {
        UdpQuorumLink link = new UdpQuorumLink(vertx, fsid);
        return link.socket.listen(bind.port(), bind.host()).map(s -> link);
    }

    @Override
    public void knownAt(long rid, String address) {
        if (!address.isEmpty()) {
            where.put(rid, HostPort.parse(address, org.scoutfs.node.membership.ClusterSetup.DEFAULT_PORT));
        }
    }

    @Override
    public void receive(Consumer<Object> receiver) {
        receivers.add(receiver);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public void send(long rid, Object message) {
        HostPort to = where.get(rid);
        if (to == null) {
            return;
        }
        int type = QuorumMessages.TYPES.indexOf(message.getClass());
        if (type < 0) {
            throw new IllegalArgumentException("not a quorum message: " + message);
        }
        Buffer b = Buffer.buffer(128).appendLong(fsid).appendByte((byte) type);
        ((RecordCodec) codecs.get(type)).encodeToWire(b, (Record) message);
        socket.send(b, to.port(), to.host());
    }

    private void decode(Buffer b, io.vertx.core.net.SocketAddress from) {
        try {
            if (b.length() < 9 || b.getLong(0) != fsid) {
                return;
            }
            int type = b.getByte(8);
            if (type < 0 || type >= codecs.size()) {
                return;
            }
            Object message = codecs.get(type).decodeFromWire(9, b);
            long sender = QuorumMessages.sender(message);
            if (sender != 0 && from != null) {
                // answers go back where the message came from: a node need not wait to learn of another
                where.putIfAbsent(sender, new HostPort(from.host(), from.port()));
            }
            for (Consumer<Object> r : receivers) {
                r.accept(message);
            }
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, "dropping an undecodable quorum datagram: {0}", e.toString());
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}
