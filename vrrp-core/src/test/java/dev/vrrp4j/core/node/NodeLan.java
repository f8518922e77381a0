package dev.vrrp4j.core.node;

import dev.vrrp4j.core.health.CheckPolicy;
import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.Advertisement;
import dev.vrrp4j.core.packet.AdvertisementCodec;
import dev.vrrp4j.core.packet.Checksum;
import dev.vrrp4j.core.packet.ChecksumForm;
import dev.vrrp4j.core.router.Action;
import dev.vrrp4j.core.router.IpRoute;
import dev.vrrp4j.core.router.IpRule;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.VirtualAddress;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The simulated LAN of {@code core.router.SimulatedLan}, one level up: it runs whole {@link Node}s
 * (several routers each, on several interfaces) on a simulated clock, in the spirit of quinn-proto's
 * {@code Pair}. Every interface name is one segment that all hosts share; an advertisement goes on
 * the wire as a real IPv4 packet (header and all, through the real encoder) and reaches the other
 * hosts' nodes after a fixed latency, where the node decodes and demultiplexes it. Timers fire
 * exactly when due. It records what a user would observe: transitions, group transitions, who holds
 * which router's addresses, what went on the wire. No threads, sockets or sleeps.
 */
final class NodeLan {
    static final long MS = 1_000_000L;
    static final long SECOND = 1_000 * MS;
    static final Object CHECK_TASK = new Object();

    /** One node on the LAN and what happened to it. */
    static final class Host {
        final String name;
        final Node node;
        boolean dead;
        final Set<String> linksDown = new HashSet<>();
        final Set<String> holding = new HashSet<>();
        final Map<String, List<Action.StateChanged>> transitions = new LinkedHashMap<>();
        final List<NodeEffect.GroupChanged> groupEvents = new ArrayList<>();
        final List<Action.SplitBrainDetected> splitBrains = new ArrayList<>();
        /** Every effect performed, in order, for tests that must see that nothing else happened. */
        final List<NodeEffect> effects = new ArrayList<>();
        /** The addresses on the interfaces, by router, as the effects put them there. */
        final Map<String, Set<VirtualAddress>> installed = new LinkedHashMap<>();
        /** The host's routes and rules (its routers' and its static ones), as the effects put them there. */
        final Set<IpRoute> routes = new LinkedHashSet<>();
        final Set<IpRule> rules = new LinkedHashSet<>();

        Host(String name, Node node) {
            this.name = name;
            this.node = node;
        }

        NodeRouter router(String routerName) {
            return node.routers().stream().filter(r -> r.name().equals(routerName)).findFirst().orElseThrow();
        }

        State state(String routerName) {
            return router(routerName).state();
        }

        List<Action.StateChanged> transitions(String routerName) {
            return transitions.getOrDefault(routerName, List.of());
        }

        /** When router {@code routerName} last entered {@code state}, or -1. */
        long lastEntered(String routerName, State state) {
            List<Action.StateChanged> list = transitions(routerName);
            for (int i = list.size() - 1; i >= 0; i--) {
                if (list.get(i).to() == state) {
                    return list.get(i).atNanos();
                }
            }
            return -1;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /** An advertisement as it went on the wire. */
    record Sent(long atNanos, Host from, String router, int priority) {}

    private record Delivery(long atNanos, long sequence, Host to, String interfaceName, byte[] packet) {}

    private final List<Host> hosts = new ArrayList<>();
    private final PriorityQueue<Delivery> inFlight = new PriorityQueue<>(
            Comparator.comparingLong(Delivery::atNanos).thenComparingLong(Delivery::sequence));
    private final List<Sent> wire = new ArrayList<>();
    private final Advertisement txHolder = new Advertisement();
    private final ByteBuffer txBuffer = ByteBuffer.allocate(20 + 8 + 255 * 16);
    private long sequence;
    private long now;
    private final long latencyNanos = 100_000; // 100 µs across the switch

    // ------------------------------------------------------------------ configuration helpers

    static RouterConfig ipv4(String name, int vrid, int priority, String... vips) {
        return RouterConfig.builder(name, AddressFamily.IPV4, vrid).priority(priority).advertIntervalCentis(100)
                .virtualAddresses(vips).build();
    }

    static RouterSpec spec(RouterConfig config, String interfaceName, String source) {
        return new RouterSpec(config, interfaceName, VirtualAddress.parseLiteral(source), List.of(),
                new AnnouncePolicy(1, Duration.ZERO, Duration.ZERO), List.of(), List.of());
    }

    static RouterSpec withPeers(RouterSpec spec, String... peers) {
        return new RouterSpec(spec.config(), spec.interfaceName(), spec.sourceAddress(),
                List.of(peers).stream().map(VirtualAddress::parseLiteral).toList(), spec.announce(), spec.checks(),
                spec.trackedInterfaces(), spec.excludedAddresses(),
                spec.weightedInterfaces(), spec.multicastGroup());
    }

    static RouterSpec withCheck(RouterSpec spec, String check, int rise, int fall, int weight) {
        List<TrackedCheckSpec> checks = new ArrayList<>(spec.checks());
        checks.add(new TrackedCheckSpec(check, Duration.ofSeconds(1), Duration.ofSeconds(1),
                new CheckPolicy(rise, fall, weight), CHECK_TASK));
        return new RouterSpec(spec.config(), spec.interfaceName(), spec.sourceAddress(), spec.unicastPeers(),
                spec.announce(), checks, spec.trackedInterfaces(), spec.excludedAddresses(),
                spec.weightedInterfaces(), spec.multicastGroup());
    }

    static RouterSpec withTrackedInterface(RouterSpec spec, String name) {
        List<String> tracked = new ArrayList<>(spec.trackedInterfaces());
        tracked.add(name);
        return new RouterSpec(spec.config(), spec.interfaceName(), spec.sourceAddress(), spec.unicastPeers(),
                spec.announce(), spec.checks(), tracked, spec.excludedAddresses(),
                spec.weightedInterfaces(), spec.multicastGroup());
    }

    /** {@code spec} also tracking interface {@code name} with {@code weight} (keepalived track_interface IF weight N). */
    static RouterSpec withWeightedInterface(RouterSpec spec, String name, int weight) {
        List<TrackedInterfaceSpec> weighted = new ArrayList<>(spec.weightedInterfaces());
        weighted.add(new TrackedInterfaceSpec(name, weight));
        return new RouterSpec(spec.config(), spec.interfaceName(), spec.sourceAddress(), spec.unicastPeers(),
                spec.announce(), spec.checks(), spec.trackedInterfaces(), spec.excludedAddresses(), weighted,
                spec.multicastGroup());
    }

    /** {@code spec} advertising to multicast group {@code group} (keepalived mcast_dst_ip) instead of RFC 9568's. */
    static RouterSpec withMulticastGroup(RouterSpec spec, String group) {
        return new RouterSpec(spec.config(), spec.interfaceName(), spec.sourceAddress(), spec.unicastPeers(),
                spec.announce(), spec.checks(), spec.trackedInterfaces(), spec.excludedAddresses(),
                spec.weightedInterfaces(), VirtualAddress.parseLiteral(group));
    }

    /** {@code spec} with these excluded addresses (keepalived virtual_ipaddress_excluded) instead of its own. */
    static RouterSpec withExcluded(RouterSpec spec, String... excluded) {
        return new RouterSpec(spec.config(), spec.interfaceName(), spec.sourceAddress(), spec.unicastPeers(),
                spec.announce(), spec.checks(), spec.trackedInterfaces(),
                List.of(excluded).stream().map(VirtualAddress::parse).toList(), spec.weightedInterfaces(),
                spec.multicastGroup());
    }

    /** {@code spec} with these routes and rules (keepalived virtual_routes, virtual_rules) instead of its own. */
    static RouterSpec withRoutes(RouterSpec spec, List<IpRoute> routes, List<IpRule> rules) {
        return new RouterSpec(spec.config(), spec.interfaceName(), spec.sourceAddress(), spec.unicastPeers(),
                spec.announce(), spec.checks(), spec.trackedInterfaces(), spec.excludedAddresses(),
                spec.weightedInterfaces(), spec.multicastGroup(), routes, rules);
    }

    // ------------------------------------------------------------------ the LAN

    Host add(String name, NodeConfig config) {
        Host host = new Host(name, new Node(config));
        hosts.add(host);
        return host;
    }

    Host add(String name, RouterSpec... routers) {
        return add(name, new NodeConfig(List.of(routers), List.of()));
    }

    long now() {
        return now;
    }

    long latencyNanos() {
        return latencyNanos;
    }

    List<Sent> wire() {
        return wire;
    }

    List<Sent> sentBy(Host host, String router) {
        return wire.stream().filter(s -> s.from() == host && s.router().equals(router)).toList();
    }

    void start(Host host) {
        host.node.handleStart(now);
        drain(host);
    }

    void startAll() {
        hosts.forEach(this::start);
    }

    /** kill -9: the node stops without a word. */
    void kill(Host host) {
        host.dead = true;
    }

    void shutdown(Host host) {
        host.node.handleShutdown(now);
        drain(host);
        host.dead = true;
    }

    /** {@code host}'s link on {@code interfaceName} goes down: nothing in or out there, and its node hears of it. */
    void linkDown(Host host, String interfaceName) {
        host.linksDown.add(interfaceName);
        host.node.handleLinkChange(now, host.node.networkInterface(interfaceName), LinkState.DOWN);
        drain(host);
    }

    /** {@code host}'s interface is deleted (a VLAN removed): like a link down, reported as {@link LinkState#REMOVED}. */
    void linkRemoved(Host host, String interfaceName) {
        host.linksDown.add(interfaceName);
        host.node.handleLinkChange(now, host.node.networkInterface(interfaceName), LinkState.REMOVED);
        drain(host);
    }

    void linkUp(Host host, String interfaceName) {
        host.linksDown.remove(interfaceName);
        host.node.handleLinkChange(now, host.node.networkInterface(interfaceName), LinkState.UP);
        drain(host);
    }

    /** A tracked interface (one no router runs on) changes; the LAN itself is unaffected. */
    void trackedInterface(Host host, String interfaceName, boolean up) {
        host.node.handleTrackedInterfaceChange(now, interfaceName, up ? LinkState.UP : LinkState.DOWN);
        drain(host);
    }

    /** A live reload of {@code host} to {@code next}, its effects performed at once. */
    ConfigDiff reconfigure(Host host, NodeConfig next) {
        ConfigDiff diff = host.node.reconfigure(now, next);
        drain(host);
        return diff;
    }

    void checkResult(Host host, String check, boolean healthy) {
        host.node.handleCheckResult(now, check, healthy);
        drain(host);
    }

    /** A packet from outside the nodes (a stray sender, a broken one) arrives at {@code host} now. */
    void inject(Host host, String interfaceName, ByteBuffer packet) {
        host.node.handlePacket(now, host.node.networkInterface(interfaceName), AddressFamily.IPV4, packet, null,
                null, 0);
        drain(host);
    }

    /** Runs every event up to and including {@code untilNanos}, then sets the clock there. */
    void runUntil(long untilNanos) {
        while (true) {
            long nextTimer = Long.MAX_VALUE;
            Host timerHost = null;
            for (Host host : hosts) {
                if (!host.dead && host.node.hasDeadline() && host.node.nextDeadlineNanos() < nextTimer) {
                    nextTimer = host.node.nextDeadlineNanos();
                    timerHost = host;
                }
            }
            Delivery delivery = inFlight.peek();
            long nextDelivery = delivery == null ? Long.MAX_VALUE : delivery.atNanos();
            long next = Math.min(nextTimer, nextDelivery);
            if (next > untilNanos) {
                break;
            }
            now = next;
            if (nextTimer <= nextDelivery) {
                timerHost.node.handleTimeout(now);
                drain(timerHost);
            } else {
                inFlight.poll();
                Host to = delivery.to();
                if (!to.dead && !to.linksDown.contains(delivery.interfaceName())
                        && to.node.networkInterface(delivery.interfaceName()) != null) {
                    to.node.handlePacket(now, to.node.networkInterface(delivery.interfaceName()), AddressFamily.IPV4,
                            ByteBuffer.wrap(delivery.packet()), null, null, 0);
                    drain(to);
                }
            }
        }
        now = untilNanos;
    }

    void runFor(long durationNanos) {
        runUntil(now + durationNanos);
    }

    /** The live hosts whose router {@code router} holds its addresses. */
    List<Host> holders(String router) {
        return hosts.stream().filter(h -> !h.dead && h.holding.contains(router)).toList();
    }

    List<Host> actives(String router) {
        return hosts.stream().filter(h -> !h.dead && h.state(router) == State.ACTIVE).toList();
    }

    /** Performs the node's effects as a driver would. */
    private void drain(Host host) {
        NodeEffect effect;
        while ((effect = host.node.poll()) != null) {
            host.effects.add(effect);
            switch (effect) {
                case NodeEffect.SendAdvertisement send -> transmit(host, send.router(), send.priority());
                case NodeEffect.AddVirtualAddresses add -> {
                    host.holding.add(add.router().name());
                    host.installed.computeIfAbsent(add.router().name(), n -> new HashSet<>())
                            .addAll(add.router().spec().installedAddresses());
                    host.routes.addAll(add.router().spec().routes());
                    host.rules.addAll(add.router().spec().rules());
                }
                case NodeEffect.RemoveVirtualAddresses remove -> {
                    host.holding.remove(remove.router().name());
                    host.installed.computeIfAbsent(remove.router().name(), n -> new HashSet<>())
                            .removeAll(remove.router().spec().installedAddresses());
                    remove.router().spec().rules().forEach(host.rules::remove);
                    remove.router().spec().routes().forEach(host.routes::remove);
                }
                case NodeEffect.UpdateRoutes update -> {
                    update.removedRules().forEach(host.rules::remove);
                    update.removedRoutes().forEach(host.routes::remove);
                    host.routes.addAll(update.addedRoutes());
                    host.rules.addAll(update.addedRules());
                }
                case NodeEffect.UpdateVirtualAddresses update -> {
                    Set<VirtualAddress> on = host.installed.computeIfAbsent(update.router().name(),
                            n -> new HashSet<>());
                    on.removeAll(update.removed());
                    on.addAll(update.added());
                }
                case NodeEffect.Reconfigured reconfigured -> { }
                case NodeEffect.AnnounceAddresses announce -> { }
                case NodeEffect.AnnounceAfterLowerPriority lower -> { }
                case NodeEffect.StateChanged changed ->
                        host.transitions.computeIfAbsent(changed.router().name(), n -> new ArrayList<>())
                                .add(changed.change());
                case NodeEffect.SplitBrain split -> host.splitBrains.add(split.detected());
                case NodeEffect.GroupChanged group -> host.groupEvents.add(group);
            }
        }
    }

    private void transmit(Host from, NodeRouter router, int priority) {
        String iface = router.networkInterface().name();
        if (from.linksDown.contains(iface)) {
            return; // lost on a dead link
        }
        wire.add(new Sent(now, from, router.name(), priority));
        RouterConfig config = router.config();
        byte[] packet;
        if (config.version() == RouterConfig.VERSION_2) {
            // the router's own VRRPv2 encoding (whole seconds, password); its checksum covers the message only
            ByteBuffer message = ByteBuffer.allocate(txBuffer.capacity());
            router.encodeAdvertisement(priority, 0, message);
            packet = ipv4Packet(router.sourceAddress().getAddress(), message.array(), 0, message.remaining());
        } else {
            txHolder.set(AddressFamily.IPV4, config.vrid(), priority, config.advertIntervalCentis())
                    .addresses(config.virtualAddresses().stream().map(VirtualAddress::address).toList());
            packet = ipv4Packet(router.sourceAddress().getAddress(), txHolder);
        }
        for (Host to : hosts) {
            if (to != from) {
                inFlight.add(new Delivery(now + latencyNanos, sequence++, to, iface, packet));
            }
        }
    }

    /** An IPv4 packet as a raw socket delivers it: header (TTL 255, protocol 112), then the message. */
    byte[] ipv4Packet(byte[] source, Advertisement advertisement) {
        advertisement.route(source, AddressFamily.IPV4.multicastGroup());
        txBuffer.clear().position(20);
        int length = AdvertisementCodec.encode(advertisement, ChecksumForm.PSEUDO_HEADER, txBuffer);
        return ipv4Packet(source, txBuffer.array(), 20, length);
    }

    /** Wraps {@code length} bytes of a VRRP message at {@code offset} in an IPv4 header from {@code source}. */
    static byte[] ipv4Packet(byte[] source, byte[] message, int offset, int length) {
        ByteBuffer packet = ByteBuffer.allocate(20 + length);
        packet.put((byte) 0x45).put((byte) 0xc0).putShort((short) packet.capacity()) // version 4, IHL 5; DSCP CS6; total length
                .putShort((short) 0).putShort((short) 0x4000)                      // id; DF, offset 0
                .put((byte) 255).put((byte) 112).putShort((short) 0)                // TTL 255; protocol 112 (VRRP); checksum
                .put(source).put(AddressFamily.IPV4.multicastGroup());             // source; 224.0.0.18
        packet.putShort(10, (short) Checksum.finish(Checksum.sum(packet, 0, 20, 0)));
        packet.put(message, offset, length);
        return packet.array();
    }
}
