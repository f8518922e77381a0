package dev.vrrp4j.netty.transport;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.netty.testing.NetnsLan;
import dev.vrrp4j.netty.testing.PacketInjector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Raw VRRP sockets between two hosts of a namespace LAN: what arrives, with which TTL / hop limit,
 * addresses and checksum, and what tcpdump sees on the wire.
 */
class VrrpSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static NetnsLan lan;
    private static String a;
    private static String b;

    @BeforeAll
    static void createLan() {
        lan = NetnsLan.create(2);
        a = lan.host(0);
        b = lan.host(1);
    }

    @AfterAll
    static void closeLan() {
        if (lan != null) {
            lan.close();
        }
    }

    /** A 20-byte VRRPv3 advertisement-shaped payload: version 3 type 1, VRID 7, priority 100, 3 addresses. */
    static byte[] message(int length) {
        byte[] bytes = new byte[length];
        bytes[0] = 0x31; // version 3, type 1 (ADVERTISEMENT)
        bytes[1] = 7;    // VRID
        bytes[2] = 100;  // priority
        bytes[3] = (byte) ((length - 8) / 4); // address count
        bytes[4] = 0;    // reserved + max advert interval high bits
        bytes[5] = 100;  // max advert interval 100 centiseconds
        for (int i = 8; i < length; i++) {
            bytes[i] = (byte) i;
        }
        return bytes;
    }

    /** Receives one packet, waiting up to {@link #WAIT}; null if none came. */
    static byte[] receiveOne(VrrpReceiveSocket socket, ReceivedPacketInfo info, Duration wait) throws NativeException {
        ByteBuffer buffer = ByteBuffer.allocate(2048);
        long deadline = System.nanoTime() + wait.toNanos();
        while (System.nanoTime() < deadline) {
            int length = socket.receive(buffer, info);
            if (length >= 0) {
                byte[] bytes = new byte[length];
                buffer.flip().get(bytes);
                return bytes;
            }
            LinuxSyscalls.pollReadable(socket.fd(), 100);
        }
        return null;
    }

    @Test
    void ipv4AdvertisementArrivesWithTtl255AndTosCs6() throws Exception {
        try (VrrpReceiveSocket receiver = lan.runIn(b, () -> VrrpReceiveSocket.openIpv4("eth0"));
             VrrpSendSocket sender = lan.runIn(a, () -> VrrpSendSocket.openIpv4("eth0", null));
             NetnsLan.Capture capture = lan.tcpdump(b, "eth0", "ip proto 112")) {
            InetAddress group = InetAddress.getByName("224.0.0.18");
            byte[] sent = message(20);

            assertThat(sender.send(ByteBuffer.wrap(sent), group)).isTrue();

            ReceivedPacketInfo info = new ReceivedPacketInfo();
            byte[] packet = receiveOne(receiver, info, WAIT);
            assertThat(packet).as("IPv4 packet on B").isNotNull();
            // The raw IPv4 socket delivers the IP header (20 bytes, no options) before the message.
            assertThat(packet).hasSize(20 + sent.length);
            assertThat(packet[0]).isEqualTo((byte) 0x45);
            assertThat(packet[1] & 0xff).as("TOS").isEqualTo(0xc0);
            assertThat(packet[9] & 0xff).as("protocol").isEqualTo(112);
            assertThat(java.util.Arrays.copyOfRange(packet, 20, packet.length)).isEqualTo(sent);
            assertThat(info.family()).isEqualTo(AddressFamily.IPV4);
            assertThat(info.ttl()).isEqualTo(255);
            assertThat(info.source()).isEqualTo(NetnsLan.ipv4(0));
            assertThat(info.destination()).isEqualTo(group);
            assertThat(info.interfaceIndex()).isEqualTo(receiver.interfaceIndex());
            assertThat(info.truncated()).isFalse();

            String header = capture.awaitLine(WAIT, "192.0.2.10 > 224.0.0.18");
            String all = String.join("\n", capture.lines());
            assertThat(all).contains("tos 0xc0, ttl 255").contains("proto VRRP (112)");
            assertThat(header).isNotEmpty();
        }
    }

    @Test
    void ipv4SenderDoesNotHearItselfAndReceiverIgnoresOtherInterfaces() throws Exception {
        try (VrrpReceiveSocket ownReceiver = lan.runIn(a, () -> VrrpReceiveSocket.openIpv4("eth0"));
             VrrpReceiveSocket loopbackReceiver = lan.runIn(b, () -> VrrpReceiveSocket.openIpv4("lo"));
             VrrpSendSocket sender = lan.runIn(a, () -> VrrpSendSocket.openIpv4("eth0", NetnsLan.ipv4(0)))) {
            assertThat(sender.send(ByteBuffer.wrap(message(20)), InetAddress.getByName("224.0.0.18"))).isTrue();

            ReceivedPacketInfo info = new ReceivedPacketInfo();
            assertThat(receiveOne(ownReceiver, info, Duration.ofMillis(300))).as("multicast loop is off").isNull();
            assertThat(receiveOne(loopbackReceiver, info, Duration.ofMillis(100))).as("bound to lo").isNull();
        }
    }

    @Test
    void aProbeRunsTheSendPathWithoutPuttingAnythingOnTheWire() throws Exception {
        try (VrrpReceiveSocket receiver4 = lan.runIn(b, () -> VrrpReceiveSocket.openIpv4("eth0"));
             VrrpReceiveSocket receiver6 = lan.runIn(b, () -> VrrpReceiveSocket.openIpv6("eth0"));
             VrrpSendSocket sender4 = lan.runIn(a, () -> VrrpSendSocket.openIpv4("eth0", null));
             VrrpSendSocket sender6 = lan.runIn(a, () -> VrrpSendSocket.openIpv6("eth0", null));
             NetnsLan.Capture capture = lan.tcpdump(b, "eth0", "ip proto 112 or ip6 proto 112")) {
            InetAddress group4 = InetAddress.getByName("224.0.0.18");
            InetAddress group6 = InetAddress.getByName("ff02::12");
            for (int i = 0; i < 100; i++) {
                assertThat(sender4.send(ByteBuffer.wrap(message(20)), group4, VrrpSendSocket.Mode.PROBE)).isTrue();
                assertThat(sender6.send(ByteBuffer.wrap(message(24)), group6, VrrpSendSocket.Mode.PROBE)).isTrue();
            }
            ReceivedPacketInfo info = new ReceivedPacketInfo();
            assertThat(receiveOne(receiver4, info, Duration.ofMillis(300))).as("IPv4 probes").isNull();
            assertThat(receiveOne(receiver6, info, Duration.ofMillis(100))).as("IPv6 probes").isNull();

            // The same sockets still send for real, and the capture shows only those two packets.
            assertThat(sender4.send(ByteBuffer.wrap(message(20)), group4, VrrpSendSocket.Mode.WIRE)).isTrue();
            assertThat(sender6.send(ByteBuffer.wrap(message(24)), group6)).isTrue();
            assertThat(receiveOne(receiver4, info, WAIT)).isNotNull();
            assertThat(receiveOne(receiver6, info, WAIT)).isNotNull();
            capture.awaitLine(WAIT, "> ff02::12");
            capture.awaitLine(WAIT, "> 224.0.0.18");
            assertThat(capture.lines().stream().filter(line -> line.contains("ethertype"))).as("one line per packet").hasSize(2);
        }
    }

    @Test
    void arrivalIsTheKernelsStampNotTheMomentOfReading() throws Exception {
        try (VrrpReceiveSocket receiver = lan.runIn(b, () -> VrrpReceiveSocket.openIpv4("eth0"));
             VrrpSendSocket sender = lan.runIn(a, () -> VrrpSendSocket.openIpv4("eth0", null))) {
            InetAddress group = InetAddress.getByName("224.0.0.18");
            ReceivedPacketInfo info = new ReceivedPacketInfo();
            ByteBuffer buffer = ByteBuffer.allocate(2048);

            // Left queued for 5 ms: the arrival is when it was sent, not when it was read.
            long sentAt = System.nanoTime();
            assertThat(sender.send(ByteBuffer.wrap(message(20)), group)).isTrue();
            Thread.sleep(5);
            LinuxSyscalls.pollReadable(receiver.fd(), 1000);
            assertThat(receiver.receive(buffer.clear(), info)).isPositive();
            long readAt = System.nanoTime();
            assertThat(info.arrivalNanos()).as("stamped after the send began")
                    .isGreaterThan(sentAt - 200_000).isLessThan(sentAt + 4_000_000);
            assertThat(readAt - info.arrivalNanos()).as("queued for the 5 ms").isGreaterThan(4_500_000);

            // Left queued for longer than the bound: the arrival is taken as the bound before the read.
            assertThat(sender.send(ByteBuffer.wrap(message(20)), group)).isTrue();
            Thread.sleep(50);
            long beforeRead = System.nanoTime();
            assertThat(receiver.receive(buffer.clear(), info)).isPositive();
            long afterRead = System.nanoTime();
            assertThat(info.arrivalNanos()).isBetween(beforeRead - VrrpReceiveSocket.MAX_QUEUED_NANOS,
                    afterRead - VrrpReceiveSocket.MAX_QUEUED_NANOS);
        }
    }

    @Test
    void ipv6AdvertisementArrivesWithHopLimit255AndKernelChecksum() throws Exception {
        try (VrrpReceiveSocket receiver = lan.runIn(b, () -> VrrpReceiveSocket.openIpv6("eth0"));
             VrrpSendSocket sender = lan.runIn(a, () -> VrrpSendSocket.openIpv6("eth0", null));
             NetnsLan.Capture capture = lan.tcpdump(b, "eth0", "ip6 proto 112")) {
            InetAddress group = InetAddress.getByName("ff02::12");
            byte[] sent = message(24);

            assertThat(sender.send(ByteBuffer.wrap(sent), group)).isTrue();

            ReceivedPacketInfo info = new ReceivedPacketInfo();
            byte[] received = receiveOne(receiver, info, WAIT);
            assertThat(received).as("IPv6 VRRP message on B").isNotNull().hasSize(sent.length);
            InetAddress linkLocalOfA = InetAddress.getByName(lan.linkLocalAddress(a, "eth0"));
            assertThat(info.family()).isEqualTo(AddressFamily.IPV6);
            assertThat(info.ttl()).as("hop limit").isEqualTo(255);
            assertThat(info.destination()).isEqualTo(group);
            assertThat(InetAddress.getByAddress(java.util.Arrays.copyOf(info.sourceBytes(), 16))).isEqualTo(linkLocalOfA);
            assertThat(((Inet6Address) info.source()).getScopeId()).isEqualTo(receiver.interfaceIndex());
            assertThat(info.interfaceIndex()).isEqualTo(receiver.interfaceIndex());
            // Everything but the checksum is as sent; the kernel wrote the checksum (IPV6_CHECKSUM 6).
            assertThat(java.util.Arrays.copyOfRange(received, 8, received.length))
                    .isEqualTo(java.util.Arrays.copyOfRange(sent, 8, sent.length));
            assertThat(received).as("with the checksum the kernel wrote")
                    .isEqualTo(PacketInjector.withChecksum(received, linkLocalOfA.getAddress(), group.getAddress(), 6, 0));

            String line = capture.awaitLine(WAIT, "> ff02::12");
            assertThat(String.join("\n", capture.lines())).contains("hlim 255").contains("class 0xc0");
            assertThat(line).contains(lan.linkLocalAddress(a, "eth0"));
        }
    }

    @Test
    void ipv6PacketWithWrongChecksumIsDroppedByTheReceivingKernel() throws Exception {
        try (VrrpReceiveSocket receiver = lan.runIn(b, () -> VrrpReceiveSocket.openIpv6("eth0"));
             NativeSocket plain = lan.runIn(a, VrrpSocketTest::plainIpv6VrrpSocket)) {
            byte[] source = InetAddress.getByName(lan.linkLocalAddress(a, "eth0")).getAddress();
            byte[] group = InetAddress.getByName("ff02::12").getAddress();
            byte[] bad = message(24);
            bad[6] = (byte) 0xde;
            bad[7] = (byte) 0xad;
            byte[] unsummed = message(24);
            unsummed[2] = 101; // a different priority tells the two apart
            byte[] good = PacketInjector.withChecksum(unsummed, source, group, 6, 0);

            sendPlain(plain, bad);
            sendPlain(plain, good);

            ReceivedPacketInfo info = new ReceivedPacketInfo();
            byte[] first = receiveOne(receiver, info, WAIT);
            assertThat(first).as("the correctly summed packet arrives").isNotNull();
            assertThat(first[2]).as("and it is the first one delivered: the bad one was dropped").isEqualTo((byte) 101);
            assertThat(receiveOne(receiver, info, Duration.ofMillis(200))).isNull();
        }
    }

    /** A raw IPv6 VRRP socket without IPV6_CHECKSUM: the kernel sends the checksum field as given. */
    private static NativeSocket plainIpv6VrrpSocket() throws NativeException {
        NativeSocket socket = NativeSocket.open(LinuxSyscalls.AF_INET6, LinuxSyscalls.SOCK_RAW, 112, "test", RequiredCapability.NONE, "plain");
        socket.bindToDevice("eth0");
        socket.setOption(SocketOption.IPV6_MULTICAST_HOPS, 255);
        socket.setOption(SocketOption.IPV6_MULTICAST_IF, LinuxSyscalls.ifNameToIndex("eth0"));
        return socket;
    }

    private static void sendPlain(NativeSocket socket, byte[] message) throws Exception {
        java.lang.foreign.MemorySegment data = socket.allocate(message.length);
        java.lang.foreign.MemorySegment.copy(message, 0, data, java.lang.foreign.ValueLayout.JAVA_BYTE, 0, message.length);
        java.lang.foreign.MemorySegment address = socket.allocate(SocketAddresses.SOCKADDR_IN6_SIZE);
        int length = SocketAddresses.write(address, InetAddress.getByName("ff02::12"), 0);
        assertThat(LinuxSyscalls.sendto(socket.fd(), data, message.length, address, length, "plain")).isEqualTo(message.length);
    }

    @Test
    void shortBufferTruncatesAndSaysSo() throws Exception {
        try (VrrpReceiveSocket receiver = lan.runIn(b, () -> VrrpReceiveSocket.openIpv6("eth0"));
             VrrpSendSocket sender = lan.runIn(a, () -> VrrpSendSocket.openIpv6("eth0", null))) {
            sender.send(ByteBuffer.wrap(message(40)), InetAddress.getByName("ff02::12"));
            LinuxSyscalls.pollReadable(receiver.fd(), 5000);
            ReceivedPacketInfo info = new ReceivedPacketInfo();
            ByteBuffer small = ByteBuffer.allocate(16);

            assertThat(receiver.receive(small, info)).isEqualTo(16);
            assertThat(info.truncated()).isTrue();
            assertThat(info.packetLength()).isEqualTo(40);
            assertThat(receiver.receive(small.clear(), info)).as("nothing else queued").isEqualTo(-1);
        }
    }

    @Test
    void steadyStateReceiveAndSendAllocateNothing() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (VrrpReceiveSocket receiver = lan.runIn(b, () -> VrrpReceiveSocket.openIpv4("eth0"));
             VrrpSendSocket sender = lan.runIn(a, () -> VrrpSendSocket.openIpv4("eth0", null))) {
            InetAddress group = InetAddress.getByName("224.0.0.18");
            ByteBuffer out = ByteBuffer.allocateDirect(64);
            ByteBuffer in = ByteBuffer.allocate(2048);
            ReceivedPacketInfo info = new ReceivedPacketInfo();
            int batch = 50;
            // Warm up until the JIT has compiled the path: interpreted downcall adapters allocate
            // on their own, which says nothing about this code (whose design creates no objects).
            for (int round = 0; round < 300; round++) {
                sendBatch(sender, group, out, batch);
                receiveBatch(receiver, in, info, batch);
            }

            // The JIT compiles in the background, later on a busy machine (seen: 40 B per send still
            // after 330 rounds at load 4 on 2 cores); steady state is reached once a round allocates nothing.
            java.util.ArrayDeque<String> rounds = new java.util.ArrayDeque<>();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() - deadline < 0) {
                if (rounds.size() == 30) {
                    rounds.removeFirst();
                }
                long beforeSend = threads.getCurrentThreadAllocatedBytes();
                sendBatch(sender, group, out, batch);
                long afterSend = threads.getCurrentThreadAllocatedBytes();
                int received = receiveBatch(receiver, in, info, batch);
                long afterReceive = threads.getCurrentThreadAllocatedBytes();
                assertThat(received).isEqualTo(batch);
                rounds.add("send " + (afterSend - beforeSend) + " B, receive " + (afterReceive - afterSend) + " B");
                if (afterSend == beforeSend && afterReceive == afterSend) {
                    return;
                }
            }
            throw new AssertionError("every round of " + batch + " packets for 20 s allocated; the last 30: " + rounds);
        }
    }

    private static void sendBatch(VrrpSendSocket sender, InetAddress group, ByteBuffer out, int batch) throws NativeException {
        for (int i = 0; i < batch; i++) {
            out.clear();
            out.putInt(0x31070064).putInt(0x00640000).putInt(i).putInt(0).putInt(0).flip();
            sender.send(out, group);
        }
    }

    private static int receiveBatch(VrrpReceiveSocket receiver, ByteBuffer in, ReceivedPacketInfo info, int batch)
            throws NativeException {
        int received = 0;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (received < batch && System.nanoTime() < deadline) {
            in.clear();
            if (receiver.receive(in, info) >= 0) {
                received++;
            }
        }
        return received;
    }
}
