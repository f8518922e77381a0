package dev.vrrp4j.benchmarks;

import dev.vrrp4j.core.node.AnnouncePolicy;
import dev.vrrp4j.core.node.Node;
import dev.vrrp4j.core.node.NodeConfig;
import dev.vrrp4j.core.node.NodeEffect;
import dev.vrrp4j.core.node.NodeInterface;
import dev.vrrp4j.core.node.RouterSpec;
import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.Advertisement;
import dev.vrrp4j.core.packet.AdvertisementCodec;
import dev.vrrp4j.core.packet.ChecksumForm;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.VirtualAddress;
import dev.vrrp4j.netty.transport.NativeException;
import dev.vrrp4j.netty.transport.ReceivedPacketInfo;
import dev.vrrp4j.netty.transport.VrrpReceiveSocket;
import dev.vrrp4j.netty.transport.VrrpSendSocket;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The inbound path of one advertisement through the real kernel: vrrp4j's counterpart of the
 * issue's "Netty inbound path for one packet (EmbeddedChannel)". vrrp4j has no channel pipeline on
 * the receive side; the node's event loop calls {@link VrrpReceiveSocket#receive} (recvmsg(2) through
 * FFM on a raw IP protocol 112 socket) into a reused direct buffer and hands the IPv4 packet to the
 * {@link Node}, which decodes it, finds the router and gives it to the Backup, as the driver's
 * {@code PacketReader.read} does.
 *
 * <p>The packet goes over the loopback interface {@code lo}, from a {@link VrrpSendSocket} bound to
 * 127.0.0.1 to 127.0.0.1: a raw socket gets every protocol-112 packet addressed to the host on its
 * interface, unicast as well as the group it joined (keepalived's {@code unicast_peer} case). Nothing
 * leaves the machine. Loopback delivers within sendto(2) (the softirq runs as the send returns), so
 * the packet is almost always queued by the first recvmsg; the teardown prints how often it was not.
 *
 * <ul>
 *   <li>{@link #send}: sendto(2) alone, with no receive socket open (the send socket's
 *       accept-nothing filter takes the looped-back copy, so the kernel sends no ICMP).</li>
 *   <li>{@link #sendAndReceive}: the same send with the receive socket open, then recvmsg, decode,
 *       {@link Node#handlePacket} and the (empty) effect queue. Minus {@link #send},
 *       this is the receive path: the kernel's copy into the receive queue, the recvmsg call, the
 *       copy out of native memory, decode and state machine. It must allocate nothing (0 B/op).</li>
 * </ul>
 *
 * Needs CAP_NET_RAW (run as root).
 *
 * <pre>
 * mvn -B -q -pl benchmarks -am package -DskipTests
 * $JAVA_HOME/bin/java -jar benchmarks/target/benchmarks.jar InboundPathBenchmark -prof gc
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class InboundPathBenchmark {
    private static final String LOOPBACK = "lo";
    /** Fail rather than spin for ever if packets stop arriving; loopback needs none of these. */
    private static final int MAX_EMPTY_RECEIVES = 1_000_000;

    /** The Active's side: a send socket on lo and one encoded advertisement to 127.0.0.1. */
    @org.openjdk.jmh.annotations.State(Scope.Thread)
    public static class Sender {
        VrrpSendSocket socket;
        /** One instance for every send, so that the send path reuses its native address. */
        InetAddress destination;
        ByteBuffer message;

        @Setup
        public void open() throws Exception {
            Inet4Address loopback = (Inet4Address) InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
            destination = loopback;
            socket = VrrpSendSocket.openIpv4(LOOPBACK, loopback);
            byte[] address = loopback.getAddress();
            Advertisement advertisement = new Advertisement().set(AddressFamily.IPV4, 51, 200, 100)
                    .addresses(List.of(VirtualAddress.parseLiteral("192.0.2.100")))
                    .route(address, address); // the pseudo-header the receiver will check
            message = ByteBuffer.allocateDirect(AdvertisementCodec.encodedLength(AddressFamily.IPV4, 1));
            AdvertisementCodec.encode(advertisement, ChecksumForm.PSEUDO_HEADER, message);
            message.flip();
        }

        void sendOne() throws NativeException {
            message.rewind();
            if (!socket.send(message, destination)) {
                throw new IllegalStateException("sendto on lo: send buffer full");
            }
        }

        @TearDown
        public void close() {
            socket.close();
        }
    }

    /** The Backup's side: the receive socket on lo and the objects the driver reuses per packet. */
    @org.openjdk.jmh.annotations.State(Scope.Thread)
    public static class Receiver {
        VrrpReceiveSocket socket;
        Node node;
        NodeInterface loopback;
        /** Direct, like the driver's: the copy out of native memory is then a native-to-native one. */
        final ByteBuffer buffer = ByteBuffer.allocateDirect(65_536);
        final ReceivedPacketInfo info = new ReceivedPacketInfo();
        long emptyReceives;
        long packets;

        @Setup
        public void open() throws NativeException {
            socket = VrrpReceiveSocket.openIpv4(LOOPBACK);
            RouterConfig config = RouterConfig.builder("VI_1", AddressFamily.IPV4, 51).priority(100)
                    .virtualAddresses("192.0.2.100/24").build();
            // Its own address only matters for tie-breaks; a documentation address, never on the wire.
            RouterSpec spec = new RouterSpec(config, LOOPBACK, VirtualAddress.parseLiteral("192.0.2.2"), List.of(),
                    new AnnouncePolicy(5, Duration.ZERO, Duration.ZERO), List.of(), List.of());
            node = new Node(new NodeConfig(List.of(spec), List.of()));
            loopback = node.networkInterface(LOOPBACK);
            node.handleStart(System.nanoTime());
            while (node.poll() != null) {
                // drain the startup transition
            }
            drain();
        }

        /** Receives one packet as the driver's PacketReader.read does and returns what the node asked for. */
        NodeEffect receiveOne() throws NativeException {
            int length;
            int empty = 0;
            while (true) {
                buffer.clear();
                length = socket.receive(buffer, info);
                if (length >= 0) {
                    break;
                }
                emptyReceives++;
                if (++empty == MAX_EMPTY_RECEIVES) {
                    throw new IllegalStateException("no VRRP packet arrived on " + LOOPBACK + " after "
                            + MAX_EMPTY_RECEIVES + " receives: does a raw socket on lo get unicast protocol 112?");
                }
            }
            packets++;
            buffer.flip();
            if (info.truncated()) {
                throw new IllegalStateException("packet of " + info.packetLength() + " bytes was truncated");
            }
            node.handlePacket(info.arrivalNanos(), loopback, AddressFamily.IPV4, buffer, info.sourceBytes(),
                    info.destinationBytes(), info.ttl()); // as the driver does
            NodeEffect effect = node.poll();
            if (effect != null || node.routers().getFirst().state() != State.BACKUP) {
                throw new IllegalStateException("the Backup should stay Backup with nothing to do, got " + effect);
            }
            return effect;
        }

        private void drain() throws NativeException {
            buffer.clear();
            while (socket.receive(buffer, info) >= 0) {
                buffer.clear();
            }
        }

        @TearDown
        public void close() {
            // Not printf: its first use loads locale data, megabytes that -prof gc would put on the last iteration.
            System.out.println(System.lineSeparator() + packets + " packets, " + emptyReceives
                    + " receives found the queue empty, " + node.routers().getFirst().counters().advertsReceived()
                    + " advertisements counted by the router");
            socket.close();
        }
    }

    /** sendto(2) of one advertisement on lo, nobody receiving it. */
    @Benchmark
    public void send(Sender sender) throws NativeException {
        sender.sendOne();
    }

    /** The same send, then the packet received, decoded and handled by a Backup: the inbound path. */
    @Benchmark
    public NodeEffect sendAndReceive(Sender sender, Receiver receiver) throws NativeException {
        sender.sendOne();
        return receiver.receiveOne();
    }
}
