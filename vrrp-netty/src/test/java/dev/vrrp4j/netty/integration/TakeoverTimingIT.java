package dev.vrrp4j.netty.integration;

import dev.vrrp4j.netty.testing.LanExtension;
import dev.vrrp4j.netty.testing.NetnsLan;
import dev.vrrp4j.netty.testing.NodeProcess;
import dev.vrrp4j.netty.testing.WireLog.Advert;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How long the Backup (priority 100) takes to replace the Active (priority 200), measured on the
 * wire (tcpdump timestamps on the bridge) and held to RFC 9568 §6.1, at 1 s and 100 ms for IPv4
 * and 100 ms for IPv6:
 *
 * <ul>
 *   <li>kill -9: from the Active's last advertisement to the Backup's first, which must be
 *       Active_Down_Interval = 3 * I + Skew_Time;</li>
 *   <li>graceful stop: from the Active's priority-0 advertisement to the Backup's first, which
 *       must be Skew_Time = (256 - 100) * I / 256.</li>
 * </ul>
 *
 * A timer cannot fire early, so the lower bound is the RFC value less 5 ms of timestamp noise; the
 * upper bound allows 100 ms for a loaded 2-core CI machine (precision itself is the benchmarks'
 * business). The new IPv6 Active must also announce its global address with an unsolicited
 * neighbor advertisement.
 */
class TakeoverTimingIT {
    private static final int ACTIVE_PRIORITY = 200;
    private static final int BACKUP_PRIORITY = 100;
    private static final double ALLOWANCE_MS = 100;
    private static final double EARLY_MS = 5;
    private static final String VIP4 = "192.0.2.100";
    private static final String VIP6 = "2001:db8::100";
    private static final List<String> TABLE = new CopyOnWriteArrayList<>();

    enum Scenario {
        /** kill -9: the Backup notices silence. */
        KILL("kill -9", "Active_Down_Interval"),
        /** SIGTERM: the Active sends priority 0 (RFC 9568 §6.4.3). */
        GRACEFUL("graceful", "Skew_Time");

        final String label;
        final String rfcName;

        Scenario(String label, String rfcName) {
            this.label = label;
            this.rfcName = rfcName;
        }

        /** The RFC 9568 §6.1 value, in ms, for a Backup of priority 100 at interval {@code intervalMs}. */
        double rfcMs(double intervalMs) {
            double skew = (256 - BACKUP_PRIORITY) * intervalMs / 256;
            return this == KILL ? 3 * intervalMs + skew : skew;
        }
    }

    @RegisterExtension
    final LanExtension bed = new LanExtension(2);
    private NodeProcess active;
    private NodeProcess backup;

    @AfterAll
    static void printTable() {
        System.out.println("family interval scenario  measured      RFC 9568 §6.1               difference");
        TABLE.forEach(System.out::println);
    }

    @ParameterizedTest(name = "{0} at {1} cs, {2}")
    @CsvSource({
            "ipv4, 100, KILL",
            "ipv4, 100, GRACEFUL",
            "ipv4, 10, KILL",
            "ipv4, 10, GRACEFUL",
            "ipv6, 10, KILL",
            "ipv6, 10, GRACEFUL",
    })
    void theBackupTakesOverWhenTheRfcSays(String family, int intervalCentis, Scenario scenario) throws Exception {
        boolean ipv6 = family.equals("ipv6");
        // Read before the nodes start: an Active adds fe80::51, which `ip` may then list first.
        String sourceA = ipv6 ? bed.lan().linkLocalAddress(bed.host(0), NetnsLan.INTERFACE) : NetnsLan.ipv4(0).getHostAddress();
        String sourceB = ipv6 ? bed.lan().linkLocalAddress(bed.host(1), NetnsLan.INTERFACE) : NetnsLan.ipv4(1).getHostAddress();
        String router = "name=VI_1,family=" + family + ",vrid=51,interval=" + intervalCentis + ",vips="
                + (ipv6 ? "fe80::51/64+" + VIP6 + "/64" : VIP4 + "/24") + ",priority=";
        double intervalMs = intervalCentis * 10.0;
        Duration election = Duration.ofMillis((long) (4 * intervalMs) + 5_000);

        active = bed.startNode(0, router + ACTIVE_PRIORITY);
        backup = bed.startNode(1, router + BACKUP_PRIORITY);
        backup.awaitEvent("VI_1", "BACKUP", election);
        double backupListening = epochSeconds();
        active.awaitEvent("VI_1", "MASTER", election);
        // The Backup has heard the Active at least once: its timer runs on the Active's interval.
        awaitAdvert(sourceA, ACTIVE_PRIORITY, backupListening, election);

        Advert before;
        if (scenario == Scenario.KILL) {
            active.kill();
            before = null;
        } else {
            assertThat(active.terminate()).isZero();
            before = awaitAdvert(sourceA, 0, 0, Duration.ofSeconds(2));
        }
        Advert first = awaitAdvert(sourceB, BACKUP_PRIORITY, 0, Duration.ofMillis((long) (4 * intervalMs) + 2_000));
        if (before == null) {
            before = bed.wire().advertsFrom(sourceA).stream().filter(a -> a.epochSeconds() < first.epochSeconds())
                    .reduce((x, y) -> y).orElseThrow();
            assertThat(before.priority()).isEqualTo(ACTIVE_PRIORITY);
        }
        backup.awaitEvent("VI_1", "MASTER", Duration.ofSeconds(2));

        double measuredMs = (first.epochSeconds() - before.epochSeconds()) * 1000;
        double rfcMs = scenario.rfcMs(intervalMs);
        String line = String.format("%-6s %5.0f ms %-9s %8.1f ms   %-20s %7.1f ms   %+6.1f ms", family, intervalMs,
                scenario.label, measuredMs, scenario.rfcName, rfcMs, measuredMs - rfcMs);
        TABLE.add(line);
        System.out.println("takeover: " + line);
        assertThat(measuredMs).as(line).isBetween(rfcMs - EARLY_MS, rfcMs + ALLOWANCE_MS);

        // The new Active holds the addresses and tells the LAN where they live now (RFC 9568 §6.4.2):
        // gratuitous ARP, or an unsolicited neighbor advertisement for the global IPv6 address.
        double takeover = before.epochSeconds();
        String addressesB = bed.lan().ipAddr(bed.host(1));
        if (ipv6) {
            assertThat(addressesB).contains(" " + VIP6 + "/64", " fe80::51/64");
            awaitLine(l -> l.contains("neighbor advertisement") && l.contains("tgt is " + VIP6)
                    && timestamp(l) > takeover, Duration.ofSeconds(2));
        } else {
            assertThat(addressesB).contains(" " + VIP4 + "/24");
            awaitLine(l -> l.contains("ARP, Request who-has " + VIP4) && timestamp(l) > takeover, Duration.ofSeconds(2));
        }
        if (scenario == Scenario.GRACEFUL) {
            assertThat(bed.lan().ipAddr(bed.host(0))).doesNotContain(ipv6 ? VIP6 : VIP4);
        }
    }

    // ------------------------------------------------------------------ wire helpers

    /** The first advertisement from {@code source} at {@code priority} captured after {@code afterEpochSeconds}. */
    private Advert awaitAdvert(String source, int priority, double afterEpochSeconds, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            for (Advert advert : bed.wire().advertsFrom(source)) {
                if (advert.priority() == priority && advert.epochSeconds() > afterEpochSeconds) {
                    return advert;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no advertisement from " + source + " at priority " + priority + " within "
                        + timeout + "; captured:\n" + String.join("\n", bed.wire().lines()));
            }
            Thread.sleep(5);
        }
    }

    private void awaitLine(java.util.function.Predicate<String> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (bed.wire().lines().stream().noneMatch(condition)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no matching line within " + timeout + "; captured:\n"
                        + String.join("\n", bed.wire().lines()));
            }
            Thread.sleep(5);
        }
    }

    /** The tcpdump -tt timestamp a line starts with; 0 for a line without one. */
    private static double timestamp(String line) {
        int space = line.indexOf(' ');
        try {
            return space > 0 ? Double.parseDouble(line.substring(0, space)) : 0;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static double epochSeconds() {
        java.time.Instant now = java.time.Instant.now();
        return now.getEpochSecond() + now.getNano() / 1e9;
    }
}
