package dev.vrrp4j.netty.driver;

import dev.vrrp4j.core.node.LinkState;
import dev.vrrp4j.core.node.Node;
import dev.vrrp4j.core.node.NodeConfig;
import dev.vrrp4j.core.node.NodeInterface;
import dev.vrrp4j.core.node.NodeRouter;
import dev.vrrp4j.core.node.RouterSpec;
import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.netty.transport.AddressMonitor;
import dev.vrrp4j.netty.transport.ArpWatchSocket;
import dev.vrrp4j.netty.transport.GratuitousArpSender;
import dev.vrrp4j.netty.transport.LinkInfo;
import dev.vrrp4j.netty.transport.LinkMonitor;
import dev.vrrp4j.netty.transport.NativeException;
import dev.vrrp4j.netty.transport.NeighborAdvertisementSender;
import dev.vrrp4j.netty.transport.RtNetlink;
import dev.vrrp4j.netty.transport.TimerFd;
import dev.vrrp4j.netty.transport.VrrpReceiveSocket;
import dev.vrrp4j.netty.transport.VrrpSendSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every kernel resource a node holds, opened in the calling thread's network namespace before the
 * event loop runs: rtnetlink, the sockets of each interface, one send socket per interface and
 * source, the link monitors of tracked interfaces, the address monitor and the timer. Opening also
 * resolves each router's advertisement source from the kernel, which is what the {@link Node} needs
 * to be built, so the node is made here too.
 */
final class NodeSockets implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NodeSockets.class);
    /** Receive queue per router on a socket (16 KiB ≈ 12–20 queued adverts each), within the bounds below. */
    private static final int RECEIVE_BUFFER_PER_ROUTER = 16 * 1024;
    private static final int RECEIVE_BUFFER_MIN = 256 * 1024;
    private static final int RECEIVE_BUFFER_MAX = 4 * 1024 * 1024;

    /** A tracked interface (keepalived {@code track_interface}) and its link monitor. */
    record TrackedInterface(String name, LinkMonitor monitor) {}

    RtNetlink netlink;
    Node node;
    /** The driver's side of each router, by {@link NodeRouter#index()}. */
    DriverRouter[] routers = new DriverRouter[0];
    final Map<String, InterfacePort> ports = new LinkedHashMap<>();
    final List<TrackedInterface> trackedInterfaces = new ArrayList<>();
    private final Map<String, VrrpSendSocket> sendSockets = new LinkedHashMap<>();
    AddressMonitor addressMonitor;
    TimerFd timerFd;

    /**
     * Opens everything for {@code config}; on failure closes what it opened and throws.
     *
     * @throws NativeException          a system call failed (naming it, the errno and a missing capability)
     * @throws IllegalArgumentException an interface has no address to send advertisements from
     */
    static NodeSockets open(NodeConfig config) throws NativeException {
        NodeSockets sockets = new NodeSockets();
        try {
            sockets.openAll(config);
            return sockets;
        } catch (NativeException | RuntimeException e) {
            sockets.close();
            throw e;
        }
    }

    private NodeSockets() {}

    private void openAll(NodeConfig config) throws NativeException {
        netlink = RtNetlink.open();
        netlink.checkAddressChangesPermitted();
        List<RouterSpec> resolved = new ArrayList<>();
        for (RouterSpec spec : config.routers()) {
            InterfacePort port = ports.get(spec.interfaceName());
            if (port == null) {
                LinkInfo link = netlink.link(spec.interfaceName());
                port = new InterfacePort(spec.interfaceName(), link.index());
                ports.put(spec.interfaceName(), port);
                port.linkUpAtStart = link.operational();
                port.linkMonitor = LinkMonitor.open(spec.interfaceName());
            }
            resolved.add(spec.sourceAddress() != null ? spec : spec.withSourceAddress(primaryAddress(spec)));
        }
        node = new Node(new NodeConfig(resolved, config.groups()));
        routers = new DriverRouter[node.routers().size()];
        for (NodeRouter router : node.routers()) {
            InterfacePort port = ports.get(router.networkInterface().name());
            port.iface = router.networkInterface();
            openFamily(port, router.config().family());
            DriverRouter driverRouter = new DriverRouter(router, port, sendSocket(router));
            port.routers.add(driverRouter);
            routers[router.index()] = driverRouter;
        }
        for (InterfacePort port : ports.values()) {
            NodeInterface iface = port.iface;
            sizeReceiveBuffer(port.receive4, iface.routerCount(AddressFamily.IPV4));
            sizeReceiveBuffer(port.receive6, iface.routerCount(AddressFamily.IPV6));
            node.handleLinkChange(0, iface, port.linkUpAtStart ? LinkState.UP : LinkState.DOWN);
        }
        for (String name : node.trackedInterfaces()) {
            boolean up;
            try {
                up = netlink.link(name).operational();
            } catch (NativeException e) {
                LOG.warn("tracked interface {} cannot be read ({}); treating it as down", name, e.getMessage());
                up = false;
            }
            node.handleTrackedInterfaceChange(0, name, up ? LinkState.UP : LinkState.DOWN);
            trackedInterfaces.add(new TrackedInterface(name, LinkMonitor.open(name)));
        }
        addressMonitor = AddressMonitor.open();
        timerFd = TimerFd.open();
    }

    private static void openFamily(InterfacePort port, AddressFamily family) throws NativeException {
        if (family == AddressFamily.IPV4) {
            if (port.receive4 == null) {
                port.receive4 = VrrpReceiveSocket.openIpv4(port.name);
                port.arp = GratuitousArpSender.open(port.name);
                // Always open, not only while Active: opening it on takeover would put three
                // system calls and a failure mode on the takeover path, and ARP is little traffic.
                port.arpWatch = ArpWatchSocket.open(port.name);
                port.mac = port.arp.link().hardwareAddress().value();
            }
        } else if (port.receive6 == null) {
            port.receive6 = VrrpReceiveSocket.openIpv6(port.name);
            port.neighborAdvertiser = NeighborAdvertisementSender.open(port.name);
        }
    }

    private static void sizeReceiveBuffer(VrrpReceiveSocket socket, int routers) throws NativeException {
        if (socket != null) {
            socket.receiveBufferBytes((int) Math.clamp((long) routers * RECEIVE_BUFFER_PER_ROUTER, RECEIVE_BUFFER_MIN,
                    RECEIVE_BUFFER_MAX));
        }
    }

    /** RFC 9568 §1.6: the interface's primary IPv4 address, or its IPv6 link-local one. */
    private InetAddress primaryAddress(RouterSpec spec) throws NativeException {
        String name = spec.interfaceName();
        if (spec.config().family() == AddressFamily.IPV4) {
            return netlink.primaryIpv4Address(name).orElseThrow(() -> new IllegalArgumentException(
                    "interface " + name + " has no IPv4 address to send advertisements from; add one or set sourceAddress"));
        }
        return netlink.ipv6LinkLocalAddress(name).orElseThrow(() -> new IllegalArgumentException(
                "interface " + name + " has no IPv6 link-local address to send advertisements from"));
    }

    private VrrpSendSocket sendSocket(NodeRouter router) throws NativeException {
        InetAddress source = router.sourceAddress();
        String key = router.networkInterface().name() + "|" + source.getHostAddress();
        VrrpSendSocket socket = sendSockets.get(key);
        if (socket == null) {
            String name = router.networkInterface().name();
            socket = router.config().family() == AddressFamily.IPV4
                    ? VrrpSendSocket.openIpv4(name, (Inet4Address) source)
                    : VrrpSendSocket.openIpv6(name, (Inet6Address) source);
            sendSockets.put(key, socket);
        }
        return socket;
    }

    /** Closes every socket; the event loop must no longer use them. Idempotent. */
    @Override
    public void close() {
        for (TrackedInterface tracked : trackedInterfaces) {
            closeQuietly(tracked.monitor());
        }
        closeQuietly(addressMonitor);
        for (InterfacePort port : ports.values()) {
            closeQuietly(port.receive4);
            closeQuietly(port.receive6);
            closeQuietly(port.arp);
            closeQuietly(port.arpWatch);
            closeQuietly(port.neighborAdvertiser);
            closeQuietly(port.linkMonitor);
        }
        sendSockets.values().forEach(NodeSockets::closeQuietly);
        closeQuietly(timerFd);
        closeQuietly(netlink);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("closing {} failed", closeable, e);
        }
    }
}
