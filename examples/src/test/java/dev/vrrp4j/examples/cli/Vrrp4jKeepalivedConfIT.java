package dev.vrrp4j.examples.cli;

import dev.vrrp4j.netty.testing.KeepalivedProcess;
import dev.vrrp4j.netty.testing.NetnsLan;
import dev.vrrp4j.netty.testing.WireLog;
import dev.vrrp4j.netty.testing.WireLog.Advert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * {@code bin/vrrp4j --config keepalived.conf} the way an operator runs it, on a real (namespaced)
 * LAN: the launch script, the shaded jar, keepalived.conf files generated from one template per
 * host, at a 100 ms advertisement interval.
 *
 * <ul>
 * <li>Two vrrp4j nodes (priorities 150 and 100) elect, log their transitions, move the VIP when the
 *     Active's {@code vrrp_script} starts failing (weight -100) and back when it recovers, run the
 *     notify scripts with keepalived's arguments in order, and the Active leaves on SIGTERM with
 *     priority 0, its VIP removed, {@code notify_stop} run and exit status 0.</li>
 * <li>vrrp4j between two keepalived 2.2.7 (150, vrrp4j 100, 50) over unicast, all three running the
 *     same generated files: vrrp4j takes over when the keepalived Active is killed (-9), and a
 *     keepalived takes over when vrrp4j is.</li>
 * <li>VRRPv2 next to keepalived 2.2.7, both on the classic file of the usual two-server guide (no
 *     {@code version} line, {@code advert_int 1}, a PASS password, unicast): vrrp4j stays Backup under
 *     keepalived and takes over after RFC 3768's Master_Down_Interval when it is killed (-9); keepalived
 *     stays Backup under vrrp4j and takes over within Skew_Time when vrrp4j leaves on SIGTERM. Both
 *     sides' adverts, as tcpdump -vv decodes them, carry the password the same way.</li>
 * <li>{@code virtual_ipaddress_excluded} next to keepalived 2.2.7, an IPv4 and an IPv6 address on an IPv4
 *     instance: installed and announced with the VIP by the Active, put back when deleted by hand,
 *     swapped in place by SIGHUP, removed on SIGTERM, never in an advertisement (tcpdump -vv shows one
 *     address from either side).</li>
 * <li>The cloud floating-IP pattern next to keepalived 2.2.7: VRRPv2 without {@code virtual_ipaddress},
 *     adverts with no address both ways, notify_master run by whichever side becomes Active.</li>
 * <li>Multicast groups other than RFC 9568's ({@code vrrp_mcast_group4}, {@code mcast_dst_ip ff02::19}) next
 *     to keepalived 2.2.7 with the same file: adverts go only to those groups, each side hears the
 *     other there (keepalived stays Backup under vrrp4j; a restarted vrrp4j preempts keepalived).</li>
 * <li>Weighted {@code track_interface} next to keepalived 2.2.7: the tracked link going down lowers
 *     vrrp4j's priority so keepalived preempts, without Fault; up again, vrrp4j preempts back.</li>
 * <li>{@code --status-port}: JSON at /status and Prometheus text at /metrics, on loopback only.</li>
 * <li>The same program on the module path, native access granted only to vrrp4j's and Netty's modules.</li>
 * </ul>
 *
 * Who holds the VIP is read from {@code ip addr} in each namespace, what went on the wire from
 * tcpdump on the bridge, vrrp4j's transitions from its log lines, keepalived's from its
 * {@code Entering ... STATE} lines. Processes are ended by PID only.
 */
class Vrrp4jKeepalivedConfIT {
    private static final String VIP = "192.0.2.100/24";
    private static final int STATUS_PORT = 9100;
    private static final Pattern TRANSITION = Pattern.compile(" INFO VI_1: (\\S+ -> \\S+ \\(.+\\))$");
    /** Faster JVM start on a small CI machine; passed through bin/vrrp4j's VRRP4J_JAVA_OPTS. */
    private static final String JAVA_OPTS = "VRRP4J_JAVA_OPTS=-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xmx64m";
    /** RFC 3768 §6.1: Skew_Time = (256 - Priority) / 256 s, for the secondary (100) of classic-v2.conf.in. */
    private static final double V2_SKEW_MS = (256 - 100) * 1000 / 256.0;
    /** RFC 3768 §6.1: Master_Down_Interval = 3 * Advertisement_Interval + Skew_Time, at advert_int 1. */
    private static final double V2_MASTER_DOWN_MS = 3 * 1000 + V2_SKEW_MS;
    /** What tcpdump -vv prints after the priority of a classic-v2.conf.in advert, as keepalived sends it: a
     * "(bad vrrp cksum ...)" would come before the addresses, a wrong password in the quotes. */
    private static final String CLASSIC_V2_TAIL = ", authtype simple, intvl 1s, length 20, addrs: 192.0.2.100"
            + " auth \"Pa55w0rd\"";
    /** IPv4 header of a VRRP advert per tcpdump -vv: TTL 255 (RFC 3768 §5.2.3), TOS 0xc0 as keepalived sets it. */
    private static final String CLASSIC_V2_IP_HEADER = "(tos 0xc0, ttl 255, ";
    /** The interface of the host running bin/vrrp4j in the v2 tests: a pair's files may differ in it. */
    private static final String RENAMED_INTERFACE = "ens18";

    private static Path launcher;

    @TempDir
    Path directory;

    private NetnsLan lan;
    private WireLog wire;
    private final List<AutoCloseable> started = new ArrayList<>();

    @BeforeAll
    static void findLauncher() {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath();
        Path root = module.getParent();
        launcher = root.resolve("bin/vrrp4j");
        assertThat(launcher).as("the launch script").isExecutable();
        assertThat(root.resolve("examples/target/vrrp4j.jar")).as("the shaded jar (mvn package builds it)")
                .isRegularFile();
    }

    @AfterEach
    void tearDown() throws Exception {
        try (NetnsLan closingLan = lan; WireLog closingWire = wire) {
            for (AutoCloseable closeable : started.reversed()) {
                closeable.close();
            }
        }
    }

    // ------------------------------------------------------------------ (a) two vrrp4j nodes

    @Test
    void twoNodesFailOverOnAFailingCheckRunNotifyScriptsAndLeaveOnSigterm() throws Exception {
        lan = NetnsLan.create(2);
        wire = WireLog.start(lan);
        writeExecutable(directory.resolve("check.sh"), "#!/bin/sh\nexec test -f \"$1\"\n");
        Path[] configs = new Path[2];
        int[] priorities = {150, 100};
        for (int host = 0; host < 2; host++) {
            Path hostDir = Files.createDirectories(directory.resolve("h" + host));
            Files.writeString(hostDir.resolve("healthy"), "");
            for (String script : List.of("notify_master.sh", "notify_backup.sh", "notify_stop.sh", "notify.sh")) {
                writeExecutable(hostDir.resolve(script),
                        "#!/bin/sh\necho \"$(basename \"$0\") $*\" >> \"$(dirname \"$0\")/notify.log\"\n");
            }
            configs[host] = generate("pair.conf.in", host, Map.of("@DIR@", directory.toString(),
                    "@PRIORITY@", Integer.toString(priorities[host])));
        }
        Path healthy0 = directory.resolve("h0/healthy");

        // Election: h0 (150) alone becomes Active; h1 (100) joins as Backup and stays there.
        CliNode a = CliNode.start(this, 0, configs[0], "--status-port", Integer.toString(STATUS_PORT));
        a.awaitTransition("BACKUP -> MASTER (advert timeout)", Duration.ofSeconds(5));
        wire.awaitAdvert(ipv4(0), 150, Duration.ofSeconds(2));
        awaitVip(0, true);
        CliNode b = CliNode.start(this, 1, configs[1]);
        b.awaitTransition("INIT -> BACKUP (startup)", Duration.ofSeconds(5));
        Thread.sleep(1_000);
        assertThat(b.transitions()).as("h1 under the Active").containsExactly("INIT -> BACKUP (startup)");
        assertThat(a.transitions()).as("h0").containsExactly("INIT -> BACKUP (startup)",
                "BACKUP -> MASTER (advert timeout)");
        assertThat(wire.advertsFrom(ipv4(1))).as("adverts from the Backup").isEmpty();
        assertThat(holdsVip(1)).as("h1 holds the VIP").isFalse();

        // The Active's check fails: priority 150 - 100 = 50, h1 (100) preempts it.
        Files.delete(healthy0);
        a.awaitLine("check chk_service is now failing", Duration.ofSeconds(5));
        wire.awaitAdvert(ipv4(0), 50, Duration.ofSeconds(2));
        b.awaitTransition("BACKUP -> MASTER (preempting lower priority)", Duration.ofSeconds(3));
        a.awaitTransition("MASTER -> BACKUP (higher priority advert)", Duration.ofSeconds(2));
        awaitVip(1, true);
        awaitVip(0, false);
        String status = curl(0, "/status");
        assertThat(status).as("/status of h0 after its check failed").contains("\"name\":\"VI_1\"",
                "\"state\":\"BACKUP\"", "\"priority\":50", "\"configuredPriority\":150",
                "\"activeAddress\":\"" + ipv4(1) + "\"");

        // The check recovers: h0 is back at 150 and preempts h1.
        Files.writeString(healthy0, "");
        a.awaitLine("check chk_service is now healthy", Duration.ofSeconds(5));
        a.awaitTransition("BACKUP -> MASTER (preempting lower priority)", Duration.ofSeconds(3));
        b.awaitTransition("MASTER -> BACKUP (higher priority advert)", Duration.ofSeconds(2));
        awaitVip(0, true);
        awaitVip(1, false);

        // SIGTERM: h0 leaves with priority 0 and removes the VIP; h1 takes over within Skew_Time.
        assertThat(a.terminate()).as("exit status after SIGTERM; output:\n" + a.output()).isZero();
        Advert zero = wire.awaitAdvert(ipv4(0), 0, Duration.ofSeconds(2));
        b.awaitTransition("BACKUP -> MASTER (active sent priority 0)", Duration.ofSeconds(2));
        Advert first = awaitAdvertAfter(ipv4(1), zero.epochSeconds());
        assertThat(first.priority()).isEqualTo(100);
        assertThat((first.epochSeconds() - zero.epochSeconds()) * 1000).as("ms from priority 0 to h1's first advert"
                + " (RFC 9568 Skew_Time for priority 100: 61 ms)").isLessThan(500);
        assertThat(a.transitions()).last().isEqualTo("MASTER -> INIT (shutdown)");
        assertThat(a.output()).last().isEqualTo("vrrp4j: stopped");
        assertThat(holdsVip(0)).as("h0 holds the VIP after leaving").isFalse();
        awaitVip(1, true);

        assertThat(notifyLog(0)).as("notify scripts run on h0, in order").containsExactly(
                "notify_backup.sh ", "notify.sh generic INSTANCE VI_1 BACKUP 150",
                "notify_master.sh ", "notify.sh generic INSTANCE VI_1 MASTER 150",
                "notify_backup.sh ", "notify.sh generic INSTANCE VI_1 BACKUP 50",
                "notify_master.sh ", "notify.sh generic INSTANCE VI_1 MASTER 150",
                "notify_stop.sh ", "notify.sh generic INSTANCE VI_1 STOP 150");
        awaitNotifyLogSize(1, 8);
        assertThat(notifyLog(1)).as("notify scripts run on h1, in order").containsExactly(
                "notify_backup.sh ", "notify.sh generic INSTANCE VI_1 BACKUP 100",
                "notify_master.sh ", "notify.sh generic INSTANCE VI_1 MASTER 100",
                "notify_backup.sh ", "notify.sh generic INSTANCE VI_1 BACKUP 100",
                "notify_master.sh ", "notify.sh generic INSTANCE VI_1 MASTER 100");
    }

    // ------------------------------------------------------------------ (b) next to keepalived

    @Test
    void vrrp4jAndKeepalivedRunTheSameFileAndTakeOverFromEachOtherWhenKilled() throws Exception {
        assumeThat(KeepalivedProcess.isInstalled()).as("keepalived at " + KeepalivedProcess.BINARY).isTrue();
        lan = NetnsLan.create(3);
        wire = WireLog.start(lan);
        int[] priorities = {150, 100, 50};
        Path[] configs = new Path[3];
        for (int host = 0; host < 3; host++) {
            int self = host;
            String peers = java.util.stream.IntStream.range(0, 3).filter(h -> h != self)
                    .mapToObj(h -> "        " + ipv4(h)).collect(Collectors.joining("\n"));
            configs[host] = generate("interop.conf.in", host, Map.of("@PRIORITY@", Integer.toString(priorities[host]),
                    "@SRC@", ipv4(host), "@PEERS@", peers));
        }

        // keepalived (150) in h0 is Active; vrrp4j (100) in h1 and keepalived (50) in h2 stay Backup.
        KeepalivedProcess k0 = keepalived(0, configs[0]);
        k0.awaitState("VI_1", "MASTER", Duration.ofSeconds(5));
        CliNode node = CliNode.start(this, 1, configs[1]);
        node.awaitTransition("INIT -> BACKUP (startup)", Duration.ofSeconds(5));
        KeepalivedProcess k2 = keepalived(2, configs[2]);
        k2.awaitState("VI_1", "BACKUP", Duration.ofSeconds(5));
        Thread.sleep(1_000);
        assertThat(node.transitions()).as("vrrp4j under keepalived").containsExactly("INIT -> BACKUP (startup)");
        assertThat(k0.states("VI_1")).as("keepalived h0").containsExactly("BACKUP", "MASTER");
        assertThat(k2.states("VI_1")).as("keepalived h2").containsOnly("BACKUP");
        assertThat(wire.advertsFrom(ipv4(1))).as("adverts from vrrp4j").isEmpty();
        assertThat(wire.advertsFrom(ipv4(0))).as("keepalived's adverts").hasSizeGreaterThan(10)
                .allSatisfy(advert -> assertThat(advert.priority()).isEqualTo(150));
        assertThat(holdsVip(0)).isTrue();
        assertThat(holdsVip(1)).isFalse();
        assertThat(holdsVip(2)).isFalse();

        // kill -9 of keepalived's VRRP process: vrrp4j (100) outranks keepalived (50) and takes over.
        k0.kill();
        wire.awaitAdvert(ipv4(1), 100, Duration.ofSeconds(3));
        node.awaitTransition("BACKUP -> MASTER (advert timeout)", Duration.ofSeconds(2));
        assertThat(wire.advertsFrom(ipv4(0)).getLast().priority()).as("a killed keepalived sends no priority 0")
                .isEqualTo(150);
        awaitVip(1, true);
        Thread.sleep(500);
        assertThat(k2.states("VI_1")).as("keepalived h2 under vrrp4j").containsOnly("BACKUP");
        assertThat(holdsVip(2)).isFalse();
        assertThat(wire.advertsFrom(ipv4(1))).as("vrrp4j's adverts, to its unicast peers")
                .allSatisfy(advert -> assertThat(advert.line()).containsAnyOf(" > " + ipv4(0) + ": ",
                        " > " + ipv4(2) + ": "));

        // kill -9 of vrrp4j: the keepalived Backup takes over.
        node.kill();
        wire.awaitAdvert(ipv4(2), 50, Duration.ofSeconds(3));
        k2.awaitState("VI_1", "MASTER", Duration.ofSeconds(2));
        assertThat(wire.advertsFrom(ipv4(1)).getLast().priority()).as("a killed vrrp4j sends no priority 0")
                .isEqualTo(100);
        awaitVip(2, true);
        assertThat(wire.lines()).as("unicast only").noneMatch(line -> line.contains("224.0.0.18"));
    }

    /**
     * notify_fifo and vrrp_notify_fifo: vrrp4j and keepalived 2.2.7 run the same file alone, become
     * Active and are stopped, and write the same lines. notify_fifo is an existing FIFO the test
     * reads itself (keepalived's own reader script can miss the STOP line: it is signalled as
     * keepalived exits); vrrp_notify_fifo is created by the daemon and read by its script.
     */
    @Test
    void theNotifyFifosGetKeepalivedsLinesInOrderAndTheirScriptReadsThem() throws Exception {
        assumeThat(KeepalivedProcess.isInstalled()).as("keepalived at " + KeepalivedProcess.BINARY).isTrue();
        lan = NetnsLan.create(2);
        List<List<String>> linesByHost = new ArrayList<>();
        for (int host = 0; host < 2; host++) {
            Path hostDir = Files.createDirectories(directory.resolve("fifo-h" + host));
            writeExecutable(hostDir.resolve("reader.sh"), "#!/bin/sh\nexec cat \"$1\" > " + hostDir.resolve("script-lines") + "\n");
            lan.run("mkfifo", hostDir.resolve("all.fifo").toString());
            lan.startProcess(lan.host(host), "sh", "-c", "exec cat " + hostDir.resolve("all.fifo") + " > "
                    + hostDir.resolve("lines"));
            Path config = Files.writeString(hostDir.resolve("fifo.conf"), oneInstance("""
                        notify_fifo @DIR@/all.fifo
                        vrrp_notify_fifo @DIR@/vrrp.fifo
                        vrrp_notify_fifo_script @DIR@/reader.sh
                        vrrp_garp_master_delay 0
                    """.replace("@DIR@", hostDir.toString())));
            if (host == 0) {
                CliNode node = CliNode.start(this, 0, config);
                node.awaitTransition("BACKUP -> MASTER (advert timeout)", Duration.ofSeconds(5));
                assertThat(hostDir.resolve("vrrp.fifo")).as("the FIFO vrrp4j created").exists();
                assertThat(node.terminate()).isZero();
                assertThat(awaitLines(hostDir.resolve("script-lines"), 3)).as("what vrrp4j's FIFO script read")
                        .containsExactly("INSTANCE \"VI_1\" BACKUP 150", "INSTANCE \"VI_1\" MASTER 150",
                                "INSTANCE \"VI_1\" STOP 150");
            } else {
                KeepalivedProcess keepalived = keepalived(1, config);
                keepalived.awaitState("VI_1", "MASTER", Duration.ofSeconds(5));
                assertThat(keepalived.terminate()).isZero();
            }
            linesByHost.add(awaitLines(hostDir.resolve("lines"), 3));
            assertThat(hostDir.resolve("vrrp.fifo")).as("a FIFO it created is removed at exit").doesNotExist();
            assertThat(hostDir.resolve("all.fifo")).as("one it found stays").exists();
        }
        assertThat(linesByHost.get(0)).as("vrrp4j's lines").containsExactly("INSTANCE \"VI_1\" BACKUP 150",
                "INSTANCE \"VI_1\" MASTER 150", "INSTANCE \"VI_1\" STOP 150");
        assertThat(linesByHost.get(0)).as("the same as keepalived's").isEqualTo(linesByHost.get(1));
    }

    /** {@code global_defs} with these lines, and VI_1 on eth0 (VRID 51, priority 150, 0.1 s, VRRPv3, the VIP). */
    private static String oneInstance(String globalDefs) {
        return "global_defs {\n" + globalDefs + "}\n" + """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    priority 150
                    advert_int 0.1
                    version 3
                    virtual_ipaddress {
                        192.0.2.100/24
                    }
                }
                """;
    }

    /** The file's lines once it has {@code count} (or after 5 s, what it has). */
    private static List<String> awaitLines(Path file, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (lines(file).size() < count && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
        return lines(file);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file) : List.of();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * max_auto_priority: the JVM is stopped for half a second (SIGSTOP, as a starved or swapped
     * process is); the event loop wakes late and raises itself to SCHED_RR 1, then 2 on the next.
     */
    @Test
    void maxAutoPriorityRaisesTheEventLoopAfterALateWakeUp() throws Exception {
        lan = NetnsLan.create(1);
        Path config = Files.writeString(directory.resolve("auto.conf"), oneInstance("""
                    max_auto_priority 2
                    min_auto_priority_delay 100000
                """));
        CliNode node = CliNode.start(this, 0, config);
        node.awaitTransition("BACKUP -> MASTER (advert timeout)", Duration.ofSeconds(5));
        assertThat(node.scheduling("vrrp4j-1-1")).contains("SCHED_OTHER");

        node.pause(500);
        node.awaitLine("it now runs at SCHED_RR priority 1 (at most 2)", Duration.ofSeconds(5));
        assertThat(node.scheduling("vrrp4j-1-1")).contains("SCHED_RR").contains("priority: 1");
        node.pause(500);
        node.awaitLine("it now runs at SCHED_RR priority 2 (at most 2)", Duration.ofSeconds(5));
        node.pause(500);
        Thread.sleep(300);
        assertThat(node.scheduling("vrrp4j-1-1")).as("no higher than max_auto_priority").contains("priority: 2");
        assertThat(node.output()).doesNotContain("priority 3");
        assertThat(node.terminate()).isZero();
    }

    @Test
    void excludedAddressesAreInstalledWithTheVipHealedAndNeverAdvertisedNextToKeepalived() throws Exception {
        assumeThat(KeepalivedProcess.isInstalled()).as("keepalived at " + KeepalivedProcess.BINARY).isTrue();
        lan = NetnsLan.create(2);
        wire = WireLog.start(lan);
        NetnsLan.Capture verbose = verboseVrrpCapture();
        String excluded4 = "198.51.100.7/24";
        String excluded6 = "2001:db8::7/64";
        Path ours = generate("excluded.conf.in", 0, Map.of("@PRIORITY@", "150"));
        Path theirs = generate("excluded.conf.in", 1, Map.of("@PRIORITY@", "100"));

        // bin/vrrp4j (150) is Active: the VIP and both excluded addresses on eth0, announced;
        // keepalived (100) stays Backup and holds none of them.
        CliNode node = CliNode.start(this, 0, ours);
        node.awaitTransition("BACKUP -> MASTER (advert timeout)", Duration.ofSeconds(6));
        awaitVip(0, true);
        awaitAddress(0, excluded4, true);
        awaitAddress(0, excluded6, true);
        KeepalivedProcess k1 = keepalived(1, theirs);
        k1.awaitState("VI_1", "BACKUP", Duration.ofSeconds(5));
        Thread.sleep(1_000);
        assertThat(node.output()).as("bin/vrrp4j's warnings").noneMatch(l -> l.contains(": warning: "));
        assertThat(k1.states("VI_1")).as("keepalived under vrrp4j").containsOnly("BACKUP");
        assertThat(k1.lines()).as("keepalived's complaints about vrrp4j's adverts").noneMatch(l ->
                l.contains("invalid") || l.contains("mismatch"));
        assertThat(lan.ipAddr(lan.host(1))).as("keepalived Backup").doesNotContain(excluded4, excluded6, VIP);
        assertThat(verboseAdverts(verbose, ipv4(0), 4)).as("vrrp4j's adverts, tcpdump -vv: one address")
                .hasSizeGreaterThan(3).allSatisfy(line -> assertThat(line)
                        .endsWith(": VRRPv3, Advertisement, vrid 51, prio 150, intvl 10cs, length 12, addrs: 192.0.2.100"));
        assertThat(wire.lines()).as("announced like the VIP")
                .anyMatch(l -> l.contains("who-has 198.51.100.7 (") && l.contains(" tell 198.51.100.7,"))
                .anyMatch(l -> l.contains("neighbor advertisement, tgt is 2001:db8::7"));

        // Deleted by hand behind vrrp4j's back: put back, as the VIP would be.
        lan.run("ip", "-n", lan.host(0), "addr", "del", excluded4, "dev", NetnsLan.INTERFACE);
        lan.run("ip", "-n", lan.host(0), "addr", "del", excluded6, "dev", NetnsLan.INTERFACE);
        awaitAddress(0, excluded4, true);
        awaitAddress(0, excluded6, true);
        node.awaitLine("excluded address 198.51.100.7/24 was removed from eth0 by another process",
                Duration.ofSeconds(2));

        // SIGHUP with another excluded address: swapped on the Active in place, no transition, nothing advertised.
        int transitions = node.transitions().size();
        Files.writeString(ours, Files.readString(ours).replace("198.51.100.7/24", "198.51.100.8/24"));
        node.hangup();
        node.awaitLine("generation 2 runs", Duration.ofSeconds(10));
        awaitAddress(0, "198.51.100.8/24", true);
        awaitAddress(0, excluded4, false);
        awaitAddress(0, excluded6, true);
        assertThat(node.transitions()).as("no transition on reload").hasSize(transitions);
        assertThat(verboseAdverts(verbose, ipv4(0), 4)).as("still one address advertised")
                .allSatisfy(line -> assertThat(line).endsWith("length 12, addrs: 192.0.2.100"));

        // SIGTERM: vrrp4j removes them with the VIP; keepalived takes over and installs the same three.
        assertThat(node.terminate()).as("exit status after SIGTERM; output:\n" + node.output()).isZero();
        assertThat(lan.ipAddr(lan.host(0))).as("h0 after leaving").doesNotContain("198.51.100.8/24", excluded6, VIP);
        k1.awaitState("VI_1", "MASTER", Duration.ofSeconds(3));
        awaitVip(1, true);
        awaitAddress(1, excluded4, true);
        awaitAddress(1, excluded6, true);
        assertThat(verboseAdverts(verbose, ipv4(1), 1)).as("keepalived's adverts carry the VIP only too")
                .isNotEmpty().allSatisfy(line -> assertThat(line).endsWith("length 12, addrs: 192.0.2.100"));
    }

    // ------------------------------------------------------------------ addresses on other interfaces

    /** other-interfaces.conf.in's addresses on other interfaces, as {@code ip -o addr} prints them with their options. */
    private static final List<String> OTHER_INTERFACE_ADDRESSES = List.of(
            "dummy0    inet 198.51.100.9/24 brd 198.51.100.255 scope site dummy0:vip",
            "dummy1    inet 198.51.100.19/32 scope global dummy1",
            "lo    inet 203.0.113.9/32 scope host lo:vip");

    @Test
    void addressesOnOtherInterfacesAreInstalledWithTheirOptionsAndTrackedAsKeepalivedDoes() throws Exception {
        assumeThat(KeepalivedProcess.isInstalled()).as("keepalived at " + KeepalivedProcess.BINARY).isTrue();
        lan = NetnsLan.create(2);
        for (int host = 0; host < 2; host++) {
            // ifb links stand in for dummies: both NOARP, and this kernel may lack the dummy module
            for (String dummy : List.of("dummy0", "dummy1")) {
                lan.run("ip", "-n", lan.host(host), "link", "add", dummy, "type", "ifb");
                lan.run("ip", "-n", lan.host(host), "link", "set", dummy, "up");
            }
        }
        wire = WireLog.start(lan);
        NetnsLan.Capture verbose = verboseVrrpCapture();
        Path ours = generate("other-interfaces.conf.in", 0, Map.of("@PRIORITY@", "150"));
        Path theirs = generate("other-interfaces.conf.in", 1, Map.of("@PRIORITY@", "100"));

        // bin/vrrp4j (150) Active: each address on its interface with its label, broadcast and scope.
        CliNode node = CliNode.start(this, 0, ours);
        node.awaitTransition("BACKUP -> MASTER (advert timeout)", Duration.ofSeconds(6));
        awaitVip(0, true);
        awaitOtherInterfaceAddresses(0, true);
        KeepalivedProcess k1 = keepalived(1, theirs);
        k1.awaitState("VI_1", "BACKUP", Duration.ofSeconds(5));
        Thread.sleep(1_000);
        assertThat(node.output()).as("bin/vrrp4j's warnings").noneMatch(l -> l.contains(": warning: "));
        assertThat(k1.states("VI_1")).as("keepalived under vrrp4j").containsOnly("BACKUP");
        assertThat(k1.lines()).as("keepalived's complaints about vrrp4j's adverts").noneMatch(l ->
                l.contains("invalid") || l.contains("mismatch"));
        assertThat(otherInterfaceAddresses(1)).as("keepalived Backup holds none").isEmpty();
        assertThat(verboseAdverts(verbose, ipv4(0), 4)).as("vrrp4j's adverts list every address, whatever its dev")
                .hasSizeGreaterThan(3).allSatisfy(line -> assertThat(line).endsWith(
                        "length 24, addrs(4): 192.0.2.100,198.51.100.9,198.51.100.19,203.0.113.9"));
        assertThat(wire.lines()).as("addresses on NOARP links and lo not announced on eth0 either")
                .noneMatch(l -> l.contains("tell 198.51.100.9,") || l.contains("tell 203.0.113.9,"));

        // Removed behind its back: the address on dummy0 is put back; the no_track one on lo stays
        // removed until the next takeover (keepalived does both the same, below).
        lan.run("ip", "-n", lan.host(0), "addr", "del", "198.51.100.9/24", "dev", "dummy0");
        lan.run("ip", "-n", lan.host(0), "addr", "del", "203.0.113.9/32", "dev", "lo");
        node.awaitLine("virtual address 198.51.100.9/24 dev dummy0 label dummy0:vip brd 198.51.100.255 scope site"
                + " was removed from dummy0 by another process", Duration.ofSeconds(2));
        awaitOtherInterfaceAddresses(0, OTHER_INTERFACE_ADDRESSES.subList(0, 2));
        Thread.sleep(500);
        assertThat(otherInterfaceAddresses(0)).as("the no_track address stays removed")
                .isEqualTo(OTHER_INTERFACE_ADDRESSES.subList(0, 2));

        // A no_track interface going down changes nothing, on either implementation (keepalived below).
        lan.run("ip", "-n", lan.host(0), "link", "set", "dummy1", "down");
        Thread.sleep(1_000);
        assertThat(node.transitions()).as("vrrp4j after its no_track dummy1 went down").last().asString()
                .startsWith("BACKUP -> MASTER");

        // The tracked dummy0 down: vrrp4j goes to FAULT and removes everything; keepalived takes over
        // and installs the same addresses with the same options.
        lan.run("ip", "-n", lan.host(0), "link", "set", "dummy0", "down");
        node.awaitTransition("MASTER -> FAULT (fault)", Duration.ofSeconds(3));
        k1.awaitState("VI_1", "MASTER", Duration.ofSeconds(3));
        awaitVip(1, true);
        awaitOtherInterfaceAddresses(1, true);
        awaitVip(0, false);
        assertThat(otherInterfaceAddresses(0)).as("vrrp4j in FAULT").isEmpty();

        // keepalived: the no_track address left removed; the tracked one put back (keepalived goes
        // BACKUP and MASTER again for it, which installs the no_track one too; vrrp4j adds back only
        // the removed address, in place).
        lan.run("ip", "-n", lan.host(1), "addr", "del", "203.0.113.9/32", "dev", "lo");
        Thread.sleep(1_000);
        assertThat(otherInterfaceAddresses(1)).as("keepalived leaves the no_track address removed")
                .isEqualTo(OTHER_INTERFACE_ADDRESSES.subList(0, 2));
        lan.run("ip", "-n", lan.host(1), "addr", "del", "198.51.100.9/24", "dev", "dummy0");
        awaitOtherInterfaceAddresses(1, true);
        k1.awaitState("VI_1", "MASTER", Duration.ofSeconds(3));

        // keepalived: its no_track dummy1 down changes nothing; its tracked dummy0 down is FAULT too.
        lan.run("ip", "-n", lan.host(1), "link", "set", "dummy1", "down");
        Thread.sleep(1_000);
        assertThat(k1.states("VI_1")).as("keepalived after its no_track dummy1 went down").last().isEqualTo("MASTER");
        lan.run("ip", "-n", lan.host(1), "link", "set", "dummy0", "down");
        k1.awaitState("VI_1", "FAULT", Duration.ofSeconds(3));
        awaitVip(1, false);
        assertThat(otherInterfaceAddresses(1)).as("keepalived in FAULT").isEmpty();

        // dummy0 back on h0: vrrp4j leaves FAULT and, keepalived being in FAULT, takes over again.
        lan.run("ip", "-n", lan.host(0), "link", "set", "dummy0", "up");
        node.awaitTransition("FAULT -> BACKUP (fault cleared)", Duration.ofSeconds(3));
        node.awaitTransition("BACKUP -> MASTER (advert timeout)", Duration.ofSeconds(3));
        awaitVip(0, true);
        awaitOtherInterfaceAddresses(0, true);

        // SIGTERM: vrrp4j removes them from every interface.
        assertThat(node.terminate()).as("exit status after SIGTERM; output:\n" + node.output()).isZero();
        assertThat(otherInterfaceAddresses(0)).as("h0 after leaving").isEmpty();
    }

    @Test
    void anAddressOnAnotherInterfaceThatCanAnnounceIsAnnouncedThereAndOnlyThere() throws Exception {
        lan = NetnsLan.create(1);
        String h0 = lan.host(0);
        lan.run("ip", "-n", h0, "link", "add", "ext0", "type", "veth", "peer", "name", "ext0p");
        // no DAD: the unsolicited NA goes out from ext0's link-local address, usable at once
        lan.run("ip", "netns", "exec", h0, "sysctl", "-qw", "net.ipv6.conf.ext0.accept_dad=0");
        lan.run("ip", "-n", h0, "link", "set", "ext0p", "up");
        lan.run("ip", "-n", h0, "link", "set", "ext0", "up");
        wire = WireLog.start(lan);
        NetnsLan.Capture ext = lan.tcpdump(h0, "ext0p", "arp or icmp6");
        started.add(ext);
        Path config = Files.writeString(directory.resolve("ext.conf"), """
                global_defs {
                    vrrp_garp_master_delay 0
                }
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    priority 150
                    advert_int 0.1
                    version 3
                    virtual_ipaddress {
                        192.0.2.100/24
                        198.51.100.29/24 dev ext0 label ext0:vip
                    }
                    virtual_ipaddress_excluded {
                        2001:db8:5::29/64 dev ext0
                    }
                }
                """);

        CliNode node = CliNode.start(this, 0, config);
        node.awaitTransition("BACKUP -> MASTER (advert timeout)", Duration.ofSeconds(6));
        awaitVip(0, true);
        awaitAddress(0, "198.51.100.29/24", true);
        ext.awaitLine(l -> l.contains("tell 198.51.100.29,"), Duration.ofSeconds(2));
        ext.awaitLine(Duration.ofSeconds(2), "neighbor advertisement", "tgt is 2001:db8:5::29");
        Thread.sleep(500);

        assertThat(node.output()).as("bin/vrrp4j's warnings").noneMatch(l -> l.contains(": warning: ")
                || l.contains(" WARN "));
        assertThat(ext.lines()).as("on ext0: its own addresses only")
                .noneMatch(l -> l.contains("192.0.2.100"));
        assertThat(wire.lines()).as("on eth0: the instance's address, not ext0's")
                .anyMatch(l -> l.contains("who-has 192.0.2.100 (") && l.contains(" tell 192.0.2.100,"))
                .noneMatch(l -> l.contains("198.51.100.29") || l.contains("2001:db8:5::29"));
        assertThat(node.terminate()).as("exit status after SIGTERM; output:\n" + node.output()).isZero();
        assertThat(lan.ipAddr(h0)).doesNotContain("198.51.100.29", "2001:db8:5::29");
    }

    /** The addresses of other-interfaces.conf.in on other interfaces that {@code host} holds, as {@code ip -o addr} prints them. */
    private List<String> otherInterfaceAddresses(int host) {
        return lan.ipAddr(lan.host(host)).lines()
                .filter(l -> l.contains("198.51.100.9/") || l.contains("198.51.100.19/") || l.contains("203.0.113.9/"))
                .map(l -> l.replaceFirst("^\\d+: ", "").replaceFirst("\\\\.*$", "").strip())
                .sorted().toList();
    }

    private void awaitOtherInterfaceAddresses(int host, boolean present) throws InterruptedException {
        awaitOtherInterfaceAddresses(host, present ? OTHER_INTERFACE_ADDRESSES : List.of());
    }

    /** Waits up to 2 s for {@code host} to hold exactly {@code expected} of them. */
    private void awaitOtherInterfaceAddresses(int host, List<String> expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (!otherInterfaceAddresses(host).equals(expected)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("h" + host + " addresses on other interfaces: " + otherInterfaceAddresses(host)
                        + ", expected " + expected);
            }
            Thread.sleep(20);
        }
    }

    // ------------------------------------------------------------------ virtual_routes / virtual_rules

    /** The virtual routes and rules of routes.conf.in, as {@code ip -n NS route/rule show} prints them. */
    private static final List<String> VIRTUAL_ROUTES = List.of("198.51.100.0/24 via 192.0.2.254 dev eth0",
            "198.51.101.0/24 dev eth0", "blackhole 198.51.102.0/24");
    private static final String VIRTUAL_ROUTE6 = "2001:db8:1::/64 via 2001:db8::1 dev eth0";
    private static final List<String> VIRTUAL_RULES = List.of("100:\tfrom 192.0.2.100 lookup 100",
            "102:\tfrom all to 198.51.102.0/24 lookup 101");
    private static final String VIRTUAL_RULE6 = "101:\tfrom 2001:db8::100 lookup 100";
    private static final String STATIC_ROUTE = "203.0.113.0/24 dev eth0";
    private static final String STATIC_RULE = "150:\tfrom 203.0.113.0/24 lookup 150";

    @Test
    void virtualRoutesAndRulesAreOnTheActiveOnlyNextToKeepalived() throws Exception {
        assumeThat(KeepalivedProcess.isInstalled()).as("keepalived at " + KeepalivedProcess.BINARY).isTrue();
        lan = NetnsLan.create(2);
        Path ours = generate("routes.conf.in", 0, Map.of("@PRIORITY@", "150"));
        Path theirs = generate("routes.conf.in", 1, Map.of("@PRIORITY@", "100"));

        // bin/vrrp4j (150) is Active: its virtual and static routes and rules, of both families, are
        // there; keepalived (100) is Backup with its static ones only.
        CliNode node = CliNode.start(this, 0, ours);
        node.awaitTransition("BACKUP -> MASTER (advert timeout)", Duration.ofSeconds(6));
        awaitRouting(0, true, true);
        assertThat(routes(0, "-4", 100)).as("src and metric of the second route")
                .contains("198.51.101.0/24 dev eth0 proto keepalived src 192.0.2.100 metric 7");
        KeepalivedProcess k1 = keepalived(1, theirs);
        k1.awaitState("VI_1", "BACKUP", Duration.ofSeconds(5));
        awaitRouting(1, false, true);
        assertThat(node.output()).as("bin/vrrp4j's warnings").filteredOn(l -> l.contains(": warning: "))
                .singleElement().asString().contains(":33: warning: no_track: ");
        assertThat(node.output()).as("bin/vrrp4j's errors: the route it cannot install, named")
                .filteredOn(l -> l.contains(" ERROR ")).singleElement().asString()
                .contains(" ERROR VI_1: adding a route failed: RTM_NEWROUTE 198.51.104.0/24 via 203.0.113.1 dev eth0"
                        + " table 100 failed: ENETUNREACH");

        // SIGHUP with one route, one rule and the static route changed: swapped in place, no transition.
        int transitions = node.transitions().size();
        Files.writeString(ours, Files.readString(ours).replace("198.51.100.0/24 via", "198.51.103.0/24 via")
                .replace("to 198.51.102.0/24 table 101 priority 102", "to 198.51.102.0/24 table 101 priority 103")
                .replace("203.0.113.0/24 dev eth0 table 150", "203.0.113.0/25 dev eth0 table 150"));
        node.hangup();
        node.awaitLine("generation 2 runs", Duration.ofSeconds(10));
        awaitRoutingLine(0, "-4", "route", 150, "203.0.113.0/25 dev eth0", true);
        awaitRoutingLine(0, "-4", "route", 150, "203.0.113.0/24", false);
        awaitRoutingLine(0, "-4", "route", 100, "198.51.103.0/24 via 192.0.2.254 dev eth0", true);
        awaitRoutingLine(0, "-4", "route", 100, "198.51.100.0/24 via", false);
        awaitRoutingLine(0, "-4", "rule", 0, "103:\tfrom all to 198.51.102.0/24 lookup 101", true);
        awaitRoutingLine(0, "-4", "rule", 0, "102:\tfrom all", false);
        assertThat(node.transitions()).as("no transition on reload").hasSize(transitions);

        // SIGTERM: vrrp4j removes its virtual and static ones; keepalived takes over and installs its own.
        assertThat(node.terminate()).as("exit status after SIGTERM; output:\n" + node.output()).isZero();
        assertThat(routes(0, "-4", 100) + routes(0, "-6", 100) + routes(0, "-4", 101) + routes(0, "-4", 150))
                .as("h0's tables after leaving").isBlank();
        assertThat(rules(0, "-4") + rules(0, "-6")).as("h0's rules after leaving")
                .doesNotContain("lookup 100", "lookup 101", "lookup 150");
        k1.awaitState("VI_1", "MASTER", Duration.ofSeconds(3));
        awaitRouting(1, true, true);

        // vrrp4j again, on the file as first written: it preempts keepalived, which removes its virtual ones.
        Files.writeString(ours, Files.readString(ours).replace("198.51.103.0/24 via", "198.51.100.0/24 via")
                .replace("table 101 priority 103", "table 101 priority 102")
                .replace("203.0.113.0/25 dev eth0", "203.0.113.0/24 dev eth0"));
        CliNode again = CliNode.start(this, 0, ours);
        again.awaitLine("VI_1: BACKUP -> MASTER", Duration.ofSeconds(6));
        k1.awaitState("VI_1", "BACKUP", Duration.ofSeconds(3));
        awaitRouting(0, true, true);
        awaitRouting(1, false, true);
        assertThat(again.output()).as("clearing what a predecessor may have left fails on nothing absent")
                .filteredOn(l -> l.contains(" ERROR ")).singleElement().asString().contains("198.51.104.0/24");
    }

    /** Waits up to 2 s until {@code host} holds the virtual routes and rules (or none of them), and the static ones. */
    private void awaitRouting(int host, boolean virtual, boolean statics) throws InterruptedException {
        for (String route : VIRTUAL_ROUTES) {
            awaitRoutingLine(host, "-4", "route", route.startsWith("blackhole") ? 101 : 100, route, virtual);
        }
        awaitRoutingLine(host, "-6", "route", 100, VIRTUAL_ROUTE6, virtual);
        for (String rule : VIRTUAL_RULES) {
            awaitRoutingLine(host, "-4", "rule", 0, rule, virtual);
        }
        awaitRoutingLine(host, "-6", "rule", 0, VIRTUAL_RULE6, virtual);
        awaitRoutingLine(host, "-4", "route", 150, STATIC_ROUTE, statics);
        awaitRoutingLine(host, "-4", "rule", 0, STATIC_RULE, statics);
    }

    /** Waits up to 2 s until {@code ip -n h<host> FAMILY route show table T} (or {@code rule show}) has the line or not. */
    private void awaitRoutingLine(int host, String family, String what, long table, String line, boolean present)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (true) {
            String shown = what.equals("route") ? routes(host, family, table) : rules(host, family);
            if (shown.contains(line) == present) {
                return;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("h" + host + (present ? " has no " : " still has ") + what + " '" + line
                        + "':\n" + shown);
            }
            Thread.sleep(20);
        }
    }

    /** {@code ip -n h<host> FAMILY route show table T}; empty for a table the kernel does not have (yet). */
    private String routes(int host, String family, long table) {
        return lan.run("sh", "-c", "ip -n " + lan.host(host) + " " + family + " route show table " + table
                + " 2>/dev/null || true");
    }

    private String rules(int host, String family) {
        return lan.run("ip", "-n", lan.host(host), family, "rule", "show");
    }

    @Test
    void aVersion2InstanceWithoutAddressesRunsNotifyMasterAndFailsOverWithKeepalived() throws Exception {
        assumeThat(KeepalivedProcess.isInstalled()).as("keepalived at " + KeepalivedProcess.BINARY).isTrue();
        lan = NetnsLan.create(2);
        wire = WireLog.start(lan);
        NetnsLan.Capture verbose = verboseVrrpCapture();
        Path[] configs = new Path[2];
        for (int host = 0; host < 2; host++) {
            configs[host] = generate("floating-ip.conf.in", host, Map.of("@PRIORITY@", host == 0 ? "150" : "100",
                    "@DIR@", directory.toString(), "@SRC@", ipv4(host), "@PEER@", ipv4(1 - host)));
        }

        // bin/vrrp4j (150) becomes Active and runs notify_master; keepalived (100) stays Backup under it.
        CliNode node = CliNode.start(this, 0, configs[0]);
        node.awaitTransition("BACKUP -> MASTER (advert timeout)", Duration.ofSeconds(6));
        awaitFile(directory.resolve("h0.master"));
        KeepalivedProcess k1 = keepalived(1, configs[1]);
        k1.awaitState("VI_1", "BACKUP", Duration.ofSeconds(5));
        Thread.sleep(4_000); // past keepalived's Master_Down_Interval (3.6 s)
        assertThat(k1.states("VI_1")).as("keepalived under vrrp4j").containsOnly("BACKUP");
        assertThat(k1.lines()).as("keepalived's complaints about vrrp4j's adverts").noneMatch(l ->
                l.contains("invalid") || l.contains("mismatch") || l.contains("VIPs but received"));
        assertThat(verboseAdverts(verbose, ipv4(0), 4)).as("vrrp4j's adverts, tcpdump -vv: no address")
                .hasSizeGreaterThan(3).allSatisfy(line -> assertThat(line).endsWith(ipv4(0) + " > " + ipv4(1)
                        + ": VRRPv2, Advertisement, vrid 51, prio 150, authtype none, intvl 1s, length 16, addrs:"));
        assertThat(node.output()).as("bin/vrrp4j's warnings").filteredOn(l -> l.contains(": warning: "))
                .singleElement().asString().contains("has no virtual_ipaddress");

        // SIGTERM: keepalived takes over and runs its notify_master; vrrp4j accepted its count-0 adverts.
        assertThat(node.terminate()).as("exit status after SIGTERM; output:\n" + node.output()).isZero();
        k1.awaitState("VI_1", "MASTER", Duration.ofSeconds(3));
        awaitFile(directory.resolve("h1.master"));
        assertThat(verboseAdverts(verbose, ipv4(1), 1)).as("keepalived's adverts, tcpdump -vv").isNotEmpty()
                .allSatisfy(line -> assertThat(line).endsWith(": VRRPv2, Advertisement, vrid 51, prio 100, authtype"
                        + " none, intvl 1s, length 16, addrs:"));
    }

    /** Waits up to 3 s for {@code file} to exist (a notify script runs after the transition). */
    private static void awaitFile(Path file) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (!Files.exists(file)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(file + " was not created");
            }
            Thread.sleep(20);
        }
    }

    @Test
    void otherMulticastGroupsInteroperateWithKeepalivedConfiguredTheSame() throws Exception {
        assumeThat(KeepalivedProcess.isInstalled()).as("keepalived at " + KeepalivedProcess.BINARY).isTrue();
        lan = NetnsLan.create(2);
        wire = WireLog.start(lan);
        Path ours = generate("mcast-group.conf.in", 0, Map.of("@PRIORITY@", "150"));
        Path theirs = generate("mcast-group.conf.in", 1, Map.of("@PRIORITY@", "100"));

        // bin/vrrp4j (150) is Active for both; keepalived (100) hears it on 224.0.0.19 and ff02::19 and
        // stays Backup (it would take over within 0.4 s otherwise).
        CliNode node = CliNode.start(this, 0, ours);
        node.awaitTransition("BACKUP -> MASTER (advert timeout)", Duration.ofSeconds(6));
        node.awaitLine("VI_6: BACKUP -> MASTER (advert timeout)", Duration.ofSeconds(6));
        KeepalivedProcess k1 = keepalived(1, theirs);
        k1.awaitState("VI_1", "BACKUP", Duration.ofSeconds(5));
        k1.awaitState("VI_6", "BACKUP", Duration.ofSeconds(5));
        Thread.sleep(1_500);
        assertThat(k1.states("VI_1")).as("keepalived VI_1 under vrrp4j").containsOnly("BACKUP");
        assertThat(k1.states("VI_6")).as("keepalived VI_6 under vrrp4j").containsOnly("BACKUP");
        assertThat(node.output()).as("bin/vrrp4j's warnings").noneMatch(l -> l.contains(": warning: "));
        List<Advert> sent = wire.adverts().stream().filter(a -> a.priority() == 150).toList();
        assertThat(sent).filteredOn(a -> a.vrid() == 51).hasSizeGreaterThan(10)
                .allSatisfy(a -> assertThat(a.line()).contains(ipv4(0) + " > 224.0.0.19: VRRPv3"));
        assertThat(sent).filteredOn(a -> a.vrid() == 52).hasSizeGreaterThan(10)
                .allSatisfy(a -> assertThat(a.line()).contains(" > ff02::19: VRRPv3"));
        assertThat(wire.lines()).as("nothing to RFC 9568's groups")
                .noneMatch(l -> l.contains(" > 224.0.0.18: ") || l.contains(" > ff02::12: "));

        // SIGTERM: keepalived hears the priority 0 on the groups and takes over both.
        assertThat(node.terminate()).as("exit status after SIGTERM; output:\n" + node.output()).isZero();
        k1.awaitState("VI_1", "MASTER", Duration.ofSeconds(2));
        k1.awaitState("VI_6", "MASTER", Duration.ofSeconds(2));
        awaitVip(1, true);

        // vrrp4j again: it hears keepalived (100) on the joined groups and preempts it, rather than timing out.
        CliNode again = CliNode.start(this, 0, ours);
        again.awaitLine("VI_1: BACKUP -> MASTER", Duration.ofSeconds(6));
        again.awaitLine("VI_6: BACKUP -> MASTER (preempting lower priority)", Duration.ofSeconds(6));
        k1.awaitState("VI_1", "BACKUP", Duration.ofSeconds(2));
        k1.awaitState("VI_6", "BACKUP", Duration.ofSeconds(2));
        awaitVip(0, true);
    }

    @Test
    void aWeightedTrackInterfaceLowersThePriorityNextToKeepalivedInsteadOfFaulting() throws Exception {
        assumeThat(KeepalivedProcess.isInstalled()).as("keepalived at " + KeepalivedProcess.BINARY).isTrue();
        lan = NetnsLan.create(2);
        wire = WireLog.start(lan);
        for (int host = 0; host < 2; host++) { // wan0 on both, so that both run the same file
            String ns = lan.host(host);
            lan.run("ip", "-n", ns, "link", "add", "wan0", "type", "veth", "peer", "name", "wan1");
            lan.run("ip", "-n", ns, "link", "set", "wan1", "up");
            lan.run("ip", "-n", ns, "link", "set", "wan0", "up");
        }
        Path ours = generate("weighted-interface.conf.in", 0, Map.of("@PRIORITY@", "150"));
        Path theirs = generate("weighted-interface.conf.in", 1, Map.of("@PRIORITY@", "120"));

        CliNode node = CliNode.start(this, 0, ours);
        node.awaitTransition("BACKUP -> MASTER (advert timeout)", Duration.ofSeconds(6));
        KeepalivedProcess k1 = keepalived(1, theirs);
        k1.awaitState("VI_1", "BACKUP", Duration.ofSeconds(5));
        assertThat(node.output()).as("the own interface's entry").anyMatch(l -> l.contains(": warning: ")
                && l.contains("vrrp_instance VI_1 tracks its own interface eth0 anyway; keepalived ignores this entry"));

        // wan0 down on vrrp4j's host: 150 - 60 = 90 < 120, so keepalived preempts; vrrp4j is Backup, not Fault.
        lan.run("ip", "-n", lan.host(0), "link", "set", "wan0", "down");
        wire.awaitAdvert(ipv4(0), 90, Duration.ofSeconds(2));
        node.awaitLine("VI_1: priority 150 -> 90", Duration.ofSeconds(2));
        k1.awaitState("VI_1", "MASTER", Duration.ofSeconds(2));
        node.awaitTransition("MASTER -> BACKUP (higher priority advert)", Duration.ofSeconds(2));
        awaitVip(1, true);
        awaitVip(0, false);

        // wan0 up again: back to 150, and vrrp4j preempts keepalived.
        lan.run("ip", "-n", lan.host(0), "link", "set", "wan0", "up");
        node.awaitTransition("BACKUP -> MASTER (preempting lower priority)", Duration.ofSeconds(3));
        wire.awaitAdvert(ipv4(0), 150, Duration.ofSeconds(2));
        k1.awaitState("VI_1", "BACKUP", Duration.ofSeconds(2));
        awaitVip(0, true);
        assertThat(node.transitions()).as("never FAULT").noneMatch(t -> t.contains("FAULT"));
    }

    // ------------------------------------------------------------------ (c) VRRPv2: the classic file

    @Test
    void classicV2FileVrrp4jStaysBackupUnderKeepalivedAndTakesOverWhenItIsKilled() throws Exception {
        assumeThat(KeepalivedProcess.isInstalled()).as("keepalived at " + KeepalivedProcess.BINARY).isTrue();
        lan = NetnsLan.create(2);
        wire = WireLog.start(lan);
        NetnsLan.Capture verbose = verboseVrrpCapture();
        renameInterface(1, RENAMED_INTERFACE);
        Path primary = classicV2(0, NetnsLan.INTERFACE);
        Path secondary = classicV2(1, RENAMED_INTERFACE);

        // keepalived (state MASTER, 101) is Active; bin/vrrp4j (state BACKUP, 100) stays Backup under it.
        KeepalivedProcess k0 = keepalived(0, primary);
        k0.awaitState("VI_1", "MASTER", Duration.ofSeconds(6));
        CliNode node = CliNode.start(this, 1, secondary);
        node.awaitTransition("INIT -> BACKUP (startup)", Duration.ofSeconds(5));
        Thread.sleep(4_000); // past the secondary's own Master_Down_Interval (3.6 s)
        assertThat(node.output()).as("bin/vrrp4j's warnings about the classic file")
                .noneMatch(l -> l.contains(": warning: "));
        assertThat(node.transitions()).as("vrrp4j under keepalived").containsExactly("INIT -> BACKUP (startup)");
        assertThat(k0.states("VI_1")).as("keepalived h0").containsExactly("BACKUP", "MASTER");
        assertThat(wire.advertsFrom(ipv4(1))).as("adverts from vrrp4j").isEmpty();
        assertThat(verboseAdverts(verbose, ipv4(0), 4)).as("keepalived's adverts, tcpdump -vv").hasSizeGreaterThan(3)
                .allSatisfy(line -> assertThat(line).contains(CLASSIC_V2_IP_HEADER)
                        .endsWith(ipv4(0) + " > " + ipv4(1) + ": VRRPv2, Advertisement, vrid 51, prio 101"
                                + CLASSIC_V2_TAIL));
        assertThat(holdsVip(0)).isTrue();
        assertThat(holdsVip(1)).isFalse();

        // kill -9 of keepalived's VRRP process: vrrp4j takes over after its Master_Down_Interval.
        double killedAt = System.currentTimeMillis() / 1000.0;
        k0.kill();
        Advert first = wire.awaitAdvert(ipv4(1), 100, Duration.ofSeconds(6));
        node.awaitTransition("BACKUP -> MASTER (advert timeout)", Duration.ofSeconds(2));
        Advert last = wire.advertsFrom(ipv4(0)).getLast();
        double gapMs = (first.epochSeconds() - last.epochSeconds()) * 1000;
        System.out.printf("bin/vrrp4j, classic VRRPv2 file, keepalived killed: first advert %.1f ms after"
                + " keepalived's last (RFC 3768 Master_Down_Interval %.1f ms)%n", gapMs, V2_MASTER_DOWN_MS);
        assertThat(gapMs).as("ms from keepalived's last advert to vrrp4j's first")
                .isBetween(V2_MASTER_DOWN_MS - 50, V2_MASTER_DOWN_MS + 500);
        assertThat(last.priority()).as("a killed keepalived sends no priority 0").isEqualTo(101);
        awaitVip(1, true);
        assertThat(lan.ipAddr(lan.host(1)).lines().filter(l -> l.contains(" " + VIP + " ")))
                .as("the VIP on the interface of vrrp4j's file").singleElement().asString()
                .contains(RENAMED_INTERFACE);
        awaitGarpAfter(killedAt);
        awaitAdvertAfter(ipv4(1), first.epochSeconds()); // a second one, at advert_int 1
        assertThat(verboseAdverts(verbose, ipv4(1), 2)).as("vrrp4j's adverts, tcpdump -vv").hasSizeGreaterThan(1)
                .allSatisfy(line -> assertThat(line).contains(CLASSIC_V2_IP_HEADER)
                        .endsWith(ipv4(1) + " > " + ipv4(0) + ": VRRPv2, Advertisement, vrid 51, prio 100"
                                + CLASSIC_V2_TAIL));
        System.out.println("tcpdump -vv, keepalived: " + verboseAdverts(verbose, ipv4(0), 1).getLast());
        System.out.println("tcpdump -vv, bin/vrrp4j: " + verboseAdverts(verbose, ipv4(1), 1).getLast());
    }

    @Test
    void classicV2FileKeepalivedStaysBackupUnderVrrp4jAndTakesOverWithinSkewTimeOnSigterm() throws Exception {
        assumeThat(KeepalivedProcess.isInstalled()).as("keepalived at " + KeepalivedProcess.BINARY).isTrue();
        lan = NetnsLan.create(2);
        wire = WireLog.start(lan);
        NetnsLan.Capture verbose = verboseVrrpCapture();
        renameInterface(0, RENAMED_INTERFACE);
        Path primary = classicV2(0, RENAMED_INTERFACE);
        Path secondary = classicV2(1, NetnsLan.INTERFACE);

        // bin/vrrp4j (state MASTER, 101) is Active; keepalived (state BACKUP, 100) stays Backup under it.
        CliNode node = CliNode.start(this, 0, primary);
        node.awaitTransition("BACKUP -> MASTER (advert timeout)", Duration.ofSeconds(6));
        awaitVip(0, true);
        KeepalivedProcess k1 = keepalived(1, secondary);
        k1.awaitState("VI_1", "BACKUP", Duration.ofSeconds(5));
        Thread.sleep(4_000); // past keepalived's Master_Down_Interval (3.6 s)
        assertThat(node.output()).as("bin/vrrp4j's warnings about the classic file")
                .noneMatch(l -> l.contains(": warning: "));
        assertThat(k1.states("VI_1")).as("keepalived under vrrp4j").containsOnly("BACKUP");
        assertThat(k1.lines()).as("keepalived's complaints about vrrp4j's adverts").noneMatch(l ->
                l.contains("invalid") || l.contains("mismatch") || l.contains("passwd"));
        assertThat(wire.advertsFrom(ipv4(1))).as("adverts from keepalived").isEmpty();
        assertThat(verboseAdverts(verbose, ipv4(0), 4)).as("vrrp4j's adverts, tcpdump -vv").hasSizeGreaterThan(3)
                .allSatisfy(line -> assertThat(line).contains(CLASSIC_V2_IP_HEADER)
                        .endsWith(ipv4(0) + " > " + ipv4(1) + ": VRRPv2, Advertisement, vrid 51, prio 101"
                                + CLASSIC_V2_TAIL));
        assertThat(holdsVip(1)).isFalse();

        // SIGTERM: vrrp4j leaves with priority 0; keepalived takes over after Skew_Time, not Master_Down.
        assertThat(node.terminate()).as("exit status after SIGTERM; output:\n" + node.output()).isZero();
        Advert zero = wire.awaitAdvert(ipv4(0), 0, Duration.ofSeconds(2));
        k1.awaitState("VI_1", "MASTER", Duration.ofSeconds(3));
        Advert first = wire.awaitAdvert(ipv4(1), 100, Duration.ofSeconds(2));
        double gapMs = (first.epochSeconds() - zero.epochSeconds()) * 1000;
        System.out.printf("bin/vrrp4j, classic VRRPv2 file, SIGTERM: keepalived's first advert %.1f ms after"
                + " priority 0 (RFC 3768 Skew_Time %.1f ms, Master_Down_Interval %.1f ms)%n", gapMs, V2_SKEW_MS,
                V2_MASTER_DOWN_MS);
        assertThat(gapMs).as("ms from vrrp4j's priority 0 to keepalived's first advert")
                .isBetween(V2_SKEW_MS - 50, V2_SKEW_MS + 500);
        assertThat(verbose.awaitLine(Duration.ofSeconds(2), ": VRRPv2, Advertisement, vrid 51, prio 0,"))
                .as("vrrp4j's priority 0, tcpdump -vv")
                .endsWith(ipv4(0) + " > " + ipv4(1) + ": VRRPv2, Advertisement, vrid 51, prio 0" + CLASSIC_V2_TAIL);
        assertThat(node.transitions()).last().isEqualTo("MASTER -> INIT (shutdown)");
        assertThat(node.output()).last().isEqualTo("vrrp4j: stopped");
        assertThat(holdsVip(0)).as("h0 holds the VIP after leaving").isFalse();
        awaitVip(1, true);
        awaitGarpAfter(zero.epochSeconds());
        assertThat(verboseAdverts(verbose, ipv4(1), 1)).as("keepalived's adverts, tcpdump -vv").isNotEmpty()
                .allSatisfy(line -> assertThat(line).endsWith(ipv4(1) + " > " + ipv4(0)
                        + ": VRRPv2, Advertisement, vrid 51, prio 100" + CLASSIC_V2_TAIL));
    }

    // ------------------------------------------------------------------ (d) --status-port

    @Test
    void statusPortServesJsonAndMetricsOnLoopbackOnly() throws Exception {
        lan = NetnsLan.create(1);
        writeExecutable(directory.resolve("check.sh"), "#!/bin/sh\nexec test -f \"$1\"\n");
        Path hostDir = Files.createDirectories(directory.resolve("h0"));
        Files.writeString(hostDir.resolve("healthy"), "");
        for (String script : List.of("notify_master.sh", "notify_backup.sh", "notify_stop.sh", "notify.sh")) {
            writeExecutable(hostDir.resolve(script), "#!/bin/sh\n");
        }
        Path config = generate("pair.conf.in", 0, Map.of("@DIR@", directory.toString(), "@PRIORITY@", "150"));

        CliNode node = CliNode.start(this, 0, config, "--status-port", Integer.toString(STATUS_PORT));
        node.awaitTransition("BACKUP -> MASTER (advert timeout)", Duration.ofSeconds(5));
        assertThat(node.output()).contains("vrrp4j: status on http://127.0.0.1:" + STATUS_PORT + "/status and /metrics");

        String status = curl(0, "/status");
        assertThat(status).startsWith("{\"routers\":[{\"name\":\"VI_1\",\"vrid\":51,\"family\":\"IPV4\","
                + "\"interface\":\"eth0\",\"state\":\"MASTER\",\"priority\":150,\"configuredPriority\":150,"
                + "\"activeAddress\":\"" + ipv4(0) + "\",").endsWith("\"listenerFailures\":0,\"generation\":1}\n");
        Matcher sent = Pattern.compile("\"advertsSent\":(\\d+)").matcher(status);
        assertThat(sent.find()).isTrue();
        assertThat(Long.parseLong(sent.group(1))).as("adverts sent").isPositive();

        String labels = "{router=\"VI_1\",vrid=\"51\",family=\"IPV4\",interface=\"eth0\"}";
        List<String> metrics = curl(0, "/metrics").lines().toList();
        assertThat(metrics).contains("vrrp_state" + labels + " 2", "vrrp_priority" + labels + " 150",
                "vrrp_transitions_total" + labels + " 2");
        assertThat(metrics).filteredOn(l -> l.startsWith("vrrp_drops_total{router=\"VI_1\",")).isNotEmpty();
        assertThat(metrics).anySatisfy(l -> assertThat(l).matches(
                Pattern.quote("vrrp_adverts_sent_total" + labels + " ") + "[1-9]\\d*"));

        // Bound to 127.0.0.1 only: the LAN address refuses the connection (curl exit 7).
        assertThat(run("ip", "netns", "exec", lan.host(0), "curl", "-s", "-m", "2",
                "http://" + ipv4(0) + ":" + STATUS_PORT + "/status")).isEqualTo(7);
    }

    /**
     * SIGHUP ({@code systemctl reload}) applies the file to the running node, next to keepalived
     * 2.2.7 on the same LAN, at 10 ms advertisements: 100 reloads of the unchanged file make no
     * transition, no priority 0 and no notify script on either side; a lower priority hands over to
     * keepalived and back; an added address is installed on the Active and a removed one leaves it;
     * an added instance starts and a removed one leaves with priority 0; a broken edit is reported
     * with file and line and changes nothing.
     */
    @Test
    void sighupAppliesTheFileInPlaceNextToKeepalived() throws Exception {
        assumeThat(KeepalivedProcess.isInstalled()).as("keepalived at " + KeepalivedProcess.BINARY).isTrue();
        lan = NetnsLan.create(2);
        wire = WireLog.start(lan);
        writeExecutable(directory.resolve("notify.sh"),
                "#!/bin/sh\necho \"$*\" >> \"" + directory.resolve("notify.log") + "\"\n");
        String vip = "        " + VIP;
        String extra = """
                vrrp_instance VI_2 {
                    state BACKUP
                    interface eth0
                    virtual_router_id 52
                    priority 150
                    advert_int 0.01
                    version 3
                    virtual_ipaddress {
                        192.0.2.102/24
                    }
                }
                """;
        Path keepalivedConfig = generate("reload.conf.in", 1, Map.of("@PRIORITY@", "100", "@DIR@",
                directory.toString(), "@VIPS@", vip, "@EXTRA@", ""));
        KeepalivedProcess keepalived = keepalived(1, keepalivedConfig);
        keepalived.awaitState("VI_1", "MASTER", Duration.ofSeconds(10));
        Path config = generate("reload.conf.in", 0, Map.of("@PRIORITY@", "150", "@DIR@", directory.toString(),
                "@VIPS@", vip, "@EXTRA@", ""));
        CliNode node = CliNode.start(this, 0, config);
        node.awaitTransition("BACKUP -> MASTER (preempting lower priority)", Duration.ofSeconds(5));
        keepalived.awaitState("VI_1", "BACKUP", Duration.ofSeconds(5));
        awaitVip(0, true);
        Thread.sleep(500);

        // 100 reloads of the same file.
        List<String> notifiesBefore = Files.readAllLines(directory.resolve("notify.log"));
        List<String> keepalivedStatesBefore = keepalived.states("VI_1");
        int advertsBefore = wire.advertsFrom(ipv4(0)).size();
        long started = System.nanoTime();
        for (int i = 1; i <= 100; i++) {
            node.hangup();
            node.awaitLine("vrrp4j: reload: " + config + " applied: generation " + (i + 1) + " runs 1 virtual"
                    + " router(s)", Duration.ofSeconds(10));
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        Thread.sleep(200);
        List<Advert> during = wire.advertsFrom(ipv4(0)).subList(advertsBefore, wire.advertsFrom(ipv4(0)).size());
        long priorityZero = during.stream().filter(a -> a.priority() == 0).count();
        List<String> transitions = node.transitions();
        System.out.printf("100 reloads of an unchanged file in %.1f s at 10 ms adverts: %d transition(s) on vrrp4j,"
                        + " %d on keepalived, %d advert(s) with priority 0 of %d sent%n", seconds,
                transitions.size() - 2, keepalived.states("VI_1").size() - keepalivedStatesBefore.size(), priorityZero,
                during.size());
        assertThat(transitions).as("no transition from 100 reloads").containsExactly("INIT -> BACKUP (startup)",
                "BACKUP -> MASTER (preempting lower priority)");
        assertThat(keepalived.states("VI_1")).as("keepalived saw no flap").isEqualTo(keepalivedStatesBefore);
        assertThat(priorityZero).as("adverts with priority 0").isZero();
        assertThat(during).as("every advert at priority 150").allMatch(a -> a.priority() == 150);
        // 10 ms adverts: at most a few lost to the capture's start/stop edges, none missing in between.
        assertThat((double) during.size()).as("adverts sent while reloading").isGreaterThan(seconds * 100 * 0.9);
        assertThat(Files.readAllLines(directory.resolve("notify.log"))).as("no notify script ran")
                .isEqualTo(notifiesBefore);

        // A lower priority: keepalived (100) takes over; back to 150 and vrrp4j preempts it again.
        Files.writeString(config, Files.readString(config).replace("priority 150", "priority 50"));
        node.hangup();
        node.awaitLine("generation 102 runs", Duration.ofSeconds(10));
        wire.awaitAdvert(ipv4(0), 50, Duration.ofSeconds(2));
        keepalived.awaitState("VI_1", "MASTER", Duration.ofSeconds(2));
        node.awaitTransition("MASTER -> BACKUP (higher priority advert)", Duration.ofSeconds(2));
        awaitVip(0, false);
        Files.writeString(config, Files.readString(config).replace("priority 50", "priority 150"));
        node.hangup();
        node.awaitTransition("BACKUP -> MASTER (preempting lower priority)", Duration.ofSeconds(3));
        awaitVip(0, true);

        // An added address is installed on the Active, a removed one leaves it; no transition.
        Files.writeString(config, Files.readString(config).replace(vip, vip + "\n        192.0.2.101/24"));
        node.hangup();
        node.awaitLine("generation 104 runs", Duration.ofSeconds(10));
        awaitAddress(0, "192.0.2.101/24", true);
        Files.writeString(config, Files.readString(config).replace("\n        192.0.2.101/24", ""));
        node.hangup();
        node.awaitLine("generation 105 runs", Duration.ofSeconds(10));
        awaitAddress(0, "192.0.2.101/24", false);
        awaitVip(0, true);

        // An added instance starts (alone on VRID 52: Active); removed, it leaves with priority 0.
        Files.writeString(config, Files.readString(config) + extra);
        node.hangup();
        node.awaitLine("generation 106 runs 2 virtual router(s)", Duration.ofSeconds(10));
        awaitAddress(0, "192.0.2.102/24", true);
        Files.writeString(config, Files.readString(config).replace(extra, ""));
        node.hangup();
        node.awaitLine("generation 107 runs 1 virtual router(s)", Duration.ofSeconds(10));
        awaitAddress(0, "192.0.2.102/24", false);
        assertThat(wire.awaitAdvert(ipv4(0), 0, Duration.ofSeconds(2)).vrid()).as("VI_2 left with priority 0")
                .isEqualTo(52);

        // A broken edit: errors with file and line, generation 107 untouched.
        Files.writeString(config, Files.readString(config).replace("priority 150", "priority 300"));
        node.hangup();
        node.awaitLine("error(s) in " + config + "; generation 107 keeps running unchanged", Duration.ofSeconds(10));
        assertThat(node.output()).anySatisfy(line -> assertThat(line).startsWith(config + ":").contains(": error: ")
                .contains("300"));
        awaitVip(0, true);
        assertThat(node.transitions()).as("VI_1 moved only for the priority change").containsExactly(
                "INIT -> BACKUP (startup)", "BACKUP -> MASTER (preempting lower priority)",
                "MASTER -> BACKUP (higher priority advert)", "BACKUP -> MASTER (preempting lower priority)");
    }

    /**
     * An instance on an interface that does not exist yet (a VLAN or bond made later): bin/vrrp4j
     * starts anyway, that instance in Fault and the others running; when the interface appears it
     * starts and becomes Active; deleted, it is in Fault again; re-created under a new index, it is
     * back. keepalived's {@code dynamic_interfaces} is accepted (this is what vrrp4j does anyway).
     */
    @Test
    void anInterfaceThatAppearsLaterStartsItsInstanceAndOneDeletedFaultsIt() throws Exception {
        lan = NetnsLan.create(1);
        Path config = Files.writeString(directory.resolve("late.conf"), """
                global_defs {
                    dynamic_interfaces
                }
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    priority 150
                    advert_int 0.1
                    version 3
                    virtual_ipaddress {
                        192.0.2.100/24
                    }
                }
                vrrp_instance VI_L {
                    interface late0
                    virtual_router_id 52
                    priority 150
                    advert_int 0.1
                    version 3
                    virtual_ipaddress {
                        198.51.100.100/24
                    }
                }
                """);
        CliNode node = CliNode.start(this, 0, config);
        node.awaitLine("interface late0 does not exist; VI_L stays in Fault until it appears", Duration.ofSeconds(5));
        node.awaitTransition("BACKUP -> MASTER (advert timeout)", Duration.ofSeconds(5));
        node.awaitLine(" INFO VI_L: BACKUP -> FAULT (fault)", Duration.ofSeconds(5));
        awaitVip(0, true);

        createLate0();
        node.awaitLine("interface late0 appeared", Duration.ofSeconds(5));
        node.awaitLine(" INFO VI_L: FAULT -> BACKUP (fault cleared)", Duration.ofSeconds(5));
        node.awaitLine(" INFO VI_L: BACKUP -> MASTER (advert timeout)", Duration.ofSeconds(5));
        awaitAddress(0, "198.51.100.100/24", true);

        lan.run("ip", "-n", lan.host(0), "link", "del", "late0");
        // The veth pair loses its carrier and then its name: Fault comes with the first.
        node.awaitLine(" INFO VI_L: MASTER -> FAULT (fault)", Duration.ofSeconds(5));
        node.awaitLine("interface late0 was deleted", Duration.ofSeconds(5));

        createLate0(); // a new interface index
        node.awaitLine(" INFO VI_L: FAULT -> BACKUP (fault cleared)", Duration.ofSeconds(5));
        node.awaitLine(" INFO VI_L: BACKUP -> MASTER (advert timeout)", Duration.ofSeconds(5));
        awaitAddress(0, "198.51.100.100/24", true);
        assertThat(node.transitions()).as("VI_1 was never disturbed").containsExactly("INIT -> BACKUP (startup)",
                "BACKUP -> MASTER (advert timeout)");
        assertThat(node.terminate()).isZero();
    }

    /** late0 in host 0 (a veth pair, both ends up), with an address to advertise from. */
    private void createLate0() {
        String ns = lan.host(0);
        lan.run("ip", "-n", ns, "link", "add", "late0", "type", "veth", "peer", "name", "late1");
        lan.run("ip", "-n", ns, "addr", "add", "198.51.100.10/24", "dev", "late0");
        lan.run("ip", "-n", ns, "link", "set", "late1", "up");
        lan.run("ip", "-n", ns, "link", "set", "late0", "up");
    }

    // ------------------------------------------------------------------ on the module path

    /**
     * The same program as named modules ({@code java --module-path ... -m dev.vrrp4j.examples/...}),
     * native access granted to vrrp4j's and Netty's modules only and every other use of native code
     * refused ({@code --illegal-native-access=deny}): it elects itself, adds the VIP (rtnetlink through
     * FFM), advertises, and leaves on SIGTERM with priority 0 and the VIP removed.
     */
    @Test
    void runsOnTheModulePathWithNativeAccessGrantedToItsOwnModulesOnly() throws Exception {
        lan = NetnsLan.create(1);
        wire = WireLog.start(lan);
        writeExecutable(directory.resolve("check.sh"), "#!/bin/sh\nexec test -f \"$1\"\n");
        Path hostDir = Files.createDirectories(directory.resolve("h0"));
        Files.writeString(hostDir.resolve("healthy"), "");
        for (String script : List.of("notify_master.sh", "notify_backup.sh", "notify_stop.sh", "notify.sh")) {
            writeExecutable(hostDir.resolve(script), "#!/bin/sh\n");
        }
        Path config = generate("pair.conf.in", 0, Map.of("@DIR@", directory.toString(), "@PRIORITY@", "150"));
        CliNode node = CliNode.start(this, 0, onModulePath("dev.vrrp4j.netty,io.netty.common", config));
        node.awaitTransition("BACKUP -> MASTER (advert timeout)", Duration.ofSeconds(5));
        awaitVip(0, true);
        wire.awaitAdvert(ipv4(0), 150, Duration.ofSeconds(2));
        assertThat(node.terminate()).as("exit status after SIGTERM; output:\n" + node.output()).isZero();
        wire.awaitAdvert(ipv4(0), 0, Duration.ofSeconds(2));
        assertThat(holdsVip(0)).as("holds the VIP after leaving").isFalse();
        assertThat(node.output()).as("nothing warned about (a restricted method, an unnamed module)")
                .noneMatch(line -> line.contains("WARNING"));
    }

    /** Without native access for vrrp4j's module the JVM would refuse its first downcall: it says which option to add. */
    @Test
    void onTheModulePathWithoutNativeAccessItNamesTheOptionToAdd() throws Exception {
        lan = NetnsLan.create(1);
        Path config = Files.writeString(directory.resolve("minimal.conf"), """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    priority 150
                    virtual_ipaddress {
                        192.0.2.100/24
                    }
                }
                """);
        Process process = lan.startProcess(lan.host(0), onModulePath("io.netty.common", config).toArray(String[]::new));
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).as("refused start exits").isTrue();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.exitValue()).as("exit status (3: start failed); output:\n" + output).isEqualTo(3);
        assertThat(output).contains("vrrp4j: start failed: native access is not enabled for module dev.vrrp4j.netty:"
                + " start the JVM with --enable-native-access=dev.vrrp4j.netty,io.netty.common")
                .doesNotContain("Exception");
        assertThat(holdsVip(0)).isFalse();
    }

    /**
     * {@code java ... -m dev.vrrp4j.examples/...Vrrp4jMain --config FILE} on {@link #modulePath()}, any
     * native access outside {@code nativeAccessModules} refused as a future JDK will by default.
     */
    private static List<String> onModulePath(String nativeAccessModules, Path config) {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-Xmx64m", "--illegal-native-access=deny",
                "--enable-native-access=" + nativeAccessModules, "--module-path", modulePath(),
                "--add-modules", "io.netty.transport.epoll.linux.x86_64",
                "-m", "dev.vrrp4j.examples/dev.vrrp4j.examples.cli.Vrrp4jMain", "--config", config.toString());
    }

    /**
     * vrrp4j's three modules as the build left them (their classes directories, each with its
     * module-info.class) and the jars of Netty and SLF4J from this test's class path.
     */
    private static String modulePath() {
        Path root = Path.of(System.getProperty("basedir", System.getProperty("user.dir"))).toAbsolutePath().getParent();
        List<String> entries = new ArrayList<>();
        for (String module : List.of("vrrp-core", "vrrp-netty", "examples")) {
            Path classes = root.resolve(module).resolve("target/classes");
            assertThat(classes.resolve("module-info.class")).as("module descriptor of " + module).isRegularFile();
            entries.add(classes.toString());
        }
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        for (String entry : classPath.split(java.io.File.pathSeparator)) {
            String name = Path.of(entry).getFileName().toString();
            if (name.endsWith(".jar") && (name.startsWith("netty-") || name.startsWith("slf4j-"))) {
                entries.add(entry);
            }
        }
        assertThat(entries).as("module path").anyMatch(e -> e.contains("netty-transport-native-epoll"));
        return String.join(java.io.File.pathSeparator, entries);
    }

    // ------------------------------------------------------------------ vrrp4j as bin/vrrp4j

    /** One {@code bin/vrrp4j --config FILE} process in a host namespace, its output read line by line. */
    private static final class CliNode implements AutoCloseable {
        private final String namespace;
        private final Process process;
        private final NetnsLan.Capture output;
        private int cursor;
        private int lineCursor;

        private CliNode(String namespace, Process process) {
            this.namespace = namespace;
            this.process = process;
            this.output = NetnsLan.Capture.of(process);
        }

        static CliNode start(Vrrp4jKeepalivedConfIT test, int host, Path config, String... options) {
            List<String> command = new ArrayList<>(List.of("env", JAVA_OPTS, launcher.toString(), "--config",
                    config.toString()));
            command.addAll(List.of(options));
            return start(test, host, command);
        }

        /** {@code command} launches vrrp4j some other way than bin/vrrp4j. */
        static CliNode start(Vrrp4jKeepalivedConfIT test, int host, List<String> command) {
            CliNode node = new CliNode(test.lan.host(host), test.lan.startProcess(test.lan.host(host),
                    command.toArray(String[]::new)));
            test.started.add(node);
            node.output.awaitLine(Duration.ofSeconds(20), "vrrp4j: running ");
            return node;
        }

        /** Waits for a transition line ({@code VI_1: FROM -> TO (reason)}) after the last one awaited. */
        void awaitTransition(String transition, Duration timeout) throws InterruptedException {
            String wanted = " INFO VI_1: " + transition;
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                List<String> lines = output.lines();
                for (int i = cursor; i < lines.size(); i++) {
                    if (lines.get(i).endsWith(wanted)) {
                        cursor = i + 1;
                        return;
                    }
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("vrrp4j in " + namespace + ": no '" + transition + "' within " + timeout
                            + "; output:\n" + String.join("\n", lines));
                }
                Thread.sleep(10);
            }
        }

        /**
         * Waits for a line containing {@code fragment} after the last one this method returned (a
         * check reports "healthy" at startup too).
         */
        void awaitLine(String fragment, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                List<String> lines = output.lines();
                for (int i = lineCursor; i < lines.size(); i++) {
                    if (lines.get(i).contains(fragment)) {
                        lineCursor = i + 1;
                        return;
                    }
                }
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("vrrp4j in " + namespace + ": no '" + fragment + "' within " + timeout
                            + "; output:\n" + String.join("\n", lines));
                }
                Thread.sleep(10);
            }
        }

        /** Every transition logged so far, as {@code FROM -> TO (reason)}. */
        List<String> transitions() {
            return output.lines().stream().map(TRANSITION::matcher).filter(Matcher::find).map(m -> m.group(1))
                    .toList();
        }

        List<String> output() {
            return output.lines();
        }

        /** SIGTERM by PID (not {@link Process#destroy()}, which would close our end of its output). */
        int terminate() throws IOException, InterruptedException {
            signal("-TERM");
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                throw new AssertionError("vrrp4j in " + namespace + " still running 15 s after SIGTERM; output:\n"
                        + String.join("\n", output.lines()));
            }
            output.stop(); // the process is gone: waits for the reader to take the last lines
            return process.exitValue();
        }

        /** SIGHUP by PID, as {@code systemctl reload} sends it. */
        void hangup() throws IOException, InterruptedException {
            signal("-HUP");
        }

        /** SIGSTOP, a pause of {@code millis}, SIGCONT: the JVM stopped as a starved or swapped process is. */
        void pause(long millis) throws IOException, InterruptedException {
            signal("-STOP");
            Thread.sleep(millis);
            signal("-CONT");
        }

        /** The scheduling of the JVM's thread called {@code name}, as {@code chrt -p} reports it. */
        String scheduling(String name) throws IOException, InterruptedException {
            for (Path task : Files.list(Path.of("/proc/" + process.pid() + "/task")).toList()) {
                if (Files.readString(task.resolve("comm")).strip().equals(name)) {
                    Process chrt = new ProcessBuilder("chrt", "-p", task.getFileName().toString()).redirectErrorStream(true)
                            .start();
                    String text = new String(chrt.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                    chrt.waitFor();
                    return text;
                }
            }
            throw new AssertionError("no thread " + name + " in " + process.pid());
        }

        /** kill -9 by PID: no priority 0, no cleanup. */
        void kill() throws IOException, InterruptedException {
            signal("-KILL");
            assertThat(process.waitFor(5, TimeUnit.SECONDS)).as("vrrp4j ended by SIGKILL").isTrue();
        }

        private void signal(String signal) throws IOException, InterruptedException {
            // ip netns exec, env, bin/vrrp4j and java all exec in turn: this PID is the JVM's
            int status = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start().waitFor();
            assertThat(status).as("kill " + signal + " " + process.pid()).isZero();
        }

        @Override
        public void close() throws Exception {
            if (process.isAlive()) {
                kill();
            }
            output.stop();
        }
    }

    // ------------------------------------------------------------------ helpers

    /** keepalived on the operator's file as it is, its pid files in a directory of this test's. */
    private KeepalivedProcess keepalived(int host, Path config) throws IOException {
        Path run = Files.createDirectories(directory.resolve("keepalived-h" + host));
        KeepalivedProcess keepalived = KeepalivedProcess.startOnFile(lan, lan.host(host), config, run);
        started.add(keepalived);
        return keepalived;
    }

    /**
     * classic-v2.conf.in for the primary (host 0: state MASTER, priority 101) or the secondary
     * (host 1: state BACKUP, priority 100), unicast to the other host.
     */
    private Path classicV2(int host, String interfaceName) throws IOException {
        boolean primary = host == 0;
        return generate("classic-v2.conf.in", host, Map.of("@STATE@", primary ? "MASTER" : "BACKUP",
                "@INTERFACE@", interfaceName, "@PRIORITY@", primary ? "101" : "100", "@SRC@", ipv4(host),
                "@PEER@", ipv4(1 - host)));
    }

    /** Renames {@code host}'s eth0 to {@code name} and waits until it is up again. */
    private void renameInterface(int host, String name) throws InterruptedException {
        String namespace = lan.host(host);
        lan.run("ip", "-n", namespace, "link", "set", NetnsLan.INTERFACE, "down");
        lan.run("ip", "-n", namespace, "link", "set", NetnsLan.INTERFACE, "name", name);
        lan.run("ip", "-n", namespace, "link", "set", name, "up");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!lan.run("ip", "-n", namespace, "-o", "link", "show", name).contains("state UP")) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError(name + " in " + namespace + " not up: "
                        + lan.run("ip", "-n", namespace, "-o", "link", "show", name));
            }
            Thread.sleep(20);
        }
    }

    /**
     * tcpdump -e -vv on the bridge, VRRP only: unlike {@link WireLog} it prints VRRPv2's
     * authentication data and the IP header, and checks the VRRP checksum.
     */
    private NetnsLan.Capture verboseVrrpCapture() {
        NetnsLan.Capture capture = lan.tcpdump(lan.bridgeNamespace(), NetnsLan.BRIDGE, "ip proto 112");
        started.add(capture);
        return capture;
    }

    /**
     * The advertisements from {@code source} in a {@link #verboseVrrpCapture()}, each as one line
     * (tcpdump -v prints the IP header on one line and the VRRP message on an indented next one),
     * once there are at least {@code count}: that tcpdump prints a little after {@link WireLog}'s.
     */
    private static List<String> verboseAdverts(NetnsLan.Capture capture, String source, int count)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (true) {
            List<String> packets = new ArrayList<>();
            for (String line : capture.lines()) {
                if (line.startsWith(" ") && !packets.isEmpty()) {
                    packets.set(packets.size() - 1, packets.getLast() + " " + line.strip());
                } else {
                    packets.add(line);
                }
            }
            List<String> adverts = packets.stream()
                    .filter(p -> p.contains(") " + source + " > ") && p.contains(": VRRPv")).toList();
            if (adverts.size() >= count || System.nanoTime() - deadline > 0) {
                return adverts;
            }
            Thread.sleep(20);
        }
    }

    /** A gratuitous ARP for the VIP captured after {@code epochSeconds}; waits up to 2 s. */
    private void awaitGarpAfter(double epochSeconds) throws InterruptedException {
        String address = VIP.substring(0, VIP.indexOf('/'));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (wire.lines().stream().noneMatch(l -> l.contains("ARP, Request who-has " + address + " ")
                && l.contains(" tell " + address + ",")
                && Double.parseDouble(l.substring(0, l.indexOf(' '))) > epochSeconds)) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no gratuitous ARP for " + VIP + " after " + epochSeconds + "; captured:\n"
                        + String.join("\n", wire.lines()));
            }
            Thread.sleep(20);
        }
    }

    private static String ipv4(int host) {
        return NetnsLan.ipv4(host).getHostAddress();
    }

    /** Fills in the template for host {@code host}: {@code @HOST@} and {@code values}; writes h{host}.conf. */
    private Path generate(String template, int host, Map<String, String> values) throws IOException {
        String text;
        try (InputStream in = Vrrp4jKeepalivedConfIT.class.getResourceAsStream(template)) {
            assertThat(in).as("template " + template).isNotNull();
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        text = text.replace("@HOST@", "h" + host);
        for (Map.Entry<String, String> e : values.entrySet()) {
            text = text.replace(e.getKey(), e.getValue());
        }
        assertThat(text).as("generated from " + template).doesNotContain("@");
        return Files.writeString(directory.resolve("h" + host + ".conf"), text);
    }

    private static void writeExecutable(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private boolean holdsVip(int host) {
        return lan.ipAddr(lan.host(host)).contains(" " + VIP + " ");
    }

    /** Waits up to 2 s until {@code address} (with its prefix) is, or is no longer, on host {@code host}. */
    private void awaitAddress(int host, String address, boolean present) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (lan.ipAddr(lan.host(host)).contains(" " + address + " ") != present) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("h" + host + (present ? " does not hold " : " still holds ") + address + ":\n"
                        + lan.ipAddr(lan.host(host)));
            }
            Thread.sleep(20);
        }
    }

    /** The address is added or removed just after the transition is logged: waits up to 2 s. */
    private void awaitVip(int host, boolean held) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (holdsVip(host) != held) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("h" + host + (held ? " does not hold " : " still holds ") + VIP + ":\n"
                        + lan.ipAddr(lan.host(host)));
            }
            Thread.sleep(20);
        }
    }

    private String curl(int host, String path) {
        return lan.exec(lan.host(host), "curl", "-s", "-m", "5", "http://127.0.0.1:" + STATUS_PORT + path);
    }

    private List<String> notifyLog(int host) throws IOException {
        Path log = directory.resolve("h" + host + "/notify.log");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    /** Notify scripts run on the listener thread, after the transition is logged. */
    private void awaitNotifyLogSize(int host, int lines) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (notifyLog(host).size() < lines && System.nanoTime() - deadline < 0) {
            Thread.sleep(20);
        }
    }

    /** The first advertisement from {@code source} captured after {@code epochSeconds}; waits up to 3 s. */
    private Advert awaitAdvertAfter(String source, double epochSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (true) {
            Optional<Advert> advert = wire.advertsFrom(source).stream().filter(a -> a.epochSeconds() > epochSeconds)
                    .findFirst();
            if (advert.isPresent()) {
                return advert.get();
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("no advertisement from " + source + " after " + epochSeconds + "; captured:\n"
                        + String.join("\n", wire.lines()));
            }
            Thread.sleep(20);
        }
    }

    private static int run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " still running after 10 s");
        }
        return process.exitValue();
    }
}
