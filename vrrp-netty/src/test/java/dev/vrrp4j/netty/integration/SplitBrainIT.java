package dev.vrrp4j.netty.integration;

import dev.vrrp4j.netty.testing.LanExtension;
import dev.vrrp4j.netty.testing.NetnsLan;
import dev.vrrp4j.netty.testing.NodeProcess;
import dev.vrrp4j.netty.testing.PacketInjector;
import dev.vrrp4j.netty.transport.GratuitousArpSender;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Split brain and spoofing on a real (namespaced) LAN, vrrp4j nodes at a 100 ms interval:
 *
 * <ul>
 *   <li>A partition made with nftables on the bridge (VRRP between the two hosts dropped, ARP still
 *       passing) makes both Active; after healing, the lower priority yields and each node reports
 *       exactly the episodes its side can see.</li>
 *   <li>A third host that adds the VIP and announces it with gratuitous ARP is reported by the
 *       Active as an address conflict naming that host's MAC; the Active keeps the VIP.</li>
 *   <li>In unicast mode, a well-formed, TTL-255, higher-priority advertisement from a host on the
 *       LAN that is not a configured peer is dropped and counted as UNKNOWN_PEER; the Active does not
 *       step down. (Forged advertisements with TTL 254 are {@link MalformedPacketBarrageIT}'s.)</li>
 * </ul>
 */
class SplitBrainIT {
    private static final String VIP = "192.0.2.100";
    private static final String TABLE = "vrrp4j_partition";
    private static final Pattern COUNTER = Pattern.compile("(splitBrain|addressConflicts)=(\\d+)");

    /** Host 2 only takes part in the unicast test; in the others it is an idle bystander. */
    @RegisterExtension
    final LanExtension bed = new LanExtension(3);

    private static String multicast(int priority) {
        return "name=VI_1,vrid=51,interval=10,vips=" + VIP + "/24,priority=" + priority;
    }

    private static List<String> splitBrains(NodeProcess node) {
        return node.lines().stream().filter(l -> l.startsWith("SPLITBRAIN ")).map(l -> l.substring(11)).toList();
    }

    private static String ip(int host) {
        return NetnsLan.ipv4(host).getHostAddress();
    }

    /** Drops IP protocol 112 forwarded between the two hosts' bridge ports; ARP and the rest still pass. */
    private void partition() {
        NetnsLan lan = bed.lan();
        String bridge = lan.bridgeNamespace();
        lan.exec(bridge, "nft", "add", "table", "bridge", TABLE);
        lan.exec(bridge, "nft", "add", "chain", "bridge", TABLE, "forward",
                "{", "type", "filter", "hook", "forward", "priority", "0", ";", "}");
        lan.exec(bridge, "nft", "add", "rule", "bridge", TABLE, "forward", "iifname", "{", "p0,", "p1", "}",
                "oifname", "{", "p0,", "p1", "}", "ip", "protocol", "112", "drop");
    }

    private void heal() {
        bed.lan().exec(bed.lan().bridgeNamespace(), "nft", "delete", "table", "bridge", TABLE);
    }

    private boolean holdsVip(int host) {
        return bed.lan().ipAddr(bed.host(host)).contains(" " + VIP + "/24");
    }

    @Test
    void aPartitionMakesTwoActivesAndHealingReportsTheEpisodeOnEachSide() throws Exception {
        NodeProcess a = bed.startNode(0, multicast(200));
        a.awaitEvent("VI_1", "MASTER", Duration.ofSeconds(5));
        NodeProcess b = bed.startNode(1, multicast(100));
        b.awaitEvent("VI_1", "BACKUP", Duration.ofSeconds(5));
        Thread.sleep(500);
        assertThat(splitBrains(a)).as("normal operation").isEmpty();
        assertThat(splitBrains(b)).isEmpty();

        partition();
        b.awaitEvent("VI_1", "MASTER", Duration.ofSeconds(3)); // A's adverts no longer arrive
        Thread.sleep(500);
        assertThat(holdsVip(0)).isTrue();
        assertThat(holdsVip(1)).isTrue();
        // B's gratuitous ARP for the VIP crossed the partition (only VRRP is dropped): A sees B's MAC.
        String macB = bed.lan().macAddress(bed.host(1), NetnsLan.INTERFACE);
        a.awaitLine("SPLITBRAIN VI_1 ADDRESS_CONFLICT " + macB + " 0 kept");

        heal();
        b.awaitEvent("VI_1", "BACKUP", Duration.ofSeconds(2));
        Thread.sleep(1_000); // several Active_Down_Intervals: any episode still open has ended
        assertThat(holdsVip(0)).isTrue();
        assertThat(holdsVip(1)).isFalse();
        assertThat(a.events("VI_1")).containsExactly("INIT BACKUP startup", "BACKUP MASTER advert_timeout");

        // B took over from a silent A and yielded on hearing it again: one episode, stepping down.
        assertThat(splitBrains(b)).containsExactly("VI_1 ADVERTISEMENT " + ip(0) + " 200 yielded");
        // A always sees B's ARP; it hears one of B's adverts only if B's next advert left before A's
        // reached B (then A answers at once and B yields): which one crossed first is up to the clocks.
        List<String> seenByA = splitBrains(a);
        assertThat(seenByA.getFirst()).isEqualTo("VI_1 ADDRESS_CONFLICT " + macB + " 0 kept");
        assertThat(seenByA.subList(1, seenByA.size())).isSubsetOf(List.of("VI_1 ADVERTISEMENT " + ip(1) + " 100 kept"));
        System.out.printf("split brain: A reported %s, B reported %s%n", seenByA, splitBrains(b));

        assertThat(a.terminate()).isZero();
        assertThat(b.terminate()).isZero();
        assertThat(counters(a)).containsExactly(seenByA.size() - 1L, 1L);
        assertThat(counters(b)).containsExactly(1L, 0L);
    }

    @Test
    void anotherHostAnnouncingTheVipIsAnAddressConflict() throws Exception {
        NodeProcess a = bed.startNode(0, multicast(200));
        a.awaitEvent("VI_1", "MASTER", Duration.ofSeconds(5));
        Thread.sleep(300);

        // Host 1 runs no VRRP at all: someone configured the VIP there by hand and announced it.
        bed.lan().exec(bed.host(1), "ip", "addr", "add", VIP + "/24", "dev", NetnsLan.INTERFACE);
        bed.lan().runIn(bed.host(1), () -> {
            try (GratuitousArpSender arp = GratuitousArpSender.open(NetnsLan.INTERFACE)) {
                for (int i = 0; i < 3; i++) {
                    arp.announce((Inet4Address) InetAddress.getByName(VIP));
                }
            }
            return null;
        });
        String mac = bed.lan().macAddress(bed.host(1), NetnsLan.INTERFACE);
        a.awaitLine("SPLITBRAIN VI_1 ADDRESS_CONFLICT " + mac);
        Thread.sleep(500);

        // One episode for the burst; VRRP cannot resolve it, so the Active keeps the VIP.
        assertThat(splitBrains(a)).containsExactly("VI_1 ADDRESS_CONFLICT " + mac + " 0 kept");
        assertThat(a.events("VI_1")).containsExactly("INIT BACKUP startup", "BACKUP MASTER advert_timeout");
        assertThat(holdsVip(0)).isTrue();
        assertThat(a.terminate()).isZero();
        assertThat(counters(a)).containsExactly(0L, 1L);
    }

    @Test
    void inUnicastModeAHigherPriorityAdvertFromANonPeerIsDroppedAndCounted() throws Exception {
        NodeProcess a = bed.startNode(0, "name=VI_1,vrid=51,interval=10,vips=" + VIP + "/24,priority=200,peers=" + ip(1));
        a.awaitEvent("VI_1", "MASTER", Duration.ofSeconds(5));
        NodeProcess b = bed.startNode(1, "name=VI_1,vrid=51,interval=10,vips=" + VIP + "/24,priority=100,peers=" + ip(0));
        b.awaitEvent("VI_1", "BACKUP", Duration.ofSeconds(5));

        // Host 2 is on the LAN but in nobody's peer list: correct advertisements, TTL 255, priority 250,
        // to A's own address (as a unicast peer sends) and to the group.
        int sent = 50;
        bed.lan().runIn(bed.host(2), () -> {
            Inet6Address source6 = (Inet6Address) InetAddress.getByName(
                    bed.lan().linkLocalAddress(bed.host(2), NetnsLan.INTERFACE));
            try (PacketInjector injector = PacketInjector.open(NetnsLan.INTERFACE, NetnsLan.ipv4(2), source6)) {
                byte[] vip = InetAddress.getByName(VIP).getAddress();
                byte[] toA = NetnsLan.ipv4(0).getAddress();
                byte[] advert = PacketInjector.advertisement(3, 51, 250, 10, vip);
                for (int i = 0; i < sent; i++) {
                    injector.sendIpv4To(255, toA, PacketInjector.withChecksum(advert, injector.source4(), toA, 6, 0));
                    injector.sendIpv4(255, PacketInjector.withChecksum(advert, injector.source4(),
                            PacketInjector.IPV4_GROUP, 6, 0));
                    Thread.sleep(5);
                }
            }
            return null;
        });
        Thread.sleep(500);

        assertThat(a.events("VI_1")).containsExactly("INIT BACKUP startup", "BACKUP MASTER advert_timeout");
        assertThat(b.events("VI_1")).containsExactly("INIT BACKUP startup");
        assertThat(holdsVip(0)).isTrue();
        assertThat(splitBrains(a)).isEmpty();
        assertThat(a.terminate()).isZero();
        String counters = a.awaitLine("COUNTERS VI_1 ");
        Matcher unknownPeer = Pattern.compile("UNKNOWN_PEER=(\\d+)").matcher(counters);
        assertThat(unknownPeer.find()).as(counters).isTrue();
        assertThat(Long.parseLong(unknownPeer.group(1))).as(counters).isEqualTo(2L * sent);
    }

    /** splitBrain and addressConflicts from the node's {@code COUNTERS VI_1} line. */
    private static List<Long> counters(NodeProcess node) {
        String line = node.awaitLine("COUNTERS VI_1 ");
        Matcher matcher = COUNTER.matcher(line);
        List<Long> values = new ArrayList<>();
        while (matcher.find()) {
            values.add(Long.parseLong(matcher.group(2)));
        }
        assertThat(values).as(line).hasSize(2);
        return values;
    }
}
