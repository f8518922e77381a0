package dev.vrrp4j.netty.integration;

import dev.vrrp4j.netty.testing.LanExtension;
import dev.vrrp4j.netty.testing.NetnsLan;
import dev.vrrp4j.netty.testing.NodeProcess;
import dev.vrrp4j.netty.testing.PacketInjector;
import dev.vrrp4j.netty.testing.WireLog.Advert;
import dev.vrrp4j.netty.testing.WireLog.Takeover;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two vrrp4j nodes on a real (namespaced) LAN at a 100 ms advertisement interval: election, kill -9,
 * graceful stop, preemption, link down. Who holds the VIP is read from {@code ip addr} in each
 * namespace; what went on the wire from tcpdump on the bridge.
 */
class TwoNodeFailoverIT {
    private static final String VIP = "192.0.2.100";
    /** RFC 9568 §6.1 at 100 ms, priority 100: 3 * 100 ms + (256 - 100) * 100 ms / 256. */
    private static final double DOWN_100_MS = 300 + 156 * 100 / 256.0;
    private static final double SKEW_100_MS = 156 * 100 / 256.0;
    /** Allowance for a loaded 2-core CI machine; precision itself is the benchmarks' business. */
    private static final double ALLOWANCE_MS = 100;

    @RegisterExtension
    final LanExtension bed = new LanExtension(3);
    private NodeProcess a;
    private NodeProcess b;

    private NodeProcess node(int host, int priority) {
        return bed.startNode(host,
                "name=VI_1,vrid=51,interval=10,vips=" + VIP + "/24,priority=" + priority);
    }

    private boolean holdsVip(int host) {
        return bed.lan().ipAddr(bed.host(host)).contains(" " + VIP + "/24");
    }

    private static String address(int host) {
        return NetnsLan.ipv4(host).getHostAddress();
    }

    private void electAWithBBackup() {
        a = node(0, 200);
        b = node(1, 100);
        a.awaitEvent("VI_1", "MASTER", Duration.ofSeconds(5));
        b.awaitEvent("VI_1", "BACKUP", Duration.ofSeconds(5));
        bed.wire().awaitAdvert(address(0), 200, Duration.ofSeconds(5));
        assertThat(holdsVip(0)).isTrue();
        assertThat(holdsVip(1)).isFalse();
    }

    @Test
    void theHigherPriorityNodeIsElectedAndOnlyItHoldsTheVip() throws Exception {
        electAWithBBackup();
        Thread.sleep(1_000);
        assertThat(b.events("VI_1")).containsExactly("INIT BACKUP startup");
        assertThat(bed.wire().advertsFrom(address(1))).isEmpty();
        assertThat(bed.wire().advertsFrom(address(0))).hasSizeGreaterThan(5).allSatisfy(ad -> assertThat(ad.priority()).isEqualTo(200));
        // Gratuitous ARP for the VIP from the new Active.
        bed.wire().awaitLine(Duration.ofSeconds(2), "ARP, Request who-has " + VIP, "tell " + VIP);
    }

    @Test
    void killingTheActiveHandsTheVipOverWithinActiveDownInterval() throws Exception {
        electAWithBBackup();
        Thread.sleep(500);
        a.kill();
        Takeover takeover = bed.wire().awaitTakeover(address(0), address(1), 100, Duration.ofSeconds(5));
        b.awaitEvent("VI_1", "MASTER", Duration.ofSeconds(2));
        double gapMs = takeover.gapMs();
        System.out.printf("kill -9 takeover: %.1f ms after the last advert (RFC Active_Down_Interval %.1f ms)%n",
                gapMs, DOWN_100_MS);
        assertThat(gapMs).isBetween(DOWN_100_MS - 5, DOWN_100_MS + ALLOWANCE_MS);
        assertThat(holdsVip(1)).isTrue();
        bed.wire().awaitLine(Duration.ofSeconds(2), "ARP, Request who-has " + VIP, "tell " + VIP);
    }

    @Test
    void aGracefulStopSendsPriorityZeroAndTheBackupTakesOverWithinSkewTime() throws Exception {
        electAWithBBackup();
        Thread.sleep(500);
        assertThat(a.terminate()).isZero();
        Advert zero = bed.wire().awaitAdvert(address(0), 0, Duration.ofSeconds(2));
        Advert first = bed.wire().awaitAdvert(address(1), 100, Duration.ofSeconds(5));
        double gapMs = (first.epochSeconds() - zero.epochSeconds()) * 1000;
        System.out.printf("graceful takeover: %.1f ms after priority 0 (RFC Skew_Time %.1f ms)%n", gapMs, SKEW_100_MS);
        assertThat(gapMs).isBetween(SKEW_100_MS - 5, SKEW_100_MS + ALLOWANCE_MS);
        assertThat(holdsVip(0)).isFalse();
        assertThat(holdsVip(1)).isTrue();
        assertThat(a.events("VI_1")).last().isEqualTo("MASTER INIT shutdown");
    }

    @Test
    void theHigherPriorityNodePreemptsWhenItReturns() throws Exception {
        electAWithBBackup();
        a.kill();
        b.awaitEvent("VI_1", "MASTER", Duration.ofSeconds(5));
        a = node(0, 200);
        a.awaitEvent("VI_1", "MASTER", Duration.ofSeconds(5));
        b.awaitLine("EVENT VI_1 MASTER BACKUP higher_priority_advert");
        assertThat(holdsVip(0)).isTrue();
        assertThat(holdsVip(1)).isFalse();
    }

    @Test
    void aRestartedNodeClearsTheVipItsKilledPredecessorLeftBehind() throws Exception {
        electAWithBBackup();
        a.kill();
        b.awaitEvent("VI_1", "MASTER", Duration.ofSeconds(5));
        assertThat(holdsVip(0)).as("kill -9 leaves the address on the interface").isTrue();

        // Without preemption the restarted node stays Backup, so whatever it holds now it holds for good.
        a = bed.startNode(0, "name=VI_1,vrid=51,interval=10,preempt=false,vips=" + VIP
                + "/24,priority=200");
        a.awaitEvent("VI_1", "BACKUP", Duration.ofSeconds(5));
        Thread.sleep(1_000);
        assertThat(a.events("VI_1")).containsExactly("INIT BACKUP startup");
        assertThat(holdsVip(0)).isFalse();
        assertThat(holdsVip(1)).isTrue();
    }

    @Test
    void aBackupResumedAfterAPauseReadsTheQueuedAdvertsBeforeItsLateTimerAndStaysBackup() throws Exception {
        electAWithBBackup();
        b.signal("STOP");
        Thread.sleep(1_000); // almost three times B's 361 ms Active_Down_Interval; A keeps advertising
        b.signal("CONT");
        Thread.sleep(1_000);
        // The expired timer did not win over the adverts waiting in the socket: no flap, no advert from B.
        assertThat(b.events("VI_1")).containsExactly("INIT BACKUP startup");
        assertThat(bed.wire().advertsFrom(address(1))).isEmpty();
        assertThat(holdsVip(1)).isFalse();
        assertThat(holdsVip(0)).isTrue();
        assertThat(b.lines()).anySatisfy(line -> assertThat(line).contains("ms late (GC pause or stopped process?)"));
    }

    @Test
    void linkDownOnTheActiveIsAFaultAndTheBackupTakesOver() throws Exception {
        electAWithBBackup();
        bed.lan().exec(bed.host(0), "ip", "link", "set", "eth0", "down");
        a.awaitEvent("VI_1", "FAULT", Duration.ofSeconds(3));
        b.awaitEvent("VI_1", "MASTER", Duration.ofSeconds(3));
        assertThat(holdsVip(0)).isFalse();
        assertThat(holdsVip(1)).isTrue();

        bed.lan().exec(bed.host(0), "ip", "link", "set", "eth0", "up");
        a.awaitLine("EVENT VI_1 FAULT BACKUP fault_cleared");
        a.awaitEvent("VI_1", "MASTER", Duration.ofSeconds(5));
        assertThat(holdsVip(0)).isTrue();
    }

    /**
     * 20 times, another process deletes the VIP on the Active: it is back, announced, counted, and
     * no transition happens. The time from the kernel's deletion to its re-addition is read from
     * {@code ip -ts monitor address} in the Active's namespace (both events, microsecond stamps).
     */
    @Test
    void aVipRemovedBehindTheActivesBackIsAddedBackAndAnnouncedAgain() throws Exception {
        electAWithBBackup();
        Thread.sleep(300); // the takeover's own GARP burst is over
        long garpsBefore = garps();
        NetnsLan.Capture monitor = NetnsLan.Capture.of(bed.lan().startProcess(bed.host(0), "ip", "-ts", "monitor",
                "address"));
        Thread.sleep(200); // ip monitor has subscribed

        List<Double> backAfterMs = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            bed.lan().exec(bed.host(0), "ip", "addr", "del", VIP + "/24", "dev", "eth0");
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (monitorEvents(monitor).size() < 2 * (i + 1)) {
                assertThat(System.nanoTime() - deadline).as("VIP back on the Active within 2 s; monitor:\n"
                        + String.join("\n", monitor.lines())).isNegative();
                Thread.sleep(5);
            }
            List<String[]> events = monitorEvents(monitor);
            String[] deleted = events.get(2 * i);
            String[] added = events.get(2 * i + 1);
            assertThat(deleted[1]).as("event " + (2 * i)).isEqualTo("Deleted");
            assertThat(added[1]).as("event " + (2 * i + 1)).isEqualTo("Added");
            backAfterMs.add((java.time.LocalDateTime.parse(added[0]).toLocalTime().toNanoOfDay()
                    - java.time.LocalDateTime.parse(deleted[0]).toLocalTime().toNanoOfDay()) / 1e6);
            Thread.sleep(50);
        }
        List<Double> sorted = backAfterMs.stream().sorted().toList();
        System.out.printf("VIP deleted by another process on the Active, 20 times: back after median %.2f ms,"
                + " max (p99 of 20) %.2f ms (kernel event to kernel event)%n", sorted.get(9), sorted.getLast());

        assertThat(sorted.getLast()).as("ms until the VIP is back, worst of 20 (the issue's bound: 100 ms)")
                .isLessThan(100);
        a.awaitLine("virtual address " + VIP + "/24 was removed from eth0 by another process while Active");
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (garps() <= garpsBefore && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(garps()).as("a gratuitous ARP after the VIP was put back").isGreaterThan(garpsBefore);
        assertThat(a.events("VI_1")).as("no transition").containsExactly("INIT BACKUP startup",
                "BACKUP MASTER advert_timeout");
        assertThat(holdsVip(1)).isFalse();
        assertThat(a.terminate()).isZero();
        assertThat(a.awaitLine("COUNTERS VI_1 ")).as("counted in status").contains(" restored=20 ");
    }

    /** The VIP's events from {@code ip -ts monitor address}: [timestamp, "Deleted" or "Added"]. */
    private static List<String[]> monitorEvents(NetnsLan.Capture monitor) {
        List<String[]> events = new ArrayList<>();
        for (String line : monitor.lines()) {
            if (!line.startsWith("[") || !line.contains(" inet " + VIP + "/24 ")) {
                continue;
            }
            String stamp = line.substring(1, line.indexOf(']'));
            events.add(new String[] {stamp, line.contains("] Deleted ") ? "Deleted" : "Added"});
        }
        return events;
    }

    /**
     * keepalived's garp_lower_prio_repeat and vrrp_garp_interval: an Active that hears a
     * lower-priority router claim Active (host 2 forges the advert a partitioned Backup would send)
     * answers with an advert and announces the VIP again, as many times as configured; each burst's
     * gratuitous ARPs leave the configured gap apart.
     */
    @Test
    void anActiveHearingALowerPriorityClaimAnnouncesTheVipAgainWithTheConfiguredGaps() throws Exception {
        a = bed.startNode(0, "name=VI_1,vrid=51,interval=10,vips=" + VIP + "/24,priority=200,garp=3,lowerprio=2,"
                + "arpgap=50000");
        a.awaitEvent("VI_1", "MASTER", Duration.ofSeconds(5));
        awaitGarps(3);
        List<Double> takeoverBurst = garpTimes();
        for (int i = 1; i < takeoverBurst.size(); i++) {
            assertThat((takeoverBurst.get(i) - takeoverBurst.get(i - 1)) * 1000).as("gap between GARPs, ms")
                    .isGreaterThan(45);
        }
        Thread.sleep(300);
        assertThat(garps()).as("the takeover burst only").isEqualTo(3);

        bed.lan().runIn(bed.host(2), () -> {
            java.net.Inet6Address source6 = (java.net.Inet6Address) java.net.InetAddress.getByName(
                    bed.lan().linkLocalAddress(bed.host(2), NetnsLan.INTERFACE));
            try (PacketInjector injector = PacketInjector.open(NetnsLan.INTERFACE, NetnsLan.ipv4(2), source6)) {
                byte[] message = PacketInjector.advertisement(3, 51, 50, 10, java.net.InetAddress.getByName(VIP).getAddress());
                injector.sendIpv4(255, PacketInjector.withChecksum(message, injector.source4(), PacketInjector.IPV4_GROUP,
                        6, 0));
            }
            return null;
        });
        awaitGarps(5);
        Thread.sleep(300);
        assertThat(garps()).as("two more after the lower-priority claim, no more").isEqualTo(5);
        assertThat(a.events("VI_1")).containsExactly("INIT BACKUP startup", "BACKUP MASTER advert_timeout");
        assertThat(a.terminate()).isZero();
    }

    private void awaitGarps(long count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (garps() < count && System.nanoTime() - deadline < 0) {
            Thread.sleep(10);
        }
        assertThat(garps()).as("gratuitous ARPs for " + VIP).isGreaterThanOrEqualTo(count);
    }

    private List<Double> garpTimes() {
        return bed.wire().lines().stream().filter(line -> line.contains("ARP, Request who-has " + VIP)
                && line.contains("tell " + VIP)).map(line -> Double.parseDouble(line.substring(0, line.indexOf(' '))))
                .toList();
    }

    private long garps() {
        return bed.wire().lines().stream().filter(line -> line.contains("ARP, Request who-has " + VIP)
                && line.contains("tell " + VIP)).count();
    }
}
