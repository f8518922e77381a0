package dev.vrrp4j.netty.transport;

import dev.vrrp4j.netty.testing.NetnsLan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Addresses added and removed with iproute2 arrive as {@link AddressEvent}s, for IPv4 and IPv6. */
class AddressMonitorTest {
    private static NetnsLan lan;
    private static String host;

    @BeforeAll
    static void createLan() {
        lan = NetnsLan.create(1);
        host = lan.host(0);
    }

    @AfterAll
    static void closeLan() {
        if (lan != null) {
            lan.close();
        }
    }

    /** Polls until an event of {@code kind} for {@code address} arrived or 5 s passed; returns all seen. */
    private static List<AddressEvent> until(AddressMonitor monitor, AddressEvent.Kind kind, String address)
            throws Exception {
        InetAddress wanted = InetAddress.getByName(address);
        List<AddressEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            LinuxSyscalls.pollReadable(monitor.fd(), 100);
            events.addAll(monitor.poll());
            if (events.stream().anyMatch(e -> e.kind() == kind && wanted.equals(e.address()))) {
                return events;
            }
        }
        throw new AssertionError("no " + kind + " " + address + " within 5 s; saw " + events);
    }

    @Test
    void anIpv4AddressAddedAndRemovedByAnotherProcessIsReportedWithItsInterface() throws Exception {
        int eth0 = lan.runIn(host, () -> LinuxSyscalls.ifNameToIndex("eth0"));
        try (AddressMonitor monitor = lan.runIn(host, AddressMonitor::open)) {
            lan.run("ip", "-n", host, "addr", "add", "192.0.2.77/24", "dev", "eth0");
            assertThat(until(monitor, AddressEvent.Kind.ADDED, "192.0.2.77"))
                    .contains(new AddressEvent(AddressEvent.Kind.ADDED, eth0, InetAddress.getByName("192.0.2.77"), 24));

            lan.run("ip", "-n", host, "addr", "del", "192.0.2.77/24", "dev", "eth0");
            assertThat(until(monitor, AddressEvent.Kind.REMOVED, "192.0.2.77")).contains(
                    new AddressEvent(AddressEvent.Kind.REMOVED, eth0, InetAddress.getByName("192.0.2.77"), 24));
        }
    }

    @Test
    void anIpv6AddressRemovalIsReported() throws Exception {
        int eth0 = lan.runIn(host, () -> LinuxSyscalls.ifNameToIndex("eth0"));
        try (AddressMonitor monitor = lan.runIn(host, AddressMonitor::open)) {
            lan.run("ip", "-n", host, "addr", "add", "2001:db8::77/64", "dev", "eth0", "nodad");
            until(monitor, AddressEvent.Kind.ADDED, "2001:db8::77");
            lan.run("ip", "-n", host, "addr", "del", "2001:db8::77/64", "dev", "eth0");
            assertThat(until(monitor, AddressEvent.Kind.REMOVED, "2001:db8::77")).contains(
                    new AddressEvent(AddressEvent.Kind.REMOVED, eth0, InetAddress.getByName("2001:db8::77"), 64));
        }
    }
}
