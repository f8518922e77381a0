package dev.vrrp4j.netty.driver;

import dev.vrrp4j.core.node.LinkState;
import dev.vrrp4j.core.node.Node;
import dev.vrrp4j.core.node.NodeConfig;
import dev.vrrp4j.core.node.NodeInterface;
import dev.vrrp4j.core.node.NodeRouter;
import dev.vrrp4j.core.node.RouterSpec;
import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.VirtualAddress;
import dev.vrrp4j.netty.transport.AddressMonitor;
import dev.vrrp4j.netty.transport.EpollReadinessRegistration;
import dev.vrrp4j.netty.transport.ArpWatchSocket;
import dev.vrrp4j.netty.transport.GratuitousArpSender;
import dev.vrrp4j.netty.transport.Errno;
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
import java.time.InstantSource;
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

    /** A tracked interface (keepalived {@code track_interface}), its link monitor and its registration on the loop. */
    static final class TrackedInterface {
        final String name;
        final LinkMonitor monitor;
        EpollReadinessRegistration registration;

        TrackedInterface(String name, LinkMonitor monitor) {
            this.name = name;
            this.monitor = monitor;
        }
    }

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
        NodeConfig resolved = resolve(config);
        openFor(resolved);
        node = new Node(resolved, InstantSource.system()); // UTC for auth_hmac's sequence numbers
        routers = new DriverRouter[node.routerSlots()];
        attach(node.routers());
        for (InterfacePort port : ports.values()) {
            node.handleLinkChange(0, port.iface, port.linkStateAtStart());
        }
        for (TrackedInterface tracked : trackedInterfaces) {
            node.handleTrackedInterfaceChange(0, tracked.name, linkUp(tracked.name) ? LinkState.UP : LinkState.DOWN);
        }
        addressMonitor = AddressMonitor.open();
        timerFd = TimerFd.open();
    }

    /**
     * Each router's advertisement source: its own, else its interface's primary address (RFC 9568
     * §1.6); for an interface that does not exist (yet), the unspecified address, which the router
     * never sends from: it is in Fault until the interface appears, and then resolved again.
     */
    NodeConfig resolve(NodeConfig config) throws NativeException {
        List<RouterSpec> resolved = new ArrayList<>();
        for (RouterSpec spec : config.routers()) {
            if (spec.sourceAddress() != null) {
                resolved.add(spec);
            } else if (link(spec.interfaceName()) == null) {
                resolved.add(spec.withSourceAddress(spec.config().family().unspecifiedAddress()));
            } else {
                resolved.add(spec.withSourceAddress(primaryAddress(spec)));
            }
        }
        return new NodeConfig(resolved, config.groups(), config.staticRoutes(), config.staticRules());
    }

    /** The interface, or null if there is none of that name. */
    LinkInfo link(String name) throws NativeException {
        try {
            return netlink.link(name);
        } catch (NativeException e) {
            if (e.errno() == Errno.ENODEV) {
                return null;
            }
            throw e;
        }
    }

    /**
     * The interface of an absent port appeared: learns its index and opens the sockets its routers'
     * families need (the send sockets come with the next {@link #openFor}). On failure the port stays
     * absent, with nothing of it open but the link monitor.
     */
    void realize(InterfacePort port) throws NativeException {
        LinkInfo link = netlink.link(port.name);
        port.index = link.index();
        port.present = true;
        try {
            for (AddressFamily family : AddressFamily.values()) {
                if (port.iface.hasFamily(family)) {
                    openFamily(port, family);
                }
            }
            for (DriverRouter router : port.routers) {
                openAnnouncers(port, router.router.spec());
                joinGroup(port, router.router.spec());
            }
            sizeReceiveBuffer(port.receive4, port.iface.routerCount(AddressFamily.IPV4));
            sizeReceiveBuffer(port.receive6, port.iface.routerCount(AddressFamily.IPV6));
        } catch (NativeException | RuntimeException e) {
            unrealize(port);
            throw e;
        }
    }

    /**
     * The port's interface was deleted: closes its sockets and the send sockets bound to it (the
     * caller has cancelled their loop registrations); the link monitor stays, to see it come back.
     */
    void unrealize(InterfacePort port) {
        closeSockets(port);
        port.receive4 = null;
        port.receive6 = null;
        port.arp = null;
        port.arpWatch = null;
        port.neighborAdvertiser = null;
        port.present = false;
        port.index = -1;
        sendSockets.entrySet().removeIf(e -> {
            if (!e.getKey().startsWith(port.name + "|")) {
                return false;
            }
            closeQuietly(e.getValue());
            return true;
        });
        for (DriverRouter router : port.routers) {
            router.sendSocket = null;
        }
    }

    /** What {@link #openFor} opened, so that a reload that fails half-way can close exactly that. */
    record Opened(List<InterfacePort> ports, List<String> sendSockets, List<TrackedInterface> tracked) {}

    /**
     * Opens what the routers of {@code resolved} need and is not open yet: an interface's sockets
     * and link monitor, a family's sockets on an interface, a send socket per interface and source,
     * the monitor of a tracked interface. On failure closes what it opened and throws.
     */
    Opened openFor(NodeConfig resolved) throws NativeException {
        Opened opened = new Opened(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        try {
            for (RouterSpec spec : resolved.routers()) {
                InterfacePort port = ports.get(spec.interfaceName());
                if (port == null) {
                    port = new InterfacePort(spec.interfaceName(), -1);
                    opened.ports().add(port);
                    ports.put(spec.interfaceName(), port);
                    // Watch first: an interface that appears right after the lookup is still seen.
                    port.linkMonitor = LinkMonitor.open(spec.interfaceName());
                    LinkInfo link = link(spec.interfaceName());
                    if (link == null) {
                        port.present = false;
                        port.linkUpAtStart = false;
                        LOG.warn("interface {} does not exist; {} stays in Fault until it appears", port.name,
                                spec.name());
                    } else {
                        port.index = link.index();
                        port.linkUpAtStart = link.operational();
                    }
                }
                if (port.present) {
                    openFamily(port, spec.config().family());
                    openAnnouncers(port, spec);
                    joinGroup(port, spec);
                    String key = sendSocketKey(spec.interfaceName(), spec.sourceAddress());
                    if (!sendSockets.containsKey(key)) {
                        sendSockets.put(key, openSendSocket(spec.interfaceName(), spec.sourceAddress()));
                        opened.sendSockets().add(key);
                    }
                }
                for (String name : spec.trackedInterfaceNames()) {
                    if (!name.equals(spec.interfaceName()) && trackedInterface(name) == null) {
                        TrackedInterface tracked = new TrackedInterface(name, LinkMonitor.open(name));
                        trackedInterfaces.add(tracked);
                        opened.tracked().add(tracked);
                    }
                }
            }
            for (InterfacePort port : ports.values()) {
                sizeReceiveBuffer(port.receive4, count(resolved, port.name, AddressFamily.IPV4));
                sizeReceiveBuffer(port.receive6, count(resolved, port.name, AddressFamily.IPV6));
            }
            return opened;
        } catch (NativeException | RuntimeException e) {
            closeOpened(opened);
            throw e;
        }
    }

    /** Undoes an {@link #openFor} whose node change did not happen. */
    void closeOpened(Opened opened) {
        for (InterfacePort port : opened.ports()) {
            ports.remove(port.name);
            closePort(port);
        }
        for (String key : opened.sendSockets()) {
            closeQuietly(sendSockets.remove(key));
        }
        for (TrackedInterface tracked : opened.tracked()) {
            trackedInterfaces.remove(tracked);
            closeQuietly(tracked.monitor);
        }
    }

    /**
     * The driver's side of {@code added} routers of the node, in {@link #routers} by index (grown to
     * the node's {@link Node#routerSlots()}); their sockets are open ({@link #openFor}).
     */
    void attach(List<NodeRouter> added) {
        if (routers.length < node.routerSlots()) {
            routers = java.util.Arrays.copyOf(routers, node.routerSlots());
        }
        for (InterfacePort port : ports.values()) {
            NodeInterface iface = node.networkInterface(port.name);
            if (iface != null) {
                port.iface = iface;
            }
        }
        for (NodeRouter router : added) {
            InterfacePort port = ports.get(router.networkInterface().name());
            DriverRouter driverRouter = new DriverRouter(router, port, port.present ? sendSocket(router) : null);
            port.routers.add(driverRouter);
            routers[router.index()] = driverRouter;
        }
    }

    /** The driver's routers in the node's configuration order. */
    List<DriverRouter> inOrder() {
        List<DriverRouter> list = new ArrayList<>(node.routers().size());
        for (NodeRouter router : node.routers()) {
            list.add(routers[router.index()]);
        }
        return list;
    }

    /** A reload removed {@code removed}: they are no longer the driver's. */
    void detach(List<NodeRouter> removed) {
        for (NodeRouter router : removed) {
            DriverRouter driverRouter = routers[router.index()];
            driverRouter.cancelAnnouncements();
            driverRouter.port.routers.remove(driverRouter);
            routers[router.index()] = null;
        }
    }

    /** After a reload: a changed router's source may name another send socket. */
    void rebindSendSockets() {
        for (DriverRouter router : routers) {
            if (router != null) {
                router.sendSocket = router.port.present ? sendSocket(router.router) : null;
            }
        }
    }

    /**
     * After a reload: closes what no router uses any more (an interface's sockets, a send socket, a
     * tracked interface's monitor). The caller cancels their loop registrations first
     * ({@link #unusedPorts()}, {@link #unusedTracked()}).
     */
    void closeUnused() {
        for (InterfacePort port : unusedPorts()) {
            ports.remove(port.name);
            closePort(port);
        }
        java.util.Set<String> used = new java.util.HashSet<>();
        for (DriverRouter router : routers) {
            if (router != null) {
                used.add(sendSocketKey(router.port.name, router.router.sourceAddress()));
            }
        }
        sendSockets.entrySet().removeIf(e -> {
            if (used.contains(e.getKey())) {
                return false;
            }
            closeQuietly(e.getValue());
            return true;
        });
        for (TrackedInterface tracked : unusedTracked()) {
            trackedInterfaces.remove(tracked);
            closeQuietly(tracked.monitor);
        }
    }

    /** Interfaces no router runs on any more. */
    List<InterfacePort> unusedPorts() {
        return ports.values().stream().filter(port -> port.routers.isEmpty()).toList();
    }

    /** Tracked interfaces no router tracks any more. */
    List<TrackedInterface> unusedTracked() {
        List<String> tracked = node.trackedInterfaces();
        return trackedInterfaces.stream().filter(t -> !tracked.contains(t.name)).toList();
    }

    TrackedInterface trackedInterface(String name) {
        for (TrackedInterface tracked : trackedInterfaces) {
            if (tracked.name.equals(name)) {
                return tracked;
            }
        }
        return null;
    }

    /** Whether {@code name}'s link is up now; an interface that cannot be read counts as down. */
    boolean linkUp(String name) {
        try {
            return netlink.link(name).operational();
        } catch (NativeException e) {
            LOG.warn("interface {} cannot be read ({}); treating it as down", name, e.getMessage());
            return false;
        }
    }

    private static int count(NodeConfig config, String interfaceName, AddressFamily family) {
        return (int) config.routers().stream()
                .filter(r -> r.interfaceName().equals(interfaceName) && r.config().family() == family).count();
    }

    private static void openFamily(InterfacePort port, AddressFamily family) throws NativeException {
        if (family == AddressFamily.IPV4) {
            if (port.receive4 == null) {
                port.receive4 = VrrpReceiveSocket.openIpv4(port.name);
                openAnnouncer(port, AddressFamily.IPV4);
                // Always open, not only while Active: opening it on takeover would put three
                // system calls and a failure mode on the takeover path, and ARP is little traffic.
                port.arpWatch = ArpWatchSocket.open(port.name);
                port.mac = port.arp.link().hardwareAddress().value();
            }
        } else if (port.receive6 == null) {
            port.receive6 = VrrpReceiveSocket.openIpv6(port.name);
            openAnnouncer(port, AddressFamily.IPV6);
        }
    }

    /** A multicast router's group, when it is not the RFC's, which the receive socket joined at open. */
    private static void joinGroup(InterfacePort port, RouterSpec spec) throws NativeException {
        if (!spec.isUnicast()) {
            (spec.config().family() == AddressFamily.IPV4 ? port.receive4 : port.receive6)
                    .join(spec.multicastDestination());
        }
    }

    /** The GARP or NA sender for excluded addresses of the other family than the router's. */
    private static void openAnnouncers(InterfacePort port, RouterSpec spec) throws NativeException {
        for (VirtualAddress excluded : spec.excludedAddresses()) {
            openAnnouncer(port, AddressFamily.ofAddressLength(excluded.address().getAddress().length));
        }
    }

    private static void openAnnouncer(InterfacePort port, AddressFamily family) throws NativeException {
        if (family == AddressFamily.IPV4 && port.arp == null) {
            port.arp = GratuitousArpSender.open(port.name);
        } else if (family == AddressFamily.IPV6 && port.neighborAdvertiser == null) {
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

    /** The send socket {@link #openFor} opened for the router's interface and source. */
    private VrrpSendSocket sendSocket(NodeRouter router) {
        VrrpSendSocket socket = sendSockets.get(sendSocketKey(router.networkInterface().name(), router.sourceAddress()));
        if (socket == null) {
            throw new IllegalStateException(router.name() + ": no send socket opened for " + router.sourceAddress());
        }
        return socket;
    }

    private static String sendSocketKey(String interfaceName, InetAddress source) {
        return interfaceName + "|" + source.getHostAddress();
    }

    private static VrrpSendSocket openSendSocket(String interfaceName, InetAddress source) throws NativeException {
        return source instanceof Inet4Address v4 ? VrrpSendSocket.openIpv4(interfaceName, v4)
                : VrrpSendSocket.openIpv6(interfaceName, (Inet6Address) source);
    }

    private static void closePort(InterfacePort port) {
        closeSockets(port);
        closeQuietly(port.linkMonitor);
    }

    /** Everything of a port but its link monitor. */
    private static void closeSockets(InterfacePort port) {
        closeQuietly(port.receive4);
        closeQuietly(port.receive6);
        closeQuietly(port.arp);
        closeQuietly(port.arpWatch);
        closeQuietly(port.neighborAdvertiser);
    }

    /** Closes every socket; the event loop must no longer use them. Idempotent. */
    @Override
    public void close() {
        for (TrackedInterface tracked : trackedInterfaces) {
            closeQuietly(tracked.monitor);
        }
        closeQuietly(addressMonitor);
        for (InterfacePort port : ports.values()) {
            closePort(port);
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
