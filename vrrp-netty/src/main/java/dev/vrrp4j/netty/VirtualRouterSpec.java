package dev.vrrp4j.netty;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.RouterConfig;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * One virtual router as a node runs it: the protocol configuration ({@link RouterConfig}) plus
 * where and how it meets the network.
 *
 * @param config          the protocol configuration (VRID, priority, interval, addresses, ...)
 * @param interfaceName   the interface it runs on, as in keepalived's {@code interface eth0}
 * @param sourceAddress   the advertisement source (keepalived {@code unicast_src_ip}); null for the
 *                        interface's primary IPv4 address or its IPv6 link-local address
 * @param unicastPeers    empty for multicast; otherwise advertisements go to each of these instead of
 *                        the group and are accepted only from them (keepalived {@code unicast_peer})
 * @param announce        gratuitous ARP / NA settings on becoming Active
 * @param checks          health checks this router tracks (keepalived {@code track_script}); weights
 *                        adjust its priority, a failing zero-weight check puts it in Fault
 * @param trackedInterfaces interfaces whose link going down puts it in Fault (keepalived
 *                        {@code track_interface}); its own interface is always tracked
 */
public record VirtualRouterSpec(RouterConfig config, String interfaceName, InetAddress sourceAddress,
                                List<InetAddress> unicastPeers, AnnounceSettings announce,
                                List<TrackedCheck> checks, List<String> trackedInterfaces) {

    /** A router that tracks no checks and no other interfaces. */
    public VirtualRouterSpec(RouterConfig config, String interfaceName, InetAddress sourceAddress,
                             List<InetAddress> unicastPeers, AnnounceSettings announce) {
        this(config, interfaceName, sourceAddress, unicastPeers, announce, List.of(), List.of());
    }

    public VirtualRouterSpec {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(announce, "announce");
        if (interfaceName.isEmpty() || interfaceName.length() > 15 || interfaceName.contains("/")
                || interfaceName.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("interfaceName '" + interfaceName
                    + "' is not a Linux interface name (1..15 characters, no '/' or spaces)");
        }
        unicastPeers = List.copyOf(Objects.requireNonNull(unicastPeers, "unicastPeers"));
        checks = List.copyOf(Objects.requireNonNull(checks, "checks"));
        trackedInterfaces = List.copyOf(Objects.requireNonNull(trackedInterfaces, "trackedInterfaces"));
        if (checks.stream().map(TrackedCheck::name).distinct().count() != checks.size()) {
            throw new IllegalArgumentException("checks of " + config.name() + " name the same check twice");
        }
        AddressFamily family = config.family();
        if (sourceAddress != null && AddressFamily.ofAddressLength(sourceAddress.getAddress().length) != family) {
            throw new IllegalArgumentException("sourceAddress " + sourceAddress.getHostAddress() + " is not " + family
                    + " like the router " + config.name());
        }
        for (InetAddress peer : unicastPeers) {
            if (AddressFamily.ofAddressLength(peer.getAddress().length) != family) {
                throw new IllegalArgumentException("unicastPeers: " + peer.getHostAddress() + " is not " + family
                        + " like the router " + config.name());
            }
        }
    }

    /** A multicast router on {@code interfaceName} with keepalived's announcement defaults. */
    public static VirtualRouterSpec multicast(RouterConfig config, String interfaceName) {
        return new VirtualRouterSpec(config, interfaceName, null, List.of(), AnnounceSettings.KEEPALIVED_DEFAULTS);
    }

    /** This router, also tracking {@code check}. */
    public VirtualRouterSpec withCheck(TrackedCheck check) {
        List<TrackedCheck> more = new java.util.ArrayList<>(checks);
        more.add(check);
        return new VirtualRouterSpec(config, interfaceName, sourceAddress, unicastPeers, announce, more,
                trackedInterfaces);
    }

    /** This router, also going to Fault when {@code interfaceName} is down. */
    public VirtualRouterSpec withTrackedInterface(String name) {
        List<String> more = new java.util.ArrayList<>(trackedInterfaces);
        more.add(name);
        return new VirtualRouterSpec(config, interfaceName, sourceAddress, unicastPeers, announce, checks, more);
    }

    /** Whether advertisements go to listed peers rather than the multicast group. */
    public boolean isUnicast() {
        return !unicastPeers.isEmpty();
    }
}
