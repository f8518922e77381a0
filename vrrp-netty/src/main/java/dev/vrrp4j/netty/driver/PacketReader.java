package dev.vrrp4j.netty.driver;

import dev.vrrp4j.core.node.Node;
import dev.vrrp4j.netty.transport.ArpPacket;
import dev.vrrp4j.netty.transport.ArpWatchSocket;
import dev.vrrp4j.netty.transport.NativeException;
import dev.vrrp4j.netty.transport.ReceivedPacketInfo;
import dev.vrrp4j.netty.transport.VrrpReceiveSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.ByteBuffer;
import java.util.Collection;

/**
 * Reads the receive and ARP sockets on the event loop and hands every packet to the {@link Node},
 * which decodes, demultiplexes, filters and counts it; the effects are performed at once. Nothing a
 * packet holds can stop the loop: an exception while handling one is caught and logged. Allocates
 * nothing per packet.
 */
final class PacketReader {
    private static final Logger LOG = LoggerFactory.getLogger(PacketReader.class);
    static final int RECEIVE_BATCH = 64;
    /** Upper bound on packets read before a timeout runs: a busy LAN must not starve the timer forever. */
    private static final int DRAIN_LIMIT = 64 * RECEIVE_BATCH;

    private final Node node;
    private final Collection<InterfacePort> ports;
    private final EffectRunner effects;
    private final ByteBuffer receiveBuffer = ByteBuffer.allocateDirect(65_536);
    private final ReceivedPacketInfo info = new ReceivedPacketInfo();
    private final ArpPacket arpPacket = new ArpPacket();
    /** A read stopped at a full batch, so packets may still be queued. */
    private boolean backlog;

    PacketReader(NodeSockets sockets, EffectRunner effects) {
        this.node = sockets.node;
        this.ports = sockets.ports.values();
        this.effects = effects;
    }

    /** Whether the last read stopped at a full batch: packets may still be queued. */
    boolean backlog() {
        return backlog;
    }

    /** Reads up to one batch; returns how many packets it read (fewer than a batch: the queue is empty). */
    int read(InterfacePort port, VrrpReceiveSocket socket) {
        int read = 0;
        for (; read < RECEIVE_BATCH; read++) {
            receiveBuffer.clear();
            int length;
            try {
                length = socket.receive(receiveBuffer, info);
            } catch (NativeException e) {
                LOG.warn("receive on {} failed: {}", socket, e.getMessage());
                return read;
            }
            if (length < 0) {
                break;
            }
            receiveBuffer.flip();
            try {
                if (info.truncated()) {
                    node.handleTruncatedPacket(port.iface, info.packetLength());
                } else {
                    // RFC 9568 §6.4.2: the Active_Down_Timer restarts when the advertisement arrived
                    // (the kernel's stamp), not when this loop woke up to read it.
                    node.handlePacket(info.arrivalNanos(), port.iface, socket.family(), receiveBuffer,
                            info.sourceBytes(), info.destinationBytes(), info.ttl());
                }
                effects.run();
            } catch (RuntimeException e) {
                // A bug must not take the loop down; the packet is lost, the protocol goes on.
                LOG.error("failed to handle a packet on {}", port.name, e);
            }
        }
        if (read == RECEIVE_BATCH) {
            backlog = true;
        }
        return read;
    }

    /** Reads every queued packet on every interface (up to a limit per socket); returns how many. */
    int drainAll() {
        backlog = false;
        int drained = 0;
        for (InterfacePort port : ports) {
            drained += drain(port, port.receive4) + drain(port, port.receive6);
        }
        return drained;
    }

    private int drain(InterfacePort port, VrrpReceiveSocket socket) {
        if (socket == null) {
            return 0;
        }
        int total = 0;
        int read;
        do {
            read = read(port, socket);
            total += read;
        } while (read == RECEIVE_BATCH && total < DRAIN_LIMIT);
        return total;
    }

    /**
     * Reads a batch of ARP packets and hands those from another MAC to the node, whose Active IPv4
     * routers look for their virtual addresses as sender (split brain).
     */
    void readArp(InterfacePort port) {
        for (int i = 0; i < RECEIVE_BATCH; i++) {
            ArpWatchSocket.Result result;
            try {
                result = port.arpWatch.receive(arpPacket);
            } catch (NativeException e) {
                LOG.warn("ARP receive on {} failed: {}", port.name, e.getMessage());
                return;
            }
            switch (result) {
                case NONE -> {
                    return;
                }
                case OWN -> { }
                case MALFORMED -> node.handleMalformedArp(port.iface);
                case PACKET -> {
                    if (arpPacket.senderMac() != port.mac) {
                        node.handleAddressConflict(System.nanoTime(), port.iface, arpPacket.senderAddress(),
                                arpPacket.senderMac());
                        effects.run();
                    }
                }
            }
        }
    }
}
