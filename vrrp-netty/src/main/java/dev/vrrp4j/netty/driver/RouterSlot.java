package dev.vrrp4j.netty.driver;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.Advertisement;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.VirtualAddress;
import dev.vrrp4j.core.router.VirtualRouter;
import dev.vrrp4j.netty.VirtualRouterSpec;
import dev.vrrp4j.netty.transport.VrrpSendSocket;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;

/**
 * One virtual router as the driver runs it: the core state machine plus what it needs on the
 * wire. Confined to the event loop, except {@link #state}, which other threads read.
 */
final class RouterSlot implements RouterView {
    final VirtualRouterSpec spec;
    final VirtualRouter router;
    final InterfacePort port;
    final VrrpSendSocket sendSocket;
    final InetAddress sourceAddress;
    final byte[] sourceBytes;
    /** Where advertisements go: the group, or each unicast peer. */
    final InetAddress[] destinations;
    final byte[][] destinationBytes;
    /** The outgoing advertisement, built once; only priority and destination change per send. */
    final Advertisement outgoing = new Advertisement();
    private final byte[] sortedPeers;
    private final int addressLength;

    volatile State state = State.INITIALIZE;
    /** Checks this router tracks, with its weights (keepalived track_script). */
    final List<dev.vrrp4j.core.health.TrackedPriority.Tracked> tracked = new java.util.ArrayList<>();
    /** Other interfaces whose link it tracks (keepalived track_interface). */
    final List<InterfaceWatch> watches = new java.util.ArrayList<>();
    GroupState group;
    ScheduledFuture<?> secondBurst;
    ScheduledFuture<?> refresh;

    RouterSlot(VirtualRouterSpec spec, InterfacePort port, VrrpSendSocket sendSocket, InetAddress sourceAddress) {
        this.spec = spec;
        this.port = port;
        this.sendSocket = sendSocket;
        this.sourceAddress = sourceAddress;
        this.sourceBytes = sourceAddress.getAddress();
        this.router = new VirtualRouter(spec.config(), sourceAddress);
        AddressFamily family = spec.config().family();
        this.addressLength = family.addressLength();
        List<InetAddress> targets = spec.isUnicast()
                ? spec.unicastPeers()
                : List.of(groupAddress(family));
        this.destinations = targets.toArray(InetAddress[]::new);
        this.destinationBytes = targets.stream().map(InetAddress::getAddress).toArray(byte[][]::new);
        RouterConfig config = spec.config();
        if (config.version() == RouterConfig.VERSION_2) {
            // RFC 3768 §5.3: whole seconds, and the password (if any) in the Authentication Data.
            outgoing.setVersion2(config.vrid(), config.priority(), config.advertIntervalSeconds(),
                    config.hasPassword() ? Advertisement.AUTH_PASSWORD : Advertisement.AUTH_NONE,
                    config.authPassword().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } else {
            outgoing.set(family, config.vrid(), config.priority(), config.advertIntervalCentis());
        }
        outgoing.addresses(config.virtualAddresses().stream().map(VirtualAddress::address).toList());
        byte[][] peers = spec.unicastPeers().stream().map(InetAddress::getAddress)
                .sorted(Arrays::compareUnsigned).toArray(byte[][]::new);
        this.sortedPeers = new byte[peers.length * addressLength];
        for (int i = 0; i < peers.length; i++) {
            System.arraycopy(peers[i], 0, sortedPeers, i * addressLength, addressLength);
        }
    }

    String name() {
        return spec.config().name();
    }

    @Override
    public dev.vrrp4j.core.router.RouterConfig config() {
        return spec.config();
    }

    @Override
    public String interfaceName() {
        return spec.interfaceName();
    }

    @Override
    public State state() {
        return state;
    }

    @Override
    public dev.vrrp4j.core.router.RouterCounters counters() {
        return router.counters();
    }

    /** Unicast mode accepts advertisements only from listed peers; multicast from anyone. Allocates nothing. */
    boolean acceptsSource(byte[] source) {
        if (!spec.isUnicast()) {
            return true;
        }
        int low = 0;
        int high = sortedPeers.length / addressLength - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int cmp = Arrays.compareUnsigned(sortedPeers, mid * addressLength, (mid + 1) * addressLength,
                    source, 0, addressLength);
            if (cmp == 0) {
                return true;
            }
            if (cmp < 0) {
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return false;
    }

    /** Whether this router's own conditions (link, tracked interfaces, zero-weight checks) say Fault. */
    boolean ownFault() {
        if (!port.linkUp || dev.vrrp4j.core.health.TrackedPriority.faulted(tracked)) {
            return true;
        }
        for (InterfaceWatch watch : watches) {
            if (!watch.up) {
                return true;
            }
        }
        return false;
    }

    void cancelAnnouncements() {
        if (secondBurst != null) {
            secondBurst.cancel(false);
            secondBurst = null;
        }
        if (refresh != null) {
            refresh.cancel(false);
            refresh = null;
        }
    }

    private static InetAddress groupAddress(AddressFamily family) {
        return VirtualAddress.parseLiteral(family == AddressFamily.IPV4 ? "224.0.0.18" : "ff02::12");
    }
}
