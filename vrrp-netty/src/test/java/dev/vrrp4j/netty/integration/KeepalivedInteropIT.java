package dev.vrrp4j.netty.integration;

import dev.vrrp4j.netty.testing.KeepalivedInstance;
import dev.vrrp4j.netty.testing.KeepalivedProcess;
import dev.vrrp4j.netty.testing.LanExtension;
import dev.vrrp4j.netty.testing.NetnsLan;
import dev.vrrp4j.netty.testing.NodeProcess;
import dev.vrrp4j.netty.testing.WireLog.Advert;
import dev.vrrp4j.netty.testing.WireLog.Takeover;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * vrrp4j and keepalived (Debian's 2.2.7 and 2.4.3, the newest release) as the two routers of one virtual router on a real (namespaced) LAN,
 * at a 100 ms advertisement interval: each stays Backup under the other as Active, without a false
 * transition, and takes over within RFC 9568's intervals when the other dies (kill -9) or leaves
 * (priority 0); over IPv4 multicast, IPv4 unicast and IPv6. Who holds the VIPs is read from {@code ip addr} in each
 * namespace, keepalived's state from its {@code Entering ... STATE} log lines, what went on the
 * wire from tcpdump on the bridge. The Active (priority 200) runs in host 0 and the Backup
 * (priority 100) in host 1, whichever implementation each is; both sides carry the same VIPs. A
 * killed keepalived leaves its VIPs behind, as a crashed one would; only the new Active is checked.
 */
@ParameterizedClass(name = "keepalived {0}")
@ValueSource(strings = {"/usr/sbin/keepalived", "/opt/keepalived-2.4.3/sbin/keepalived"})
class KeepalivedInteropIT {
    /** Debian's 2.2.7 and the newest release, 2.4.3 (built by ../shared/peers/build-keepalived.sh). */
    private final Path binary;

    KeepalivedInteropIT(String binary) {
        this.binary = Path.of(binary);
    }

    private static final String ROUTER = "VI_1";
    private static final int VRID = 51;
    private static final int ACTIVE_PRIORITY = 200;
    private static final int BACKUP_PRIORITY = 100;
    /** RFC 9568 §6.1 for the Backup (priority 100) at 100 ms: 3 * 100 ms + (256 - 100) * 100 ms / 256. */
    private static final double DOWN_100_MS = 300 + (256 - BACKUP_PRIORITY) * 100 / 256.0;
    /** RFC 9568 §6.1 Skew_Time for the Backup: (256 - 100) * 100 ms / 256. */
    private static final double SKEW_100_MS = (256 - BACKUP_PRIORITY) * 100 / 256.0;
    /** Allowance for a loaded 2-core CI machine; precision itself is the benchmarks' business. */
    private static final double ALLOWANCE_MS = 100;
    /**
     * When keepalived is the one taking over, its own scheduling adds to the gap on a loaded 2-core
     * machine (seen: +103 ms from keepalived 2.4.3 once in a full CI run); vrrp4j's precision is
     * held to {@link #ALLOWANCE_MS} and measured by TakeoverTimingIT and the benchmarks.
     */
    private static final double KEEPALIVED_ALLOWANCE_MS = 250;
    private static final Duration STEADY = Duration.ofMillis(1_000);
    private static final Pattern TIMESTAMP = Pattern.compile("^(\\d+\\.\\d+) ");

    /** The two sides' common configuration: address family, VIPs, multicast or unicast. */
    private record Setup(String label, boolean ipv6, boolean unicast, List<String> vips) {
        static Setup ipv4(boolean unicast) {
            return new Setup(unicast ? "IPv4 unicast" : "IPv4 multicast", false, unicast, List.of("192.0.2.100/24"));
        }

        static Setup ipv6(String label, String... vips) {
            return new Setup(label, true, false, List.of(vips));
        }
    }

    @TempDir
    Path directory;

    @RegisterExtension
    final LanExtension bed = new LanExtension(3);
    private KeepalivedProcess keepalived;
    private NodeProcess node;
    /** eth0's link-local address in hosts 0 and 1, read before a link-local VIP joins it. */
    private final String[] linkLocal = new String[2];

    @BeforeEach
    void setUp() {
        assumeThat(KeepalivedProcess.isInstalled(binary)).as("keepalived is not installed at " + binary
                + " (2.4.3: bash ../shared/peers/build-keepalived.sh)").isTrue();
        for (int host = 0; host < linkLocal.length; host++) {
            linkLocal[host] = bed.lan().linkLocalAddress(bed.host(host), "eth0");
        }
    }

    // ------------------------------------------------------------------ scenarios

    @Test
    void ipv4MulticastVrrp4jStaysBackupUnderKeepalivedAndTakesOverWhenItIsKilled() throws Exception {
        keepalivedActiveVrrp4jBackupThenKill(Setup.ipv4(false), Duration.ofSeconds(2));
    }

    @Test
    void ipv4MulticastKeepalivedStaysBackupUnderVrrp4jAndTakesOverWhenItIsKilled() throws Exception {
        vrrp4jActiveKeepalivedBackupThenKill(Setup.ipv4(false));
    }

    @Test
    void ipv4MulticastKeepalivedTakesOverWithinSkewTimeWhenVrrp4jLeavesGracefully() throws Exception {
        Setup setup = Setup.ipv4(false);
        vrrp4jActiveKeepalivedBackup(setup);
        assertThat(node.terminate()).as("exit code of a graceful stop").isZero();
        assertGracefulTakeover(setup, "vrrp4j stops gracefully, keepalived takes over");
        keepalived.awaitState(ROUTER, "MASTER", Duration.ofSeconds(2));
        assertThat(node.events(ROUTER)).last().isEqualTo("MASTER INIT shutdown");
        assertHolds(setup, 1);
        assertHoldsNone(setup, 0);
    }

    @Test
    void ipv4MulticastVrrp4jTakesOverWithinSkewTimeWhenKeepalivedLeavesGracefully() throws Exception {
        Setup setup = Setup.ipv4(false);
        keepalivedActiveVrrp4jBackup(setup, STEADY);
        assertThat(keepalived.terminate()).as("keepalived's exit code after SIGTERM").isZero();
        double zero = assertGracefulTakeover(setup, "keepalived stops gracefully, vrrp4j takes over");
        node.awaitEvent(ROUTER, "MASTER", Duration.ofSeconds(2));
        assertThat(node.events(ROUTER)).last().isEqualTo("BACKUP MASTER active_sent_priority_0");
        assertHolds(setup, 1);
        assertHoldsNone(setup, 0);
        awaitAnnouncement(setup, zero);
    }

    /**
     * After a graceful stop of the Active in host 0: the Backup in host 1 sent its first
     * advertisement within Skew_Time of the Active's priority 0. Returns when that priority 0 was sent.
     */
    private double assertGracefulTakeover(Setup setup, String what) {
        Advert zero = bed.wire().awaitAdvert(source(setup, 0), 0, Duration.ofSeconds(2));
        Advert first = bed.wire().awaitAdvert(source(setup, 1), BACKUP_PRIORITY, Duration.ofSeconds(5));
        double gapMs = (first.epochSeconds() - zero.epochSeconds()) * 1000;
        System.out.printf("%s, %s: %.1f ms after priority 0 (RFC Skew_Time %.1f ms)%n", setup.label(), what, gapMs,
                SKEW_100_MS);
        double allowance = what.contains("keepalived takes over") ? KEEPALIVED_ALLOWANCE_MS : ALLOWANCE_MS;
        assertThat(gapMs).isBetween(SKEW_100_MS - 5, SKEW_100_MS + allowance);
        return zero.epochSeconds();
    }

    @Test
    void ipv4UnicastVrrp4jStaysBackupUnderKeepalivedAndTakesOverWhenItIsKilled() throws Exception {
        keepalivedActiveVrrp4jBackupThenKill(Setup.ipv4(true), STEADY);
        assertUnicastOnly();
    }

    @Test
    void ipv4UnicastKeepalivedStaysBackupUnderVrrp4jAndTakesOverWhenItIsKilled() throws Exception {
        vrrp4jActiveKeepalivedBackupThenKill(Setup.ipv4(true));
        assertUnicastOnly();
    }

    @Test
    void ipv6Vrrp4jStaysBackupUnderKeepalivedAndTakesOverWhenItIsKilled() throws Exception {
        keepalivedActiveVrrp4jBackupThenKill(Setup.ipv6("IPv6", "fe80::51/64", "2001:db8::100/64"), STEADY);
    }

    @Test
    void ipv6KeepalivedStaysBackupUnderVrrp4jAndTakesOverWhenItIsKilled() throws Exception {
        vrrp4jActiveKeepalivedBackupThenKill(Setup.ipv6("IPv6", "fe80::51/64", "2001:db8::100/64"));
    }

    /** keepalived then sends a global address first, which RFC 9568 §5.2.9 forbids; vrrp4j accepts it. */
    @Test
    void ipv6WithOnlyAGlobalVipVrrp4jStaysBackupUnderKeepalivedAndTakesOverWhenItIsKilled() throws Exception {
        keepalivedActiveVrrp4jBackupThenKill(Setup.ipv6("IPv6 global VIP only", "2001:db8::100/64"), STEADY);
    }

    /** And keepalived accepts the same from vrrp4j. */
    @Test
    void ipv6WithOnlyAGlobalVipKeepalivedStaysBackupUnderVrrp4jAndTakesOverWhenItIsKilled() throws Exception {
        vrrp4jActiveKeepalivedBackupThenKill(Setup.ipv6("IPv6 global VIP only", "2001:db8::100/64"));
    }

    // ------------------------------------------------------------------ flows

    /** keepalived Active in host 0, vrrp4j Backup in host 1; {@code steady} of watching; kill -9 keepalived. */
    private void keepalivedActiveVrrp4jBackupThenKill(Setup setup, Duration steady) throws Exception {
        keepalivedActiveVrrp4jBackup(setup, steady);
        keepalived.kill();
        double lastAdvert = assertKillTakeover(setup, "keepalived killed, vrrp4j takes over");
        node.awaitEvent(ROUTER, "MASTER", Duration.ofSeconds(2));
        assertThat(node.events(ROUTER)).last().isEqualTo("BACKUP MASTER advert_timeout");
        assertHolds(setup, 1);
        awaitAnnouncement(setup, lastAdvert);
    }

    /** keepalived Active in host 0, vrrp4j Backup in host 1, both elected and watched for {@code steady}. */
    private void keepalivedActiveVrrp4jBackup(Setup setup, Duration steady) throws Exception {
        keepalived = bed.startKeepalived(binary, 0, directory, keepalivedInstance(setup, 0, ACTIVE_PRIORITY));
        keepalived.awaitState(ROUTER, "MASTER", Duration.ofSeconds(5));
        bed.wire().awaitAdvert(source(setup, 0), ACTIVE_PRIORITY, Duration.ofSeconds(5));
        node = vrrp4j(setup, 1, BACKUP_PRIORITY);
        node.awaitEvent(ROUTER, "BACKUP", Duration.ofSeconds(5));
        Thread.sleep(steady.toMillis());

        assertThat(node.events(ROUTER)).as("vrrp4j transitions under keepalived").containsExactly("INIT BACKUP startup");
        assertThat(bed.wire().advertsFrom(source(setup, 1))).as("adverts from the vrrp4j Backup").isEmpty();
        assertThat(keepalived.states(ROUTER)).as("keepalived states").last().isEqualTo("MASTER");
        assertThat(keepalived.states(ROUTER)).as("keepalived states").containsOnlyOnce("MASTER");
        assertThat(bed.wire().advertsFrom(source(setup, 0))).as("keepalived adverts").hasSizeGreaterThan(5)
                .allSatisfy(advert -> assertThat(advert.priority()).isEqualTo(ACTIVE_PRIORITY));
        assertHolds(setup, 0);
        assertHoldsNone(setup, 1);
    }

    /** vrrp4j Active in host 0, keepalived Backup in host 1, both elected and watched for {@link #STEADY}. */
    private void vrrp4jActiveKeepalivedBackup(Setup setup) throws Exception {
        node = vrrp4j(setup, 0, ACTIVE_PRIORITY);
        node.awaitEvent(ROUTER, "MASTER", Duration.ofSeconds(5));
        bed.wire().awaitAdvert(source(setup, 0), ACTIVE_PRIORITY, Duration.ofSeconds(5));
        keepalived = bed.startKeepalived(binary, 1, directory, keepalivedInstance(setup, 1, BACKUP_PRIORITY));
        keepalived.awaitState(ROUTER, "BACKUP", Duration.ofSeconds(5));
        Thread.sleep(STEADY.toMillis());

        assertThat(keepalived.states(ROUTER)).as("keepalived states under vrrp4j").containsOnly("BACKUP");
        assertThat(bed.wire().advertsFrom(source(setup, 1))).as("adverts from the keepalived Backup").isEmpty();
        assertThat(node.events(ROUTER)).as("vrrp4j transitions").containsExactly("INIT BACKUP startup",
                "BACKUP MASTER advert_timeout");
        assertHolds(setup, 0);
        assertHoldsNone(setup, 1);
    }

    private void vrrp4jActiveKeepalivedBackupThenKill(Setup setup) throws Exception {
        vrrp4jActiveKeepalivedBackup(setup);
        node.kill();
        double lastAdvert = assertKillTakeover(setup, "vrrp4j killed, keepalived takes over");
        keepalived.awaitState(ROUTER, "MASTER", Duration.ofSeconds(2));
        assertThat(keepalived.states(ROUTER)).last().isEqualTo("MASTER");
        assertHolds(setup, 1);
        awaitAnnouncement(setup, lastAdvert);
    }

    /**
     * After a kill -9 of the Active in host 0: the Backup in host 1 sent its first advertisement
     * within Active_Down_Interval of the Active's last, which was not a priority 0. Returns the
     * time of that last advertisement.
     */
    private double assertKillTakeover(Setup setup, String what) {
        Takeover takeover = bed.wire().awaitTakeover(source(setup, 0), source(setup, 1), BACKUP_PRIORITY,
                Duration.ofSeconds(5));
        System.out.printf("%s, %s: %.1f ms after the last advert (RFC Active_Down_Interval %.1f ms)%n",
                setup.label(), what, takeover.gapMs(), DOWN_100_MS);
        double allowance = what.contains("keepalived takes over") ? KEEPALIVED_ALLOWANCE_MS : ALLOWANCE_MS;
        assertThat(takeover.gapMs()).isBetween(DOWN_100_MS - 5, DOWN_100_MS + allowance);
        assertThat(takeover.last().priority()).as("a killed Active sends no priority 0").isEqualTo(ACTIVE_PRIORITY);
        return takeover.last().epochSeconds();
    }

    // ------------------------------------------------------------------ the two sides

    private NodeProcess vrrp4j(Setup setup, int host, int priority) {
        StringBuilder arg = new StringBuilder("name=" + ROUTER + ",vrid=" + VRID + ",interval=10,priority=" + priority
                + ",vips=" + String.join("+", setup.vips()));
        if (setup.ipv6()) {
            arg.append(",family=ipv6");
        }
        if (setup.unicast()) {
            arg.append(",src=").append(NetnsLan.ipv4(host).getHostAddress())
                    .append(",peers=").append(NetnsLan.ipv4(1 - host).getHostAddress());
        }
        return bed.startNode(host, arg.toString());
    }

    private static KeepalivedInstance keepalivedInstance(Setup setup, int host, int priority) {
        KeepalivedInstance instance = KeepalivedInstance.of(ROUTER, VRID, priority, setup.vips().toArray(String[]::new))
                .state(priority == ACTIVE_PRIORITY ? "MASTER" : "BACKUP").advertIntervalCentis(10);
        if (setup.unicast()) {
            instance.unicast(NetnsLan.ipv4(host).getHostAddress(), NetnsLan.ipv4(1 - host).getHostAddress());
        }
        return instance;
    }

    // ------------------------------------------------------------------ what a user would see

    /** The source address of host {@code host}'s advertisements: eth0's IPv4 address or its link-local one. */
    private String source(Setup setup, int host) {
        return setup.ipv6() ? linkLocal[host] : NetnsLan.ipv4(host).getHostAddress();
    }

    private void assertHolds(Setup setup, int host) {
        String addresses = bed.lan().ipAddr(bed.host(host));
        for (String vip : setup.vips()) {
            assertThat(addresses).as("addresses of host %d", host).contains(" " + vip + " ");
        }
    }

    private void assertHoldsNone(Setup setup, int host) {
        String addresses = bed.lan().ipAddr(bed.host(host));
        for (String vip : setup.vips()) {
            assertThat(addresses).as("addresses of host %d", host).doesNotContain(" " + vip + " ");
        }
    }

    /** Both sides advertised (one before, the other after the takeover), each only to the other. */
    private void assertUnicastOnly() {
        for (int host = 0; host < 2; host++) {
            String peer = NetnsLan.ipv4(1 - host).getHostAddress();
            assertThat(bed.wire().advertsFrom(NetnsLan.ipv4(host).getHostAddress())).as("adverts from host %d", host)
                    .isNotEmpty().allSatisfy(advert -> assertThat(advert.line()).contains(" > " + peer + ": "));
        }
        assertThat(bed.wire().lines()).as("the wire").noneMatch(line -> line.contains("224.0.0.18"));
    }

    /**
     * Waits for the new Active's gratuitous ARP (IPv4) or unsolicited NA (IPv6) for the (first global)
     * VIP sent after {@code afterEpochSeconds}: the old Active announced the same address earlier.
     */
    private void awaitAnnouncement(Setup setup, double afterEpochSeconds) throws InterruptedException {
        String vip = setup.vips().stream().filter(v -> !v.startsWith("fe80:")).findFirst().orElseThrow();
        String address = vip.substring(0, vip.indexOf('/'));
        List<String> fragments = setup.ipv6()
                ? List.of("neighbor advertisement", "tgt is " + address)
                : List.of("ARP, Request who-has " + address, "tell " + address);
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (true) {
            Optional<String> line = bed.wire().lines().stream()
                    .filter(l -> fragments.stream().allMatch(l::contains))
                    .filter(l -> epochSeconds(l) > afterEpochSeconds)
                    .findFirst();
            if (line.isPresent()) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no announcement " + fragments + " after " + afterEpochSeconds
                        + " on the wire; captured:\n" + String.join("\n", bed.wire().lines()));
            }
            Thread.sleep(20);
        }
    }

    private static double epochSeconds(String line) {
        Matcher m = TIMESTAMP.matcher(line);
        return m.find() ? Double.parseDouble(m.group(1)) : 0;
    }
}
