package dev.vrrp4j.netty.testing;

import dev.vrrp4j.netty.testing.HolderTimeline.Change;
import dev.vrrp4j.netty.testing.HolderTimeline.Kind;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Watches one virtual address on every host of a {@link NetnsLan} as the kernel reports it: an
 * {@code ip -ts monitor address} per host namespace, whose lines carry the wall-clock time (µs) at
 * which the netlink notification was read, the same clock as tcpdump's {@code -tt}. No polling, so
 * nothing is missed between two polls; the timestamps lag the kernel by the time {@code ip} takes
 * to be scheduled, a few ms on a busy machine. The test adds when a host goes out of or back into
 * service ({@link #outOfService}, {@link #inService}); {@link #timeline()} puts it all together.
 */
public final class VipWatch implements AutoCloseable {
    // [2026-11-27T04:22:45.328233] Deleted 3: eth0    inet 192.0.2.100/24 scope global secondary eth0
    private static final Pattern LINE = Pattern.compile("^\\[(\\S+)] (Deleted )?\\d+: (\\S+)\\s+inet6? (\\S+)/\\d+ ");
    private static final String PROBE = "198.51.100.254";

    private final NetnsLan lan;
    private final String vip;
    private final List<NetnsLan.Capture> monitors = new ArrayList<>();
    private final List<Change> serviceChanges = new CopyOnWriteArrayList<>();

    private VipWatch(NetnsLan lan, String vip) {
        this.lan = lan;
        this.vip = vip;
    }

    /**
     * Starts watching {@code vip} (an address without prefix length) on every host's {@code eth0};
     * returns once every monitor is seen to report (a probe address added to and removed from
     * {@code lo}).
     */
    public static VipWatch start(NetnsLan lan, String vip) {
        VipWatch watch = new VipWatch(lan, vip);
        for (String host : lan.hosts()) {
            watch.monitors.add(NetnsLan.Capture.of(lan.startProcess(host, "ip", "-ts", "monitor", "address")));
        }
        for (int i = 0; i < lan.hosts().size(); i++) {
            String host = lan.host(i);
            NetnsLan.Capture monitor = watch.monitors.get(i);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            // The monitor may not have subscribed yet: probe until it reports.
            while (monitor.lines().stream().noneMatch(l -> l.contains(" " + PROBE + "/32 "))) {
                lan.exec(host, "ip", "addr", "add", PROBE + "/32", "dev", "lo");
                lan.exec(host, "ip", "addr", "del", PROBE + "/32", "dev", "lo");
                if (System.nanoTime() - deadline > 0) {
                    throw new AssertionError("ip monitor in " + host + " reports nothing: " + monitor.lines());
                }
                sleep(20);
            }
        }
        return watch;
    }

    /** From {@code epochSeconds} on, host {@code index} serves nothing (process killed, link down). */
    public void outOfService(int index, double epochSeconds) {
        serviceChanges.add(new Change(epochSeconds, index, Kind.SERVICE, false));
    }

    /** From {@code epochSeconds} on, host {@code index} is in service again. */
    public void inService(int index, double epochSeconds) {
        serviceChanges.add(new Change(epochSeconds, index, Kind.SERVICE, true));
    }

    /** Everything seen so far. Every host is taken to start without the address. */
    public HolderTimeline timeline() {
        List<Change> changes = new ArrayList<>(serviceChanges);
        for (int i = 0; i < monitors.size(); i++) {
            for (String line : monitors.get(i).lines()) {
                Matcher m = LINE.matcher(line);
                if (m.find() && m.group(3).equals(NetnsLan.INTERFACE) && m.group(4).equals(vip)) {
                    changes.add(new Change(epochSeconds(m.group(1)), i, Kind.ADDRESS, m.group(2) == null));
                }
            }
        }
        return new HolderTimeline(monitors.size(), changes);
    }

    /** Whether host {@code index} has the address on eth0 now, by {@code ip addr}: the final check. */
    public boolean hasAddressNow(int index) {
        return lan.ipAddr(lan.host(index)).contains(" " + vip + "/");
    }

    /** The current wall-clock time in epoch seconds, as tcpdump and {@code ip -ts} print it. */
    public static double now() {
        Instant now = Instant.now();
        return now.getEpochSecond() + now.getNano() / 1e9;
    }

    private static double epochSeconds(String isoLocal) {
        Instant instant = LocalDateTime.parse(isoLocal).atZone(ZoneId.systemDefault()).toInstant();
        return instant.getEpochSecond() + instant.getNano() / 1e9;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public void close() {
        monitors.forEach(NetnsLan.Capture::stop);
    }
}
