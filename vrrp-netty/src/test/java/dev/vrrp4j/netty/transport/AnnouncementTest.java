package dev.vrrp4j.netty.transport;

import dev.vrrp4j.netty.testing.NetnsLan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Gratuitous ARP and unsolicited neighbor advertisements as a neighbour on the LAN sees them. */
class AnnouncementTest {
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

    @Test
    void gratuitousArpIsABroadcastRequestForTheVirtualAddress() throws Exception {
        String macOfA = lan.macAddress(a, "eth0");
        try (GratuitousArpSender sender = lan.runIn(a, () -> GratuitousArpSender.open("eth0"));
             NetnsLan.Capture capture = lan.tcpdump(b, "eth0", "arp")) {
            assertThat(sender.link().hardwareAddress()).hasToString(macOfA);

            assertThat(sender.announce((Inet4Address) InetAddress.getByName("192.0.2.100"))).isTrue();

            String line = capture.awaitLine(WAIT, "Request who-has 192.0.2.100");
            // Same frame as keepalived 2.2.7: target hardware address all ones, sender = target = VIP.
            assertThat(line).startsWith(timestampless(line, macOfA + " > ff:ff:ff:ff:ff:ff, ethertype ARP (0x0806), length 42"))
                    .contains("Request who-has 192.0.2.100 (ff:ff:ff:ff:ff:ff) tell 192.0.2.100, length 28");
        }
        // B learned the VIP at A's MAC from the announcement alone (ARP requests update existing
        // entries only, so B must have one; it does not, hence no neighbour-table assertion here).
    }

    /**
     * What the driver's address-conflict check reads: B's ARP watch socket gets A's gratuitous ARP
     * as a packet naming A's MAC and the address, never B's own as another host's, and once the JIT
     * has compiled the path, reads packets without allocating (the class promises it; the driver
     * calls it on the event loop for every ARP frame on the LAN). (Measured here: an ETH_P_ARP
     * packet socket is not shown this host's outgoing frames at all, so B's own yields NONE.)
     */
    @Test
    void arpWatchReadsAnotherHostsArpWithoutAllocatingAndNeverItsOwnAsForeign() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Inet4Address vip = (Inet4Address) InetAddress.getByName("192.0.2.100");
        try (ArpWatchSocket watch = lan.runIn(b, () -> ArpWatchSocket.open("eth0"));
             GratuitousArpSender fromA = lan.runIn(a, () -> GratuitousArpSender.open("eth0"));
             GratuitousArpSender fromB = lan.runIn(b, () -> GratuitousArpSender.open("eth0"))) {
            ArpPacket packet = new ArpPacket();
            assertThat(fromB.announce(vip)).isTrue();
            assertThat(nextArp(watch, packet, Duration.ofMillis(300))).as("B's own announcement")
                    .isIn(ArpWatchSocket.Result.NONE, ArpWatchSocket.Result.OWN);
            assertThat(fromA.announce(vip)).isTrue();
            assertThat(nextArp(watch, packet, WAIT)).isEqualTo(ArpWatchSocket.Result.PACKET);
            assertThat(packet.operation()).as("request").isEqualTo(1);
            assertThat(new MacAddress(packet.senderMac())).isEqualTo(fromA.link().hardwareAddress());
            assertThat(packet.senderAddress()).isEqualTo(vip.getAddress());
            assertThat(packet.targetAddress()).isEqualTo(vip.getAddress());

            int batch = 20;
            java.util.ArrayDeque<Long> rounds = new java.util.ArrayDeque<>();
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            for (int round = 0; System.nanoTime() - deadline < 0; round++) {
                for (int i = 0; i < batch; i++) {
                    fromA.announce(vip);
                }
                long before = threads.getCurrentThreadAllocatedBytes();
                int packets = 0;
                for (int i = 0; i < batch; i++) {
                    if (nextArp(watch, packet, WAIT) == ArpWatchSocket.Result.PACKET) {
                        packets++;
                    }
                }
                long allocated = threads.getCurrentThreadAllocatedBytes() - before;
                assertThat(packets).as("A's announcements read in round %d", round).isEqualTo(batch);
                // Warm-up first: interpreted downcall adapters allocate on their own.
                if (round >= 300 && allocated == 0) {
                    return;
                }
                if (rounds.size() == 30) {
                    rounds.removeFirst();
                }
                rounds.add(allocated);
            }
            throw new AssertionError("every round of " + batch + " ARP receives for 20 s allocated; bytes in the last 30: "
                    + rounds);
        }
    }

    /** The next result other than NONE, waiting up to {@code timeout}; NONE if nothing came. */
    private static ArpWatchSocket.Result nextArp(ArpWatchSocket watch, ArpPacket into, Duration timeout)
            throws NativeException {
        long deadline = System.nanoTime() + timeout.toNanos();
        ArpWatchSocket.Result result;
        do {
            result = watch.receive(into);
        } while (result == ArpWatchSocket.Result.NONE && System.nanoTime() - deadline < 0);
        return result;
    }

    private static String timestampless(String line, String expected) {
        int space = line.indexOf(' ');
        return line.substring(0, space + 1) + expected;
    }

    @Test
    void neighborAdvertisementOverridesWithHopLimit255FromTheLinkLocalAddress() throws Exception {
        String macOfA = lan.macAddress(a, "eth0");
        String linkLocalOfA = lan.linkLocalAddress(a, "eth0");
        try (NeighborAdvertisementSender sender = lan.runIn(a, () -> NeighborAdvertisementSender.open("eth0"));
             NetnsLan.Capture capture = lan.tcpdump(b, "eth0", "icmp6 and ip6[40] == 136")) {
            assertThat(sender.announce((Inet6Address) InetAddress.getByName("2001:db8::100"), false)).isTrue();

            String line = capture.awaitLine(WAIT, "neighbor advertisement");
            assertThat(line)
                    .contains(macOfA + " > 33:33:00:00:00:01")
                    .contains("hlim 255")
                    .contains(linkLocalOfA + " > ff02::1")
                    .contains("[icmp6 sum ok]")
                    .contains("neighbor advertisement, length 32, tgt is 2001:db8::100, Flags [override]");
            // tcpdump calls the Target Link-Layer Address option "destination link-address".
            capture.awaitLine(WAIT, "destination link-address option (2), length 8 (1): " + macOfA);
        }
    }

    @Test
    void routerFlagIsSetOnlyWhenAsked() throws Exception {
        try (NeighborAdvertisementSender sender = lan.runIn(a, () -> NeighborAdvertisementSender.open("eth0"));
             NetnsLan.Capture capture = lan.tcpdump(b, "eth0", "icmp6 and ip6[40] == 136")) {
            sender.announce((Inet6Address) InetAddress.getByName("2001:db8::101"), true);

            assertThat(capture.awaitLine(WAIT, "tgt is 2001:db8::101")).contains("Flags [router, override]");
        }
    }

    @Test
    void neighborUpdatesItsCacheFromTheAdvertisement() throws Exception {
        String macOfA = lan.macAddress(a, "eth0");
        // B has a stale entry for the VIP pointing elsewhere, as after a failover.
        lan.run("ip", "-n", b, "neigh", "replace", "2001:db8::102", "lladdr", "02:00:00:00:00:01", "dev", "eth0", "nud", "stale");
        try (NeighborAdvertisementSender sender = lan.runIn(a, () -> NeighborAdvertisementSender.open("eth0"))) {
            sender.announce((Inet6Address) InetAddress.getByName("2001:db8::102"), false);

            long deadline = System.nanoTime() + WAIT.toNanos();
            String neighbour;
            do {
                neighbour = lan.run("ip", "-n", b, "neigh", "show", "2001:db8::102", "dev", "eth0");
            } while (!neighbour.contains(macOfA) && System.nanoTime() < deadline);
            assertThat(neighbour).as("override flag replaced the old MAC").contains("lladdr " + macOfA);
        }
    }
}
