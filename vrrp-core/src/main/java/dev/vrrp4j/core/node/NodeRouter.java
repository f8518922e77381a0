package dev.vrrp4j.core.node;

import dev.vrrp4j.core.health.TrackedPriority;
import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.Advertisement;
import dev.vrrp4j.core.packet.AdvertisementCodec;
import dev.vrrp4j.core.packet.HmacAuthenticator;
import dev.vrrp4j.core.router.Action;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.RouterCounters;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.VirtualRouter;

import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One virtual router of a {@link Node}: its {@link VirtualRouter}, its place on the node and what it
 * tracks. Confined to the node's thread, except {@link #spec()}, {@link #config()},
 * {@link #index()} and {@link #counters()}, which any thread may read.
 */
public final class NodeRouter {
    private final int index;
    // What derives from the spec is replaced by a live reload (update); the identity never changes.
    private volatile RouterSpec spec;
    private final NodeInterface iface;
    final VirtualRouter router;
    private byte[] sourceBytes;
    /** Where advertisements go: the group, or each unicast peer. */
    private InetAddress[] destinations;
    private byte[][] destinationBytes;
    /** The outgoing advertisement, built once per configuration; only priority and destination change per send. */
    private Advertisement outgoing;
    private byte[] sortedPeers;
    private final int addressLength;
    /** auth_hmac signer and verifier, or null; kept across a reload that leaves its settings alone. */
    private HmacAuthenticator hmac;
    /** The trailer signed for copy 0 of the advertisement, reused for the other unicast copies. */
    private final byte[] trailer = new byte[HmacAuthenticator.TRAILER_LENGTH];
    private final InstantSource utcClock;
    /** Checks it tracks, with its weights (keepalived track_script). */
    final List<TrackedPriority.Tracked> tracked = new ArrayList<>();
    /** Other interfaces whose link it tracks (keepalived track_interface). */
    final List<TrackedLink> links = new ArrayList<>();
    /** Other interfaces whose link adjusts its priority (keepalived track_interface with a weight). */
    final List<TrackedLink.Weighted> weightedLinks = new ArrayList<>();
    SyncGroupState group;
    /** How often it is queued as a group member whose group waits for it. */
    int followTokens;

    // Effects handed out again and again, so that the send and address paths allocate nothing.
    final NodeEffect.AddVirtualAddresses addAddresses = new NodeEffect.AddVirtualAddresses(this);
    final NodeEffect.RemoveVirtualAddresses removeAddresses = new NodeEffect.RemoveVirtualAddresses(this);
    final NodeEffect.AnnounceAddresses announce = new NodeEffect.AnnounceAddresses(this);
    final NodeEffect.AnnounceAfterLowerPriority announceAfterLowerPriority =
            new NodeEffect.AnnounceAfterLowerPriority(this);
    private final NodeEffect.SendAdvertisement[] sends = new NodeEffect.SendAdvertisement[256];

    NodeRouter(int index, RouterSpec spec, NodeInterface iface, InstantSource utcClock) {
        this.index = index;
        this.iface = iface;
        this.utcClock = utcClock;
        this.router = new VirtualRouter(spec.config(), spec.sourceAddress());
        this.addressLength = spec.config().family().addressLength();
        adopt(spec);
    }

    /** Takes what derives from {@code next}: source, destinations, the peer allowlist, the advertisement. */
    private void adopt(RouterSpec next) {
        this.spec = next;
        this.sourceBytes = next.sourceAddress().getAddress();
        List<InetAddress> targets = next.isUnicast() ? next.unicastPeers() : List.of(next.multicastDestination());
        this.destinations = targets.toArray(InetAddress[]::new);
        this.destinationBytes = targets.stream().map(InetAddress::getAddress).toArray(byte[][]::new);
        this.outgoing = newAdvertisement();
        if (next.config().authHmac() == null) {
            this.hmac = null;
        } else if (hmac == null || !hmac.settings().equals(next.config().authHmac())
                || hmac.senderSlots() < next.unicastPeers().size()) { // a mark per unicast peer
            this.hmac = new HmacAuthenticator(next.config().authHmac(), next.unicastPeers().size());
        }
        byte[][] peers = next.unicastPeers().stream().map(InetAddress::getAddress)
                .sorted(Arrays::compareUnsigned).toArray(byte[][]::new);
        this.sortedPeers = new byte[peers.length * addressLength];
        for (int i = 0; i < peers.length; i++) {
            System.arraycopy(peers[i], 0, sortedPeers, i * addressLength, addressLength);
        }
    }

    /** A live reload: the same router ({@link RouterSpec#key()}) with new settings; see {@link Node#reconfigure}. */
    void update(long nowNanos, RouterSpec next) {
        router.reconfigure(nowNanos, next.config(), next.sourceAddress());
        adopt(next);
    }

    /**
     * A number unique within the node, 0-based and dense for the routers it was built with; a
     * router a reload adds gets the next one ({@link Node#routerSlots()}), one it removes leaves a
     * gap. A driver can keep its own per-router data in an array indexed by it.
     */
    public int index() {
        return index;
    }

    public RouterSpec spec() {
        return spec;
    }

    public RouterConfig config() {
        return spec.config();
    }

    public String name() {
        return spec.config().name();
    }

    public NodeInterface networkInterface() {
        return iface;
    }

    /** The advertisement source, as resolved before the node was built. */
    public InetAddress sourceAddress() {
        return spec.sourceAddress();
    }

    public State state() {
        return router.state();
    }

    /** The priority it advertises now (configured, adjusted by weighted checks). */
    public int priority() {
        return router.priority();
    }

    public InetAddress activeAddress() {
        return router.activeAddress();
    }

    public long stateSinceNanos() {
        return router.stateSinceNanos();
    }

    public boolean splitBrainOngoing(long nowNanos) {
        return router.splitBrainOngoing(nowNanos);
    }

    public Action.SplitBrainDetected lastSplitBrain() {
        return router.lastSplitBrain();
    }

    public RouterCounters counters() {
        return router.counters();
    }

    byte[] sourceBytes() {
        return sourceBytes;
    }

    /** How many copies of each advertisement it sends: one to the group, or one per unicast peer. */
    public int destinationCount() {
        return destinations.length;
    }

    /** Where copy {@code index} of each advertisement goes. */
    public InetAddress destination(int index) {
        return destinations[index];
    }

    /**
     * Encodes its advertisement at {@code priority} for destination {@code index} into {@code out}
     * (cleared first, flipped after), ready to send; with auth_hmac (but in receive-only mode) the
     * trailer follows, signed when {@code index} is 0, so copy 0 must be encoded first. Allocates nothing.
     */
    public void encodeAdvertisement(int priority, int index, ByteBuffer out) {
        outgoing.priority(priority);
        outgoing.route(sourceBytes, destinationBytes[index]);
        out.clear();
        if (hmac == null || !hmac.signs()) {
            AdvertisementCodec.encode(outgoing, spec.config().ipv4ChecksumForm(), out);
        } else if (index == 0) {
            // Signed once per advertisement (copy 0 comes first), as keepalived does: every unicast
            // copy carries the same sequence and HMAC, which exclude the destination.
            int length = AdvertisementCodec.encode(outgoing, spec.config().ipv4ChecksumForm(), out, hmac,
                    utcClock.millis());
            out.get(length - HmacAuthenticator.TRAILER_LENGTH, trailer);
        } else {
            AdvertisementCodec.encode(outgoing, spec.config().ipv4ChecksumForm(), out, trailer);
        }
        out.flip();
    }

    /** The router's auth_hmac signer and verifier, or null without auth_hmac. */
    HmacAuthenticator hmac() {
        return hmac;
    }

    /**
     * A new advertisement as this router sends it (RFC 9568 §5.2; RFC 3768 §5.3 for VRRPv2: whole
     * seconds and the password, if any, in the Authentication Data), without source and destination.
     */
    public Advertisement newAdvertisement() {
        RouterConfig config = spec.config();
        Advertisement advertisement = new Advertisement();
        if (config.version() == RouterConfig.VERSION_2) {
            advertisement.setVersion2(config.vrid(), config.priority(), config.advertIntervalSeconds(),
                    config.hasPassword() ? Advertisement.AUTH_PASSWORD : Advertisement.AUTH_NONE,
                    config.authPassword().getBytes(StandardCharsets.UTF_8));
        } else {
            advertisement.set(config.family(), config.vrid(), config.priority(), config.advertIntervalCentis());
        }
        advertisement.addresses(config.virtualAddresses().stream().map(v -> v.address()).toList());
        return advertisement;
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

    /** Whether its own conditions (link, tracked interfaces, zero-weight checks) say Fault. */
    boolean ownFault() {
        // keepalived's dont_track_primary: its own interface's link is ignored, unless it is gone.
        boolean interfaceDown = spec.trackPrimary() ? !iface.linkUp : !iface.present;
        if (interfaceDown || TrackedPriority.faulted(tracked)) {
            return true;
        }
        for (int i = 0; i < links.size(); i++) {
            if (!links.get(i).up) {
                return true;
            }
        }
        return false;
    }

    /**
     * keepalived's weighted track_interface: a positive weight while the link is up, a negative one
     * while it is down.
     */
    int linkWeights() {
        int sum = 0;
        for (int i = 0; i < weightedLinks.size(); i++) {
            TrackedLink.Weighted weighted = weightedLinks.get(i);
            if (weighted.weight() > 0 == weighted.link().up) {
                sum += weighted.weight();
            }
        }
        return sum;
    }

    /** The effect for an advertisement at {@code priority}, made once per priority. */
    NodeEffect.SendAdvertisement send(int priority) {
        NodeEffect.SendAdvertisement send = sends[priority];
        if (send == null) {
            send = new NodeEffect.SendAdvertisement(this, priority);
            sends[priority] = send;
        }
        return send;
    }

    @Override
    public String toString() {
        return router.toString();
    }
}
