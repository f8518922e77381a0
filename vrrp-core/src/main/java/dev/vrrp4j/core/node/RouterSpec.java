package dev.vrrp4j.core.node;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.AddressOptions;
import dev.vrrp4j.core.router.IpRoute;
import dev.vrrp4j.core.router.IpRule;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.VirtualAddress;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One virtual router as a node runs it: the protocol configuration plus where it meets the network
 * and what it tracks.
 *
 * @param config            the protocol configuration
 * @param interfaceName     the interface it runs on
 * @param sourceAddress     the advertisement source (RFC 9568 §1.6: the interface's primary IPv4
 *                          address or its IPv6 link-local one); null until the driver has resolved
 *                          it from the kernel, which it must before building a {@link Node}
 * @param unicastPeers      empty for multicast; otherwise where advertisements go, and the only
 *                          sources accepted
 * @param announce          how the driver announces the addresses on becoming Active
 * @param checks            tracked health checks with this router's weights
 * @param trackedInterfaces other interfaces whose link going down puts it in Fault; its own is
 *                          always tracked, and so are the interfaces of its addresses
 *                          ({@link #addressInterfaces()})
 * @param excludedAddresses addresses installed, announced and removed with the virtual addresses,
 *                          on the same interface, but never advertised (keepalived's
 *                          {@code virtual_ipaddress_excluded}); of either family, since they never go
 *                          into the advertisement, whose addresses are the router's family (RFC 9568 §5.2.9)
 * @param weightedInterfaces other interfaces whose link adjusts the priority by a weight instead of
 *                          meaning Fault (keepalived {@code track_interface IF weight N}); each at most once,
 *                          and not also in {@code trackedInterfaces}
 * @param multicastGroup    where multicast advertisements go and what the driver joins on the interface
 *                          (keepalived {@code mcast_dst_ip}, {@code vrrp_mcast_group4/6}): a multicast
 *                          address of the router's family, or null for RFC 9568's group (§5.1.1.2
 *                          224.0.0.18, §5.1.2.2 ff02::12); unused by a unicast router
 * @param routes            routes installed after the addresses on becoming Active and removed before
 *                          them on leaving it (keepalived {@code virtual_routes}); of either family, on
 *                          any device
 * @param rules             policy rules installed after the routes and removed before them (keepalived
 *                          {@code virtual_rules})
 * @param trackPrimary      whether its own interface's link going down puts it in Fault (RFC 9568
 *                          §6.4: the interface is its connection to the LAN); false is keepalived's
 *                          {@code dont_track_primary}, for a router that advertises over another
 *                          path than the one it serves. An interface that does not exist is a fault
 *                          either way: there is nothing to send on.
 */
public record RouterSpec(RouterConfig config, String interfaceName, InetAddress sourceAddress,
                         List<InetAddress> unicastPeers, AnnouncePolicy announce, List<TrackedCheckSpec> checks,
                         List<String> trackedInterfaces, List<VirtualAddress> excludedAddresses,
                         List<TrackedInterfaceSpec> weightedInterfaces, InetAddress multicastGroup,
                         List<IpRoute> routes, List<IpRule> rules, boolean trackPrimary) {
    public RouterSpec {
        routes = List.copyOf(Objects.requireNonNull(routes, "routes"));
        rules = List.copyOf(Objects.requireNonNull(rules, "rules"));
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(announce, "announce");
        unicastPeers = List.copyOf(Objects.requireNonNull(unicastPeers, "unicastPeers"));
        checks = List.copyOf(Objects.requireNonNull(checks, "checks"));
        trackedInterfaces = List.copyOf(Objects.requireNonNull(trackedInterfaces, "trackedInterfaces"));
        excludedAddresses = List.copyOf(Objects.requireNonNull(excludedAddresses, "excludedAddresses"));
        weightedInterfaces = List.copyOf(Objects.requireNonNull(weightedInterfaces, "weightedInterfaces"));
        Set<String> weighted = new HashSet<>();
        for (TrackedInterfaceSpec tracked : weightedInterfaces) {
            if (!weighted.add(tracked.name()) || trackedInterfaces.contains(tracked.name())) {
                throw new IllegalArgumentException("weightedInterfaces: " + tracked.name() + " is tracked twice by "
                        + config.name() + "; each interface at most once");
            }
        }
        Set<InetAddress> installed = new HashSet<>();
        config.virtualAddresses().forEach(vip -> installed.add(vip.address()));
        for (VirtualAddress excluded : excludedAddresses) {
            if (!installed.add(excluded.address())) {
                throw new IllegalArgumentException("excludedAddresses: " + excluded.address().getHostAddress()
                        + " is listed twice or is also a virtual address of " + config.name());
            }
        }
        AddressFamily family = config.family();
        if (sourceAddress != null && AddressFamily.ofAddressLength(sourceAddress.getAddress().length) != family) {
            throw new IllegalArgumentException("sourceAddress " + sourceAddress.getHostAddress() + " is not " + family
                    + " like the router " + config.name());
        }
        if (multicastGroup != null && (!multicastGroup.isMulticastAddress()
                || AddressFamily.ofAddressLength(multicastGroup.getAddress().length) != family)) {
            throw new IllegalArgumentException("multicastGroup " + multicastGroup.getHostAddress() + " is not "
                    + (family == AddressFamily.IPV4 ? "an IPv4 multicast address (224.0.0.0/4)"
                    : "an IPv6 multicast address (ff00::/8)") + " for the router " + config.name());
        }
        for (InetAddress peer : unicastPeers) {
            if (AddressFamily.ofAddressLength(peer.getAddress().length) != family) {
                throw new IllegalArgumentException("unicastPeers: " + peer.getHostAddress() + " is not " + family
                        + " like the router " + config.name());
            }
        }
        if (checks.stream().map(TrackedCheckSpec::name).distinct().count() != checks.size()) {
            throw new IllegalArgumentException("checks of " + config.name() + " name the same check twice");
        }
    }

    /** A router that tracks its own interface. */
    public RouterSpec(RouterConfig config, String interfaceName, InetAddress sourceAddress,
                      List<InetAddress> unicastPeers, AnnouncePolicy announce, List<TrackedCheckSpec> checks,
                      List<String> trackedInterfaces, List<VirtualAddress> excludedAddresses,
                      List<TrackedInterfaceSpec> weightedInterfaces, InetAddress multicastGroup,
                      List<IpRoute> routes, List<IpRule> rules) {
        this(config, interfaceName, sourceAddress, unicastPeers, announce, checks, trackedInterfaces,
                excludedAddresses, weightedInterfaces, multicastGroup, routes, rules, true);
    }

    /** A router without routes and rules, tracking its own interface. */
    public RouterSpec(RouterConfig config, String interfaceName, InetAddress sourceAddress,
                      List<InetAddress> unicastPeers, AnnouncePolicy announce, List<TrackedCheckSpec> checks,
                      List<String> trackedInterfaces, List<VirtualAddress> excludedAddresses,
                      List<TrackedInterfaceSpec> weightedInterfaces, InetAddress multicastGroup) {
        this(config, interfaceName, sourceAddress, unicastPeers, announce, checks, trackedInterfaces,
                excludedAddresses, weightedInterfaces, multicastGroup, List.of(), List.of(), true);
    }

    /** A router without excluded addresses, weighted interfaces, routes and rules. */
    public RouterSpec(RouterConfig config, String interfaceName, InetAddress sourceAddress,
                      List<InetAddress> unicastPeers, AnnouncePolicy announce, List<TrackedCheckSpec> checks,
                      List<String> trackedInterfaces) {
        this(config, interfaceName, sourceAddress, unicastPeers, announce, checks, trackedInterfaces, List.of(),
                List.of(), null);
    }

    /** Its identity on the node. */
    public RouterKey key() {
        return new RouterKey(interfaceName, config.family(), config.vrid());
    }

    public String name() {
        return config.name();
    }

    /** Where its multicast advertisements go: {@link #multicastGroup()}, else RFC 9568's group of its family. */
    public InetAddress multicastDestination() {
        if (multicastGroup != null) {
            return multicastGroup;
        }
        return config.family().multicastGroupAddress();
    }

    /** Every interface it tracks besides its own, weighted or not, and those of its addresses: what the driver watches. */
    public List<String> trackedInterfaceNames() {
        List<String> addressInterfaces = addressInterfaces();
        if (weightedInterfaces.isEmpty() && addressInterfaces.isEmpty()) {
            return trackedInterfaces;
        }
        List<String> names = new ArrayList<>(trackedInterfaces);
        weightedInterfaces.forEach(tracked -> names.add(tracked.name()));
        names.addAll(addressInterfaces);
        return List.copyOf(names);
    }

    /**
     * The other interfaces its installed addresses go on whose link going down puts it in Fault, as
     * keepalived tracks the interface of each virtual and excluded address not marked
     * {@code no_track}; each once, and none that {@code trackedInterfaces} or
     * {@code weightedInterfaces} names already (a weighted one keeps its weight, as with keepalived,
     * which tracks an interface once). Its own interface is {@link #trackPrimary()}'s.
     */
    public List<String> addressInterfaces() {
        List<String> names = null;
        for (VirtualAddress vip : installedAddresses()) {
            AddressOptions options = vip.options();
            if (options.noTrack() || !options.onOtherDevice(interfaceName)) {
                continue;
            }
            String name = options.device();
            if (trackedInterfaces.contains(name) || weightedInterfaces.stream().anyMatch(w -> w.name().equals(name))
                    || (names != null && names.contains(name))) {
                continue;
            }
            if (names == null) {
                names = new ArrayList<>();
            }
            names.add(name);
        }
        return names == null ? List.of() : List.copyOf(names);
    }

    /** What the router installs while Active: its virtual addresses, then its excluded ones. */
    public List<VirtualAddress> installedAddresses() {
        if (excludedAddresses.isEmpty()) {
            return config.virtualAddresses();
        }
        List<VirtualAddress> all = new ArrayList<>(config.virtualAddresses());
        all.addAll(excludedAddresses);
        return List.copyOf(all);
    }

    /** Whether advertisements go to listed peers rather than the multicast group. */
    public boolean isUnicast() {
        return !unicastPeers.isEmpty();
    }

    /** The same router with its source address resolved. */
    public RouterSpec withSourceAddress(InetAddress source) {
        return new RouterSpec(config, interfaceName, source, unicastPeers, announce, checks, trackedInterfaces,
                excludedAddresses, weightedInterfaces, multicastGroup, routes, rules, trackPrimary);
    }
}
