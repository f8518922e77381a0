package dev.vrrp4j.netty.chaos;

import dev.vrrp4j.netty.testing.HolderTimeline;
import dev.vrrp4j.netty.testing.KeepalivedInstance;
import dev.vrrp4j.netty.testing.KeepalivedProcess;
import dev.vrrp4j.netty.testing.LanExtension;
import dev.vrrp4j.netty.testing.NetnsLan;
import dev.vrrp4j.netty.testing.NodeProcess;
import dev.vrrp4j.netty.testing.VipWatch;
import dev.vrrp4j.netty.testing.WireLog.Advert;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.vrrp4j.netty.chaos.ChaosBounds.INTERVAL_CENTIS;

/**
 * The chaos scenarios' LAN: three (or more) hosts on one bridge, one virtual router VI_1 (VRID 51,
 * 192.0.2.100/24, 100 ms) run by vrrp4j nodes or keepalived, the VIP watched on every host
 * ({@link VipWatch}), the wire captured on the bridge, and the faults: kill -9, SIGSTOP, link
 * down, and nftables rules on the bridge (partition, random loss).
 */
final class ChaosLan {
    static final String ROUTER = "VI_1";
    static final int VRID = 51;
    static final String VIP = "192.0.2.100";
    private static final String TABLE = "chaos";
    private static final Pattern COUNTER = Pattern.compile("counter packets (\\d+) bytes");

    private final LanExtension bed;
    private VipWatch watch;

    ChaosLan(LanExtension bed) {
        this.bed = bed;
    }

    NetnsLan lan() {
        return bed.lan();
    }

    /** Starts watching the VIP on every host; call before the first router starts. */
    VipWatch watch() {
        if (watch == null) {
            watch = bed.track(VipWatch.start(bed.lan(), VIP));
        }
        return watch;
    }

    HolderTimeline timeline() {
        return watch().timeline();
    }

    /** The router argument of a vrrp4j node at {@code priority}, plus {@code extra} ({@code ,key=value...}). */
    static String router(int priority, String extra) {
        return "name=" + ROUTER + ",vrid=" + VRID + ",interval=" + INTERVAL_CENTIS + ",vips=" + VIP + "/24,priority="
                + priority + extra;
    }

    /** Starts a vrrp4j node in host {@code host}; the host is in service once it runs. */
    NodeProcess vrrp4j(int host, int priority, String extra) {
        watch();
        NodeProcess node = bed.startNode(host, router(priority, extra));
        watch.inService(host, VipWatch.now());
        return node;
    }

    NodeProcess vrrp4j(int host, int priority) {
        return vrrp4j(host, priority, "");
    }

    /** Starts a vrrp4j node without waiting for it (several at once); see {@link #awaitStarted}. */
    NodeProcess launch(int host, String... routers) {
        watch();
        return bed.track(NodeProcess.launch(bed.lan(), bed.host(host), List.of(), routers));
    }

    /** keepalived 2.2.7 in {@code host}, the same virtual router, {@code state BACKUP} like every vrrp4j node. */
    KeepalivedProcess keepalived(int host, int priority, Path directory) {
        watch();
        KeepalivedProcess keepalived = bed.startKeepalived(host, directory, keepalivedInstance(ROUTER, VRID, VIP, priority));
        watch.inService(host, VipWatch.now());
        return keepalived;
    }

    static KeepalivedInstance keepalivedInstance(String name, int vrid, String vip, int priority) {
        return KeepalivedInstance.of(name, vrid, priority, vip + "/24").advertIntervalCentis(INTERVAL_CENTIS);
    }

    /** kill -9 of a node: its host is out of service from just before the signal. Returns that time. */
    double kill(int host, NodeProcess node) throws InterruptedException {
        double at = VipWatch.now();
        watch().outOfService(host, at);
        node.kill();
        return at;
    }

    /** kill -9 of keepalived's VRRP process. */
    double kill(int host, KeepalivedProcess keepalived) throws InterruptedException {
        double at = VipWatch.now();
        watch().outOfService(host, at);
        keepalived.kill();
        return at;
    }

    /** Link down (or up) on host {@code host}'s eth0; returns the time just before the change. */
    double link(int host, boolean up) {
        double at = VipWatch.now();
        if (!up) {
            watch().outOfService(host, at);
        }
        bed.lan().exec(bed.host(host), "ip", "link", "set", NetnsLan.INTERFACE, up ? "up" : "down");
        if (up) {
            awaitOperational(host);
            watch().inService(host, VipWatch.now());
        }
        return at;
    }

    /**
     * Waits until the kernel passes frames on the host's link again: a veth that comes up is
     * operational only when its link watch has run (up to 1 s later); until then the host is not
     * reachable, whatever it holds.
     */
    private void awaitOperational(int host) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!bed.lan().run("ip", "-n", bed.host(host), "-o", "link", "show", "dev", NetnsLan.INTERFACE)
                .contains(" state UP ")
                || !bed.lan().run("ip", "-n", bed.lan().bridgeNamespace(), "-o", "link", "show", "dev",
                bed.lan().bridgePort(host)).contains(" state UP ")) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("eth0 of host " + host + " did not become operational");
            }
            sleep(5);
        }
    }

    /**
     * Drops VRRP (IP protocol 112) between hosts {@code a} and every host in {@code others}, both
     * ways, on the bridge: everything else (ARP, IPv6) still passes. Returns the time just before.
     */
    double partition(int a, int... others) {
        List<String> rules = new ArrayList<>();
        for (int b : others) {
            String pa = bed.lan().bridgePort(a);
            String pb = bed.lan().bridgePort(b);
            rules.add("add rule bridge " + TABLE + " forward iifname " + pa + " oifname " + pb + " ip protocol 112 drop");
            rules.add("add rule bridge " + TABLE + " forward iifname " + pb + " oifname " + pa + " ip protocol 112 drop");
        }
        return nft(rules);
    }

    /** Drops every VRRP packet on the bridge: each router hears nobody. */
    double isolateAll() {
        return nft(List.of("add rule bridge " + TABLE + " forward ip protocol 112 drop"));
    }

    /** Drops {@code percent} % of VRRP packets at random, each copy the bridge forwards on its own. */
    double loseAtRandom(int percent) {
        return nft(List.of(
                "add rule bridge " + TABLE + " forward ip protocol 112 counter",
                "add rule bridge " + TABLE + " forward ip protocol 112 numgen random mod 100 < " + percent
                        + " counter drop"));
    }

    /** The packet counters of the rules in order (for {@link #loseAtRandom}: forwarded, dropped). */
    List<Long> counters() {
        String table = bed.lan().exec(bed.lan().bridgeNamespace(), "nft", "list", "table", "bridge", TABLE);
        List<Long> counters = new ArrayList<>();
        Matcher m = COUNTER.matcher(table);
        while (m.find()) {
            counters.add(Long.parseLong(m.group(1)));
        }
        return counters;
    }

    /** Removes every rule: the LAN is whole again. Returns the time just before. */
    double heal() {
        double at = VipWatch.now();
        bed.lan().exec(bed.lan().bridgeNamespace(), "nft", "delete table bridge " + TABLE);
        return at;
    }

    private double nft(List<String> rules) {
        String script = "add table bridge " + TABLE + "; add chain bridge " + TABLE
                + " forward { type filter hook forward priority 0 ; policy accept ; }; " + String.join("; ", rules);
        double at = VipWatch.now();
        bed.lan().exec(bed.lan().bridgeNamespace(), "nft", script);
        return at;
    }

    /** The IPv4 address of host {@code host}, the source of its adverts. */
    static String address(int host) {
        return NetnsLan.ipv4(host).getHostAddress();
    }

    /** Adverts from {@code host} at a non-zero priority captured in [from, to]. */
    List<Advert> adverts(int host, double from, double to) {
        return bed.wire().advertsFrom(address(host)).stream()
                .filter(a -> a.priority() > 0 && a.epochSeconds() >= from && a.epochSeconds() <= to).toList();
    }

    /** Asserts that exactly {@code host} holds the VIP now, by {@code ip addr} in every host. */
    void assertOnlyHolder(int host) {
        for (int i = 0; i < bed.lan().hosts().size(); i++) {
            boolean has = watch().hasAddressNow(i);
            if (has != (i == host)) {
                throw new AssertionError("host " + i + (has ? " holds " : " does not hold ") + VIP + "; expected only host "
                        + host + ":\n" + bed.lan().ipAddr(bed.host(i)));
            }
        }
    }

    static int count(List<String> events, String transition) {
        return (int) events.stream().filter(e -> e.startsWith(transition + " ")).count();
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
