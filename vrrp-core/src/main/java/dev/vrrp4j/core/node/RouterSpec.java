package dev.vrrp4j.core.node;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.RouterConfig;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

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
 *                          always tracked
 */
public record RouterSpec(RouterConfig config, String interfaceName, InetAddress sourceAddress,
                         List<InetAddress> unicastPeers, AnnouncePolicy announce, List<TrackedCheckSpec> checks,
                         List<String> trackedInterfaces) {
    public RouterSpec {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(announce, "announce");
        unicastPeers = List.copyOf(Objects.requireNonNull(unicastPeers, "unicastPeers"));
        checks = List.copyOf(Objects.requireNonNull(checks, "checks"));
        trackedInterfaces = List.copyOf(Objects.requireNonNull(trackedInterfaces, "trackedInterfaces"));
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
        if (checks.stream().map(TrackedCheckSpec::name).distinct().count() != checks.size()) {
            throw new IllegalArgumentException("checks of " + config.name() + " name the same check twice");
        }
    }

    /** Its identity on the node. */
    public RouterKey key() {
        return new RouterKey(interfaceName, config.family(), config.vrid());
    }

    public String name() {
        return config.name();
    }

    /** Whether advertisements go to listed peers rather than the multicast group. */
    public boolean isUnicast() {
        return !unicastPeers.isEmpty();
    }

    /** The same router with its source address resolved. */
    public RouterSpec withSourceAddress(InetAddress source) {
        return new RouterSpec(config, interfaceName, source, unicastPeers, announce, checks, trackedInterfaces);
    }
}
