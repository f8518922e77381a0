package dev.vrrp4j.netty;

import dev.vrrp4j.core.node.TrackedInterfaceSpec;
import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.HmacSettings;
import dev.vrrp4j.core.router.IpRoute;
import dev.vrrp4j.core.router.IpRule;
import dev.vrrp4j.core.router.AddressOptions;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.VirtualAddress;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One virtual router as a node runs it: the protocol configuration ({@link RouterConfig}, RFC 9568
 * §5.2) plus where and how it meets the network. Immutable; made by {@link #builder} or the
 * {@link #multicast} / {@link #unicast} shortcuts, which check every field and name it, its value and
 * what is allowed when they refuse.
 *
 * <pre>{@code
 * VirtualRouterSpec spec = VirtualRouterSpec.builder(config, "eth0")
 *         .sourceAddress(InetAddress.ofLiteral("192.0.2.10"))
 *         .unicastPeers(List.of(InetAddress.ofLiteral("192.0.2.11")))
 *         .check(TrackedCheck.of("chk_nginx", HealthCheck.http(URI.create("http://127.0.0.1/"))).withWeight(-60))
 *         .trackInterface("uplink0")
 *         .build();
 * }</pre>
 */
public final class VirtualRouterSpec {
    private final RouterConfig config;
    private final String interfaceName;
    private final InetAddress sourceAddress;
    private final List<InetAddress> unicastPeers;
    private final AnnounceSettings announce;
    private final List<TrackedCheck> checks;
    private final List<String> trackedInterfaces;
    private final List<VirtualAddress> excludedAddresses;
    private final Map<String, Integer> interfaceWeights;
    private final InetAddress multicastGroup;
    private final boolean trackPrimaryInterface;
    private final List<IpRoute> routes;
    private final List<IpRule> rules;

    private VirtualRouterSpec(Builder builder) {
        this.config = builder.config;
        this.interfaceName = builder.interfaceName;
        this.sourceAddress = builder.sourceAddress;
        this.unicastPeers = List.copyOf(builder.unicastPeers);
        this.announce = builder.announce;
        this.checks = List.copyOf(builder.checks);
        this.trackedInterfaces = List.copyOf(builder.trackedInterfaces);
        this.excludedAddresses = List.copyOf(builder.excludedAddresses);
        this.interfaceWeights = Collections.unmodifiableMap(new LinkedHashMap<>(builder.interfaceWeights));
        this.multicastGroup = builder.multicastGroup;
        this.trackPrimaryInterface = builder.trackPrimaryInterface;
        this.routes = List.copyOf(builder.routes);
        this.rules = List.copyOf(builder.rules);
    }

    /** A builder for a multicast router on {@code interfaceName} with keepalived's announcement defaults. */
    public static Builder builder(RouterConfig config, String interfaceName) {
        return new Builder(config, interfaceName);
    }

    /** A multicast router on {@code interfaceName} with keepalived's announcement defaults. */
    public static VirtualRouterSpec multicast(RouterConfig config, String interfaceName) {
        return builder(config, interfaceName).build();
    }

    /** A router that advertises to {@code peers} only, and accepts advertisements only from them. */
    public static VirtualRouterSpec unicast(RouterConfig config, String interfaceName, List<InetAddress> peers) {
        return builder(config, interfaceName).unicastPeers(peers).build();
    }

    /** A builder that starts from this router's settings. */
    public Builder toBuilder() {
        Builder builder = new Builder(config, interfaceName).sourceAddress(sourceAddress).unicastPeers(unicastPeers)
                .announce(announce);
        checks.forEach(builder::check);
        trackedInterfaces.forEach(builder::trackInterface);
        excludedAddresses.forEach(builder::excludedAddress);
        interfaceWeights.forEach(builder::trackInterface);
        routes.forEach(builder::route);
        rules.forEach(builder::rule);
        return builder.multicastGroup(multicastGroup).trackPrimaryInterface(trackPrimaryInterface);
    }

    /** The protocol configuration (VRID, priority, interval, addresses, ...). */
    public RouterConfig config() {
        return config;
    }

    /** The interface it runs on, as in keepalived's {@code interface eth0}. */
    public String interfaceName() {
        return interfaceName;
    }

    /**
     * The advertisement source (keepalived {@code unicast_src_ip}); null for the interface's primary
     * IPv4 address or its IPv6 link-local address, looked up at start.
     */
    public InetAddress sourceAddress() {
        return sourceAddress;
    }

    /**
     * Empty for multicast; otherwise advertisements go to each of these instead of the group and
     * are accepted only from them (keepalived {@code unicast_peer}).
     */
    public List<InetAddress> unicastPeers() {
        return unicastPeers;
    }

    /**
     * The multicast group advertisements go to and that is joined on the interface (keepalived
     * {@code mcast_dst_ip}, {@code vrrp_mcast_group4/6}); null for RFC 9568's 224.0.0.18 or
     * ff02::12. Every router of the virtual router must use the same one.
     */
    public InetAddress multicastGroup() {
        return multicastGroup;
    }

    /** Whether its own interface going down puts it in Fault; false is keepalived's {@code dont_track_primary}. */
    public boolean trackPrimaryInterface() {
        return trackPrimaryInterface;
    }

    /** Gratuitous ARP / NA settings on becoming Active. */
    public AnnounceSettings announce() {
        return announce;
    }

    /**
     * Health checks this router tracks (keepalived {@code track_script}); weights adjust its
     * priority, a failing zero-weight check puts it in Fault.
     */
    public List<TrackedCheck> checks() {
        return checks;
    }

    /**
     * Interfaces whose link going down puts it in Fault (keepalived {@code track_interface}); its own
     * interface is always tracked.
     */
    public List<String> trackedInterfaces() {
        return trackedInterfaces;
    }

    /**
     * Interfaces whose link adjusts the priority instead of meaning Fault (keepalived
     * {@code track_interface { IF weight N }}), name to weight: a positive weight is added while the
     * link is up, a negative one subtracted while it is down, with the checks' weights, within 1..254.
     */
    public Map<String, Integer> interfaceWeights() {
        return interfaceWeights;
    }

    /**
     * Addresses installed, announced and removed with the virtual addresses, on the same interface,
     * but never advertised (keepalived {@code virtual_ipaddress_excluded}); of either family.
     */
    public List<VirtualAddress> excludedAddresses() {
        return excludedAddresses;
    }

    /**
     * Routes installed after the addresses while the router is Active and removed when it leaves
     * Active (keepalived {@code virtual_routes}); of either family, on any device.
     */
    public List<IpRoute> routes() {
        return routes;
    }

    /** Policy rules installed after the routes while Active (keepalived {@code virtual_rules}). */
    public List<IpRule> rules() {
        return rules;
    }

    /** This router, also tracking {@code check}. */
    public VirtualRouterSpec withCheck(TrackedCheck check) {
        return toBuilder().check(check).build();
    }

    /** This router, also going to Fault when {@code name} is down. */
    public VirtualRouterSpec withTrackedInterface(String name) {
        return toBuilder().trackInterface(name).build();
    }

    /**
     * keepalived 2.4's {@code auth_hmac} settings (draft-cassen-vrrp-auth-hmac), or null when
     * advertisements are neither signed nor verified; part of {@link #config()}.
     */
    public HmacSettings authHmac() {
        return config.authHmac();
    }

    /** Whether advertisements go to listed peers rather than the multicast group. */
    public boolean isUnicast() {
        return !unicastPeers.isEmpty();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VirtualRouterSpec other && config.equals(other.config)
                && interfaceName.equals(other.interfaceName) && Objects.equals(sourceAddress, other.sourceAddress)
                && unicastPeers.equals(other.unicastPeers) && announce.equals(other.announce)
                && checks.equals(other.checks) && trackedInterfaces.equals(other.trackedInterfaces)
                && excludedAddresses.equals(other.excludedAddresses)
                && interfaceWeights.equals(other.interfaceWeights)
                && Objects.equals(multicastGroup, other.multicastGroup)
                && routes.equals(other.routes) && rules.equals(other.rules)
                && trackPrimaryInterface == other.trackPrimaryInterface;
    }

    @Override
    public int hashCode() {
        return Objects.hash(config, interfaceName, sourceAddress, unicastPeers, announce, checks, trackedInterfaces,
                excludedAddresses, interfaceWeights, multicastGroup, routes, rules, trackPrimaryInterface);
    }

    @Override
    public String toString() {
        return "VirtualRouterSpec[" + config.name() + " on " + interfaceName
                + (sourceAddress == null ? "" : ", source " + sourceAddress.getHostAddress())
                + (unicastPeers.isEmpty() ? ", multicast" + (multicastGroup == null ? "" : " to "
                        + multicastGroup.getHostAddress()) : ", unicast to " + unicastPeers.stream()
                        .map(InetAddress::getHostAddress).toList())
                + (checks.isEmpty() ? "" : ", checks " + checks.stream().map(TrackedCheck::name).toList())
                + (trackedInterfaces.isEmpty() ? "" : ", tracking " + trackedInterfaces)
                + (interfaceWeights.isEmpty() ? "" : ", weighted " + interfaceWeights)
                + (trackPrimaryInterface ? "" : ", not tracking " + interfaceName)
                + (excludedAddresses.isEmpty() ? "" : ", excluded " + excludedAddresses)
                + (routes.isEmpty() ? "" : ", routes " + routes) + (rules.isEmpty() ? "" : ", rules " + rules) + "]";
    }

    /** Builds a {@link VirtualRouterSpec}; each setter checks its value, {@link #build()} the whole. */
    public static final class Builder {
        private RouterConfig config; // authHmac(...) replaces it with the same config and other auth_hmac settings
        private final String interfaceName;
        private InetAddress sourceAddress;
        private final List<InetAddress> unicastPeers = new ArrayList<>();
        private AnnounceSettings announce = AnnounceSettings.KEEPALIVED_DEFAULTS;
        private final List<TrackedCheck> checks = new ArrayList<>();
        private final List<String> trackedInterfaces = new ArrayList<>();
        private final List<VirtualAddress> excludedAddresses = new ArrayList<>();
        private final Map<String, Integer> interfaceWeights = new LinkedHashMap<>();
        private InetAddress multicastGroup;
        private boolean trackPrimaryInterface = true;
        private final List<IpRoute> routes = new ArrayList<>();
        private final List<IpRule> rules = new ArrayList<>();

        private Builder(RouterConfig config, String interfaceName) {
            this.config = Objects.requireNonNull(config, "config");
            this.interfaceName = checkInterfaceName("interfaceName", interfaceName);
        }

        /**
         * Signs advertisements with, and requires of received ones, the HMAC-SHA256 trailer of
         * keepalived 2.4's {@code auth_hmac} (draft-cassen-vrrp-auth-hmac), as in
         * {@code HmacSettings.of(List.of(HmacKey.parse(1, "hex:...")), 1, config.advertIntervalCentis())};
         * null (the default, unless the config has it) for none. Every router of the VRID must share
         * the keys under the same ids; a peer without it is dropped in {@link HmacSettings.Mode#ENFORCE}.
         *
         * @throws IllegalArgumentException the config also has a VRRPv2 password, which auth_hmac replaces
         */
        public Builder authHmac(HmacSettings settings) {
            if (settings != null && config.hasPassword()) {
                throw new IllegalArgumentException("authHmac: the router " + config.name() + " has a VRRPv2"
                        + " authPassword, which auth_hmac replaces; build its RouterConfig without one");
            }
            this.config = config.withAuthHmac(settings);
            return this;
        }

        /**
         * The advertisement source (keepalived {@code unicast_src_ip}), of the router's family; null
         * (the default) for the interface's primary IPv4 address or IPv6 link-local address.
         */
        public Builder sourceAddress(InetAddress source) {
            if (source != null) {
                checkFamily("sourceAddress", source);
            }
            this.sourceAddress = source;
            return this;
        }

        /** Unicast peers (keepalived {@code unicast_peer}), replacing any set before; empty for multicast. */
        public Builder unicastPeers(List<InetAddress> peers) {
            Objects.requireNonNull(peers, "unicastPeers");
            unicastPeers.clear();
            peers.forEach(this::unicastPeer);
            return this;
        }

        /** Adds a unicast peer of the router's family. */
        public Builder unicastPeer(InetAddress peer) {
            Objects.requireNonNull(peer, "unicastPeers: a peer");
            checkFamily("unicastPeers", peer);
            if (unicastPeers.contains(peer)) {
                throw new IllegalArgumentException("unicastPeers: " + peer.getHostAddress() + " is listed twice for "
                        + config.name());
            }
            unicastPeers.add(peer);
            return this;
        }

        /**
         * Whether its own interface going down puts it in Fault (default true, RFC 9568 §6.4's
         * Initialize on a down interface); false is keepalived's {@code dont_track_primary}, for a
         * router whose advertisements take another path than the traffic it serves. A missing
         * interface is a fault either way.
         */
        public Builder trackPrimaryInterface(boolean track) {
            this.trackPrimaryInterface = track;
            return this;
        }

        /**
         * The multicast group to advertise to and join (keepalived {@code mcast_dst_ip}): a multicast
         * address of the router's family; null (the default) for RFC 9568's group.
         */
        public Builder multicastGroup(InetAddress group) {
            if (group != null) {
                checkFamily("multicastGroup", group);
                if (!group.isMulticastAddress()) {
                    throw new IllegalArgumentException("multicastGroup: " + group.getHostAddress() + " is not a multicast"
                            + " address (" + (config.family() == AddressFamily.IPV4 ? "224.0.0.0/4" : "ff00::/8") + ")");
                }
            }
            this.multicastGroup = group;
            return this;
        }

        /** Gratuitous ARP / NA settings on becoming Active; {@link AnnounceSettings#KEEPALIVED_DEFAULTS} unless set. */
        public Builder announce(AnnounceSettings settings) {
            this.announce = Objects.requireNonNull(settings, "announce");
            return this;
        }

        /** Tracks a health check (keepalived {@code track_script}); each check name at most once. */
        public Builder check(TrackedCheck check) {
            Objects.requireNonNull(check, "checks: a check");
            if (checks.stream().anyMatch(existing -> existing.name().equals(check.name()))) {
                throw new IllegalArgumentException("checks: " + check.name() + " is tracked twice by " + config.name()
                        + "; each check at most once");
            }
            checks.add(check);
            return this;
        }

        /** Goes to Fault while interface {@code name} is down (keepalived {@code track_interface}). */
        public Builder trackInterface(String name) {
            trackedInterfaces.add(checkInterfaceName("trackedInterfaces", name));
            return this;
        }

        /**
         * Tracks interface {@code name} with a weight (keepalived {@code track_interface { IF weight N }}):
         * -253..253; 0 is {@link #trackInterface(String)}, Fault while it is down. Each interface at most
         * once.
         */
        public Builder trackInterface(String name, int weight) {
            checkInterfaceName("interfaceWeights", name);
            if (weight == 0) {
                return trackInterface(name);
            }
            if (weight < -TrackedInterfaceSpec.MAX_WEIGHT || weight > TrackedInterfaceSpec.MAX_WEIGHT) {
                throw new IllegalArgumentException("interfaceWeights: weight " + weight + " of " + name
                        + " out of range -253..253");
            }
            if (interfaceWeights.containsKey(name) || trackedInterfaces.contains(name)) {
                throw new IllegalArgumentException("interfaceWeights: " + name + " is tracked twice by " + config.name()
                        + "; each interface at most once");
            }
            interfaceWeights.put(name, weight);
            return this;
        }

        /**
         * How one of the router's virtual addresses (from its {@link RouterConfig}) or excluded ones
         * (given before) is installed: its interface, label, broadcast address, scope and whether
         * its interface is tracked (keepalived's {@code virtual_ipaddress} options {@code dev},
         * {@code label}, {@code brd}, {@code scope}, {@code no_track}), e.g.
         * {@code addressOptions(vip, AddressOptions.onDevice("lo").withScope(AddressOptions.SCOPE_HOST))}.
         * An address on another interface is announced there if that interface can announce (not
         * loopback, not NOARP) and, unless {@code noTrack}, puts the router in Fault while that
         * interface is down or missing. The advertisement lists the address either way.
         *
         * @throws IllegalArgumentException the router has no such address, or the options do not fit its family
         */
        public Builder addressOptions(InetAddress address, AddressOptions options) {
            Objects.requireNonNull(address, "address");
            Objects.requireNonNull(options, "options");
            List<VirtualAddress> virtual = new ArrayList<>(config.virtualAddresses());
            for (int i = 0; i < virtual.size(); i++) {
                if (virtual.get(i).address().equals(address)) {
                    virtual.set(i, virtual.get(i).withOptions(options));
                    config = config.withVirtualAddresses(virtual);
                    return this;
                }
            }
            for (int i = 0; i < excludedAddresses.size(); i++) {
                if (excludedAddresses.get(i).address().equals(address)) {
                    excludedAddresses.set(i, excludedAddresses.get(i).withOptions(options));
                    return this;
                }
            }
            throw new IllegalArgumentException("addressOptions: " + address.getHostAddress()
                    + " is neither a virtual nor an excluded address of " + config.name());
        }

        /**
         * Adds an address installed with the virtual addresses but not advertised (keepalived
         * {@code virtual_ipaddress_excluded}); either family, each address once and not one of the
         * virtual addresses.
         */
        public Builder excludedAddress(VirtualAddress address) {
            Objects.requireNonNull(address, "excludedAddresses: an address");
            if (config.virtualAddresses().stream().anyMatch(vip -> vip.address().equals(address.address()))
                    || excludedAddresses.stream().anyMatch(e -> e.address().equals(address.address()))) {
                throw new IllegalArgumentException("excludedAddresses: " + address.address().getHostAddress()
                        + " is listed twice or is also a virtual address of " + config.name());
            }
            excludedAddresses.add(address);
            return this;
        }

        /**
         * Adds a route installed while the router is Active (keepalived {@code virtual_routes}), e.g.
         * {@code IpRoute.to(InetAddress.ofLiteral("198.51.100.0"), 24)} or one built field by field;
         * each route once.
         */
        public Builder route(IpRoute route) {
            Objects.requireNonNull(route, "routes: a route");
            if (routes.contains(route)) {
                throw new IllegalArgumentException("routes: " + route + " is listed twice for " + config.name());
            }
            routes.add(route);
            return this;
        }

        /** Adds a policy rule installed while the router is Active (keepalived {@code virtual_rules}); each once. */
        public Builder rule(IpRule rule) {
            Objects.requireNonNull(rule, "rules: a rule");
            if (rules.contains(rule)) {
                throw new IllegalArgumentException("rules: " + rule + " is listed twice for " + config.name());
            }
            rules.add(rule);
            return this;
        }

        public VirtualRouterSpec build() {
            return new VirtualRouterSpec(this);
        }

        private void checkFamily(String field, InetAddress address) {
            AddressFamily family = config.family();
            AddressFamily actual = AddressFamily.ofAddressLength(address.getAddress().length);
            if (actual != family) {
                throw new IllegalArgumentException(field + ": " + address.getHostAddress() + " is " + actual
                        + ", the router " + config.name() + " is " + family);
            }
        }

        private static String checkInterfaceName(String field, String name) {
            Objects.requireNonNull(name, field);
            if (name.isEmpty() || name.length() > 15 || name.contains("/")
                    || name.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalArgumentException(field + " '" + name
                        + "' is not a Linux interface name (1..15 characters, no '/' or spaces)");
            }
            return name;
        }
    }
}
