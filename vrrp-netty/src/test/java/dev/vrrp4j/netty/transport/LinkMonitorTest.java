package dev.vrrp4j.netty.transport;

import dev.vrrp4j.netty.testing.NetnsLan;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.vrrp4j.netty.transport.LinkEvent.State.DOWN;
import static dev.vrrp4j.netty.transport.LinkEvent.State.REMOVED;
import static dev.vrrp4j.netty.transport.LinkEvent.State.UP;
import static org.assertj.core.api.Assertions.assertThat;

/** Link state changes made with iproute2 arrive as {@link LinkEvent}s. */
class LinkMonitorTest {
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

    /** Polls until {@code count} events arrived or 5 s passed. */
    private static List<LinkEvent> events(LinkMonitor monitor, int count) throws NativeException {
        List<LinkEvent> events = new ArrayList<>();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (events.size() < count && System.nanoTime() < deadline) {
            LinuxSyscalls.pollReadable(monitor.fd(), 100);
            events.addAll(monitor.poll());
        }
        return events;
    }

    @Test
    void administrativeDownAndUpAreReportedOnceEach() throws Exception {
        // A veth pair inside the host namespace (this kernel has no dummy driver).
        lan.run("ip", "-n", host, "link", "add", "vt0", "type", "veth", "peer", "name", "vt1");
        lan.run("ip", "-n", host, "link", "set", "vt1", "up");
        lan.run("ip", "-n", host, "link", "set", "vt0", "up");
        try (LinkMonitor monitor = lan.runIn(host, () -> LinkMonitor.open("vt0"))) {
            int index = lan.runIn(host, () -> LinuxSyscalls.ifNameToIndex("vt0"));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (monitor.state() != UP && System.nanoTime() < deadline) { // the carrier comes on asynchronously
                events(monitor, 1);
            }
            assertThat(monitor.state()).isEqualTo(UP);

            lan.run("ip", "-n", host, "link", "set", "vt0", "down");
            assertThat(events(monitor, 1)).containsExactly(new LinkEvent("vt0", index, DOWN));

            lan.run("ip", "-n", host, "link", "set", "vt0", "mtu", "1400"); // a change that is not up/down
            lan.run("ip", "-n", host, "link", "set", "vt0", "up");
            assertThat(events(monitor, 1)).containsExactly(new LinkEvent("vt0", index, UP));
            assertThat(monitor.poll()).as("nothing more").isEmpty();

            lan.run("ip", "-n", host, "link", "del", "vt0");
            // The kernel takes a link down before it unregisters it, and says so.
            assertThat(events(monitor, 2)).containsExactly(new LinkEvent("vt0", index, DOWN), new LinkEvent("vt0", index, REMOVED));
            assertThat(monitor.state()).isEqualTo(REMOVED);
        }
    }

    @Test
    void carrierLossOnTheLanIsReportedAsDown() throws Exception {
        try (LinkMonitor monitor = lan.runIn(host, () -> LinkMonitor.open("eth0"))) {
            assertThat(monitor.state()).isEqualTo(UP);

            // Unplug the cable: the bridge port goes down, eth0 stays administratively up.
            lan.run("ip", "-n", lan.bridgeNamespace(), "link", "set", lan.bridgePort(0), "down");
            assertThat(events(monitor, 1)).extracting(LinkEvent::state).containsExactly(DOWN);
            assertThat(lan.run("ip", "-n", host, "-o", "link", "show", "dev", "eth0")).contains("NO-CARRIER");

            lan.run("ip", "-n", lan.bridgeNamespace(), "link", "set", lan.bridgePort(0), "up");
            assertThat(events(monitor, 1)).extracting(LinkEvent::state).containsExactly(UP);
        }
    }

    @Test
    void anInterfaceThatAppearsLaterIsReportedUp() throws Exception {
        try (LinkMonitor monitor = lan.runIn(host, () -> LinkMonitor.open("vt2"))) {
            assertThat(monitor.state()).isEqualTo(REMOVED);
            lan.run("ip", "-n", host, "link", "add", "vt2", "type", "veth", "peer", "name", "vt3");
            lan.run("ip", "-n", host, "link", "set", "vt3", "up");
            lan.run("ip", "-n", host, "link", "set", "vt2", "up");
            assertThat(events(monitor, 2)).extracting(LinkEvent::state).containsExactly(DOWN, UP);
        } finally {
            lan.run("ip", "-n", host, "link", "del", "vt2");
        }
    }
}
