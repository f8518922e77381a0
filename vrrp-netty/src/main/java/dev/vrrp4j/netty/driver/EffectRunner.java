package dev.vrrp4j.netty.driver;

import dev.vrrp4j.core.node.AnnouncePolicy;
import dev.vrrp4j.core.node.Node;
import dev.vrrp4j.core.node.NodeEffect;
import dev.vrrp4j.core.node.NodeRouter;
import dev.vrrp4j.core.router.IpRoute;
import dev.vrrp4j.core.router.IpRule;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.VirtualAddress;
import dev.vrrp4j.netty.transport.Errno;
import dev.vrrp4j.netty.transport.GratuitousArpSender;
import dev.vrrp4j.netty.transport.LinkInfo;
import dev.vrrp4j.netty.transport.NativeException;
import dev.vrrp4j.netty.transport.NeighborAdvertisementSender;
import dev.vrrp4j.netty.transport.RtNetlink;
import dev.vrrp4j.netty.transport.VrrpSendSocket;
import io.netty.channel.EventLoop;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Performs what the {@link Node} asks for, in its order, on the event loop: sends advertisements,
 * adds and removes virtual addresses (and the routes and rules that go with them, and the static
 * ones) with rtnetlink, announces them (gratuitous ARP, unsolicited
 * NA, with the router's second burst and refresh timers), and tells the {@link TransitionSink}.
 * A failing system call is logged and the protocol goes on; a failing sink is logged. Sending an
 * advertisement and changing addresses allocate nothing.
 */
final class EffectRunner {
    private static final Logger LOG = LoggerFactory.getLogger(EffectRunner.class);

    private final NodeSockets sockets;
    private final Node node;
    private final RtNetlink netlink;
    private final EventLoop loop;
    private final TransitionSink sink;
    private final Consumer<NodeEffect.Reconfigured> onReconfigured;
    private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(VrrpSendSocket.MAX_MESSAGE_BYTES);

    /**
     * @param onReconfigured sets up and tears down the driver's side of a reload, before the sink
     *                       hears of it and before the new routers' effects
     */
    EffectRunner(NodeSockets sockets, EventLoop loop, TransitionSink sink,
                 Consumer<NodeEffect.Reconfigured> onReconfigured) {
        this.sockets = sockets;
        this.node = sockets.node;
        this.netlink = sockets.netlink;
        this.loop = loop;
        this.sink = sink;
        this.onReconfigured = onReconfigured;
    }

    /** Performs every effect the node has queued; call after every input. */
    void run() {
        NodeEffect effect;
        while ((effect = node.poll()) != null) {
            perform(effect);
        }
    }

    private void perform(NodeEffect effect) {
        switch (effect) {
            case NodeEffect.SendAdvertisement send -> send(of(send.router()), send.priority(), VrrpSendSocket.Mode.WIRE);
            case NodeEffect.AddVirtualAddresses add -> {
                DriverRouter router = of(add.router());
                changeAddresses(router, true);
                changeRoutes(router, true);
            }
            case NodeEffect.RemoveVirtualAddresses remove -> {
                DriverRouter router = of(remove.router());
                router.cancelAnnouncements();
                changeRoutes(router, false);
                changeAddresses(router, false);
            }
            case NodeEffect.UpdateRoutes update -> {
                String owner = update.router() == null ? "static_routes/rules" : update.router().name();
                update.removedRules().forEach(rule -> changeRule(owner, rule, false));
                update.removedRoutes().forEach(route -> changeRoute(owner, route, false));
                update.addedRoutes().forEach(route -> changeRoute(owner, route, true));
                update.addedRules().forEach(rule -> changeRule(owner, rule, true));
            }
            case NodeEffect.AnnounceAddresses announce -> announce(of(announce.router()));
            case NodeEffect.AnnounceAfterLowerPriority lower -> announceAfterLowerPriority(of(lower.router()));
            case NodeEffect.UpdateVirtualAddresses update -> {
                DriverRouter router = of(update.router());
                update.removed().forEach(vip -> changeAddress(router, vip, false));
                update.added().forEach(vip -> changeAddress(router, vip, true));
                if (!update.added().isEmpty()) {
                    announceBurst(router);
                }
            }
            case NodeEffect.Reconfigured reconfigured -> {
                onReconfigured.accept(reconfigured);
                try {
                    sink.onReconfigured(reconfigured.generation(), List.copyOf(sockets.inOrder()));
                } catch (RuntimeException e) {
                    LOG.error("reload listener failed", e);
                }
            }
            case NodeEffect.StateChanged changed -> {
                DriverRouter router = of(changed.router());
                router.state = changed.change().to();
                try {
                    sink.onTransition(router, changed.change(), changed.priority());
                } catch (RuntimeException e) {
                    LOG.error("{}: transition listener failed", router.name(), e);
                }
            }
            case NodeEffect.SplitBrain splitBrain -> {
                DriverRouter router = of(splitBrain.router());
                try {
                    sink.onSplitBrain(router, splitBrain.detected());
                } catch (RuntimeException e) {
                    LOG.error("{}: split-brain listener failed", router.name(), e);
                }
            }
            case NodeEffect.GroupChanged group -> {
                try {
                    sink.onGroupTransition(group.group(), group.from(), group.to(), group.reason());
                } catch (RuntimeException e) {
                    LOG.error("sync group {}: transition listener failed", group.group(), e);
                }
            }
        }
    }

    private DriverRouter of(NodeRouter router) {
        return sockets.routers[router.index()];
    }

    /**
     * Sends one advertisement at {@code priority} to each destination of the router;
     * {@link VrrpSendSocket.Mode#PROBE} runs the whole path without putting anything on the wire.
     */
    void send(DriverRouter router, int priority, VrrpSendSocket.Mode mode) {
        if (router.sendSocket == null) {
            return; // its interface does not exist: the router is in Fault, a last priority 0 cannot go out
        }
        NodeRouter protocol = router.router;
        for (int i = 0; i < protocol.destinationCount(); i++) {
            protocol.encodeAdvertisement(priority, i, sendBuffer);
            try {
                if (!router.sendSocket.send(sendBuffer, protocol.destination(i), mode)) {
                    LOG.debug("{}: send buffer full, advertisement dropped", router.name());
                }
            } catch (NativeException e) {
                if (mode == VrrpSendSocket.Mode.WIRE) {
                    LOG.warn("{}: sending an advertisement to {} failed: {}", router.name(),
                            protocol.destination(i).getHostAddress(), e.getMessage());
                } else {
                    LOG.debug("{}: probing the send path to {} failed: {}", router.name(),
                            protocol.destination(i).getHostAddress(), e.getMessage());
                }
            }
        }
    }

    /** Adds or removes the router's virtual and excluded addresses on its interface. */
    void changeAddresses(DriverRouter router, boolean add) {
        for (VirtualAddress vip : router.config().virtualAddresses()) {
            changeAddress(router, vip, add);
        }
        for (VirtualAddress excluded : router.router.spec().excludedAddresses()) {
            changeAddress(router, excluded, add);
        }
    }

    /**
     * Adds the router's routes, then its rules (a rule may point at a table the routes fill), or
     * removes them in the reverse order (keepalived {@code virtual_routes}, {@code virtual_rules}).
     * keepalived does the same, after the addresses and before the gratuitous ARPs on becoming
     * MASTER, and before the addresses on leaving: a route may take a virtual address as its source.
     */
    void changeRoutes(DriverRouter router, boolean add) {
        List<IpRoute> routes = router.router.spec().routes();
        List<IpRule> rules = router.router.spec().rules();
        // indexed loops: a router without routes allocates nothing on the way to Active
        if (add) {
            for (int i = 0; i < routes.size(); i++) {
                changeRoute(router.name(), routes.get(i), true);
            }
            for (int i = 0; i < rules.size(); i++) {
                changeRule(router.name(), rules.get(i), true);
            }
        } else {
            for (int i = rules.size() - 1; i >= 0; i--) {
                changeRule(router.name(), rules.get(i), false);
            }
            for (int i = routes.size() - 1; i >= 0; i--) {
                changeRoute(router.name(), routes.get(i), false);
            }
        }
    }

    /** One route: a failure is logged with the route and the errno, and the protocol goes on. */
    private void changeRoute(String owner, IpRoute route, boolean add) {
        try {
            if (add) {
                netlink.addRoute(route);
            } else {
                netlink.deleteRoute(route);
            }
        } catch (NativeException e) {
            // the message names the route: RTM_NEWROUTE 198.51.100.0/24 via 192.0.2.1 ... failed: ENETUNREACH
            LOG.error("{}: {} a route failed: {}", owner, add ? "adding" : "removing", e.getMessage());
        }
    }

    private void changeRule(String owner, IpRule rule, boolean add) {
        try {
            if (add) {
                netlink.addRule(rule);
            } else {
                netlink.deleteRule(rule);
            }
        } catch (NativeException e) {
            LOG.error("{}: {} a rule failed: {}", owner, add ? "adding" : "removing", e.getMessage());
        }
    }

    private void changeAddress(DriverRouter router, VirtualAddress vip, boolean add) {
        InterfacePort port = router.port;
        if (vip.options().onOtherDevice(port.name)) {
            changeAddressElsewhere(router, vip, add);
            return;
        }
        if (!port.present) {
            return; // the addresses went with the interface
        }
        try {
            if (add) {
                netlink.addAddress(port.index, port.name, vip.address(), vip.prefixLength(), vip.options());
            } else {
                netlink.deleteAddress(port.index, port.name, vip.address(), vip.prefixLength());
            }
        } catch (NativeException e) {
            if (!add && e.errno() == Errno.ENODEV) {
                // Deleted before its link monitor told us: the address went with it.
                LOG.debug("{}: {} left with {}", router.name(), vip, port.name);
                return;
            }
            LOG.error("{}: {} {} on {} failed: {}", router.name(), add ? "adding" : "removing", vip, port.name,
                    e.getMessage());
        }
    }

    /**
     * An address with {@code dev} of another interface (keepalived installs it there: {@code lo}, a
     * dummy, another LAN). The driver keeps no port for that interface, so it is looked up by name;
     * one that does not exist gets nothing (a tracked one has put the router in Fault already).
     */
    private void changeAddressElsewhere(DriverRouter router, VirtualAddress vip, boolean add) {
        String device = vip.options().device();
        try {
            if (add) {
                netlink.addAddress(device, vip.address(), vip.prefixLength(), vip.options());
            } else {
                netlink.deleteAddress(device, vip.address(), vip.prefixLength());
            }
        } catch (NativeException e) {
            if (e.errno() == Errno.ENODEV) {
                if (add) {
                    LOG.warn("{}: interface {} does not exist; {} is not installed", router.name(), device, vip);
                } else {
                    LOG.debug("{}: {} left with {}", router.name(), vip, device);
                }
                return;
            }
            LOG.error("{}: {} {} failed: {}", router.name(), add ? "adding" : "removing", vip, e.getMessage());
        }
    }

    /** RFC 9568 §6.4.2: a burst now, then the second burst and the refresh the router's policy asks for. */
    private void announce(DriverRouter router) {
        announceBurst(router);
        AnnouncePolicy policy = router.router.spec().announce();
        if (!policy.secondBurstDelay().isZero()) {
            router.secondBurst = loop.schedule(() -> {
                router.secondBurst = null;
                if (router.router.state() == State.ACTIVE) {
                    announceBurst(router);
                }
            }, policy.secondBurstDelay().toNanos(), TimeUnit.NANOSECONDS);
        }
        if (!policy.refreshInterval().isZero()) {
            long period = policy.refreshInterval().toNanos();
            router.refresh = loop.scheduleAtFixedRate(() -> {
                if (router.router.state() == State.ACTIVE) {
                    announceBurst(router, policy.refreshCount());
                }
            }, period, period, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * keepalived's {@code garp_lower_prio_repeat} / {@code _delay}: the Active heard a lower priority
     * claim Active, whose announcements hosts may have taken; a burst now and, if none is pending
     * already, a second one later (keepalived starts a timer per advert; one is enough).
     */
    private void announceAfterLowerPriority(DriverRouter router) {
        AnnouncePolicy policy = router.router.spec().announce();
        if (policy.lowerPriorityCount() == 0) {
            return;
        }
        announceBurst(router, policy.lowerPriorityCount());
        if (!policy.lowerPriorityDelay().isZero() && router.lowerPriorityBurst == null) {
            router.lowerPriorityBurst = loop.schedule(() -> {
                router.lowerPriorityBurst = null;
                if (router.router.state() == State.ACTIVE) {
                    announceBurst(router, policy.lowerPriorityCount());
                }
            }, policy.lowerPriorityDelay().toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** One burst: each virtual and excluded address announced {@link AnnouncePolicy#burstCount()} times. */
    void announceBurst(DriverRouter router) {
        announceBurst(router, router.router.spec().announce().burstCount());
    }

    /**
     * Each virtual and excluded address announced {@code count} times with its family's message
     * (keepalived does so for excluded ones of the other family too); with an
     * {@link AnnouncePolicy#interval} the announcements of a family leave that far apart.
     */
    private void announceBurst(DriverRouter router, int count) {
        InterfacePort port = router.port;
        if (!port.present) {
            return;
        }
        AnnouncePolicy policy = router.router.spec().announce();
        int ipv4Sent = 0;
        int ipv6Sent = 0;
        for (VirtualAddress vip : router.router.spec().installedAddresses()) {
            boolean ipv6 = vip.address() instanceof Inet6Address;
            long gapNanos = policy.interval(ipv6).toNanos();
            for (int i = 0; i < count; i++) {
                int queued = ipv6 ? ipv6Sent++ : ipv4Sent++;
                if (gapNanos == 0 || queued == 0) {
                    if (!announce(router, port, vip)) {
                        break;
                    }
                } else {
                    loop.schedule(() -> {
                        if (router.router.state() == State.ACTIVE && port.present) {
                            announce(router, port, vip);
                        }
                    }, queued * gapNanos, TimeUnit.NANOSECONDS);
                }
            }
        }
    }

    /** One announcement of {@code vip}; false (logged) if it could not be sent. */
    private boolean announce(DriverRouter router, InterfacePort port, VirtualAddress vip) {
        if (vip.options().onOtherDevice(port.name)) {
            return announceElsewhere(router, vip);
        }
        try {
            if (vip.address() instanceof Inet4Address v4) {
                port.arp.announce(v4);
            } else {
                port.neighborAdvertiser.announce((Inet6Address) vip.address(), false);
            }
            return true;
        } catch (NativeException e) {
            LOG.warn("{}: announcing {} failed: {}", router.name(), vip, e.getMessage());
            return false;
        }
    }

    /**
     * One announcement of an address on another interface, sent there as keepalived sends it
     * (on the address's interface), and only where it reaches someone: not on loopback, not on a
     * NOARP interface such as a dummy, not on one that is down. The sender is opened for the one
     * message and closed: such addresses are few and announced in bursts, and the interface may
     * come and go under a new index, which a kept socket would not follow.
     */
    private boolean announceElsewhere(DriverRouter router, VirtualAddress vip) {
        String device = vip.options().device();
        try {
            LinkInfo link = netlink.link(device);
            if (!link.arp() || !link.operational()) {
                return false; // nothing to tell, or no one to tell it to: no more of this burst
            }
            if (vip.address() instanceof Inet4Address v4) {
                try (GratuitousArpSender arp = GratuitousArpSender.open(device)) {
                    arp.announce(v4);
                }
            } else {
                try (NeighborAdvertisementSender na = NeighborAdvertisementSender.open(device)) {
                    na.announce((Inet6Address) vip.address(), false);
                }
            }
            return true;
        } catch (NativeException | IllegalArgumentException e) {
            LOG.warn("{}: announcing {} failed: {}", router.name(), vip, e.getMessage());
            return false;
        }
    }
}
