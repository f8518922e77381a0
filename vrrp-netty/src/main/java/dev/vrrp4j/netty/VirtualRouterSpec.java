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
 */
public record VirtualRouterSpec(RouterConfig config, String interfaceName, InetAddress sourceAddress,
                                List<InetAddress> unicastPeers, AnnounceSettings announce) {
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

    /** Whether advertisements go to listed peers rather than the multicast group. */
    public boolean isUnicast() {
        return !unicastPeers.isEmpty();
    }
}
