package dev.vrrp4j.core.config;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.ChecksumForm;
import dev.vrrp4j.core.packet.HmacSettings;
import dev.vrrp4j.core.router.IpRoute;
import dev.vrrp4j.core.router.IpRule;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.VirtualAddress;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A keepalived {@code vrrp_instance}: one virtual router (RFC 9568 §6.1, or RFC 3768 §6.1 for VRRPv2) with keepalived's
 * extensions, holding the effective values (keepalived's defaults and {@code global_defs} applied,
 * and the adjustments keepalived itself makes, which the parser reports as warnings).
 *
 * @param name                 the instance name ({@code VI_1})
 * @param initialState         {@code MASTER} or {@code BACKUP} (keepalived's default; also for a sync
 *                             group member whose group is not all {@code MASTER})
 * @param interfaceName        {@code interface}
 * @param vrid                 {@code virtual_router_id}, 1..255
 * @param priority             {@code priority}, 1..255, default 100
 * @param advertIntervalCentis {@code advert_int} in centiseconds, default 100 (1 s)
 * @param version              2 or 3: {@code version}, else 3 for IPv6, else {@code vrrp_version},
 *                             else 2, keepalived's default (VRRPv2, RFC 3768)
 * @param preempt              false with {@code nopreempt} (ignored with {@code state MASTER}, as in keepalived)
 * @param preemptDelayMillis   {@code preempt_delay}, 0..1,000,000 ms (cleared with {@code state MASTER})
 * @param accept               Accept_Mode; keepalived's default without strict mode is on
 * @param virtualAddresses     {@code virtual_ipaddress}, all of one family; at least one for VRRPv3
 *                             (RFC 9568 §5.2.5), none allowed for VRRPv2 (RFC 3768 §5.3.6)
 * @param excludedAddresses    {@code virtual_ipaddress_excluded}: installed and removed with the virtual
 *                             addresses but never advertised, so of either family (keepalived.conf(5))
 * @param unicastSrcIp         {@code unicast_src_ip} or {@code mcast_src_ip} (keepalived treats both
 *                             as the advertisement source address), or {@code null}
 * @param unicastPeers         {@code unicast_peer} addresses; empty means multicast
 * @param trackInterfaces      {@code track_interface}: interfaces whose failure means Fault
 * @param weightedTrackInterfaces {@code track_interface} entries with a weight: interfaces whose link
 *                             adjusts the priority instead (minus the ones keepalived ignores: on an
 *                             address owner; in a sync group without {@code sync_group_tracking_weight}
 *                             they are in {@code trackInterfaces}, as keepalived sets their weight to 0)
 * @param dontTrackPrimary     {@code dont_track_primary}: the instance's own interface going down is not a fault
 * @param trackScripts         {@code track_script}, minus the weighted ones keepalived ignores
 *                             (address owner, sync group member)
 * @param notifyCommands       notify scripts (not {@code notify}: a record cannot have a component named like
 *                             {@link Object#notify()})
 * @param garpMasterDelay      {@code garp_master_delay}, default 5 s (0: no second burst)
 * @param garpMasterRepeat     {@code garp_master_repeat}, default 5
 * @param garpMasterRefresh    {@code garp_master_refresh}, default 0 (off)
 * @param garpTuning           the refresh repeat, the lower-priority bursts and the gaps between announcements
 * @param v3ChecksumAsV2       {@code v3_checksum_as_v2}: IPv4 checksum without the pseudo-header
 * @param authPassword         VRRPv2 {@code authentication { auth_type PASS; auth_pass ... }}: the
 *                             password (at most 8 bytes, as keepalived truncates it), "" for none
 * @param authHmac             {@code auth_hmac { ... }} (keepalived 2.4), or {@code null}
 * @param multicastGroup       where multicast advertisements go: {@code mcast_dst_ip}, else
 *                             {@code vrrp_mcast_group4/6}; {@code null} for RFC 9568's group, and for a
 *                             unicast instance
 * @param virtualRoutes        {@code virtual_routes}: installed on becoming Active, removed on leaving it;
 *                             of either family and on any device (keepalived.conf(5))
 * @param virtualRules         {@code virtual_rules}: likewise
 * @param where                the {@code vrrp_instance} line
 */
public record VrrpInstance(
        String name,
        String initialState,
        String interfaceName,
        int vrid,
        int priority,
        int advertIntervalCentis,
        int version,
        boolean preempt,
        long preemptDelayMillis,
        boolean accept,
        List<VirtualIp> virtualAddresses,
        List<VirtualIp> excludedAddresses,
        String unicastSrcIp,
        List<String> unicastPeers,
        List<String> trackInterfaces,
        List<TrackInterfaceRef> weightedTrackInterfaces,
        boolean dontTrackPrimary,
        List<TrackScriptRef> trackScripts,
        NotifyCommands notifyCommands,
        Duration garpMasterDelay,
        int garpMasterRepeat,
        Duration garpMasterRefresh,
        GarpTuning garpTuning,
        boolean v3ChecksumAsV2,
        String authPassword,
        HmacSettings authHmac,
        String multicastGroup,
        List<IpRoute> virtualRoutes,
        List<IpRule> virtualRules,
        SourceLocation where) {

    public VrrpInstance {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(initialState, "initialState");
        Objects.requireNonNull(interfaceName, "interfaceName");
        Objects.requireNonNull(notifyCommands, "notifyCommands");
        Objects.requireNonNull(garpMasterDelay, "garpMasterDelay");
        Objects.requireNonNull(garpMasterRefresh, "garpMasterRefresh");
        Objects.requireNonNull(garpTuning, "garpTuning");
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(authPassword, "authPassword");
        if (!initialState.equals("MASTER") && !initialState.equals("BACKUP")) {
            throw new IllegalArgumentException("initialState " + initialState + " is not MASTER or BACKUP");
        }
        checkRange("vrid", vrid, 1, 255);
        checkRange("priority", priority, 1, 255);
        checkRange("version", version, 2, 3);
        checkRange("advertIntervalCentis", advertIntervalCentis, 1, version == 3 ? 4095 : 25500);
        checkRange("preemptDelayMillis", preemptDelayMillis, 0, RouterConfig.MAX_PREEMPT_DELAY_MILLIS);
        checkRange("garpMasterRepeat", garpMasterRepeat, 1, Integer.MAX_VALUE);
        virtualAddresses = List.copyOf(virtualAddresses);
        excludedAddresses = List.copyOf(excludedAddresses);
        unicastPeers = List.copyOf(unicastPeers);
        trackInterfaces = List.copyOf(trackInterfaces);
        weightedTrackInterfaces = List.copyOf(weightedTrackInterfaces);
        trackScripts = List.copyOf(trackScripts);
        virtualRoutes = List.copyOf(virtualRoutes);
        virtualRules = List.copyOf(virtualRules);
        if (virtualAddresses.isEmpty() && version != 2) {
            throw new IllegalArgumentException("virtualAddresses of " + name + " is empty: VRRPv3 needs at least one"
                    + " address (RFC 9568 §5.2.5)");
        }
        boolean ipv6 = !virtualAddresses.isEmpty() && virtualAddresses.getFirst().isIpv6();
        if (virtualAddresses.stream().anyMatch(a -> a.isIpv6() != ipv6)) {
            throw new IllegalArgumentException("virtualAddresses of " + name + " mix IPv4 and IPv6: " + virtualAddresses);
        }
    }

    /** The excluded addresses as the node layer takes them. */
    public List<VirtualAddress> excludedVirtualAddresses() {
        return excludedAddresses.stream().map(this::onInterface).toList();
    }

    /**
     * The address as the node layer takes it, {@code dev} of the instance's own interface written as
     * none: the same installation, so a reload that only adds or drops that {@code dev} changes nothing.
     */
    private VirtualAddress onInterface(VirtualIp vip) {
        VirtualAddress address = vip.toVirtualAddress();
        return interfaceName.equals(vip.dev()) ? address.withOptions(address.options().withDevice(null)) : address;
    }

    /**
     * Whether this is an IPv6 virtual router (inferred from its addresses, as keepalived does; one
     * without addresses is VRRPv2, so IPv4).
     */
    public boolean isIpv6() {
        return !virtualAddresses.isEmpty() && virtualAddresses.getFirst().isIpv6();
    }

    /** The address family of the virtual router. */
    public AddressFamily family() {
        return isIpv6() ? AddressFamily.IPV6 : AddressFamily.IPV4;
    }

    /**
     * The protocol parameters as the router core takes them. Tracking, notify scripts, unicast and
     * gratuitous ARP settings are the driver's business and stay here.
     */
    public RouterConfig toRouterConfig() {
        return new RouterConfig(name, family(), vrid, priority, advertIntervalCentis, preempt, preemptDelayMillis,
                accept, virtualAddresses.stream().map(this::onInterface).toList(),
                v3ChecksumAsV2 ? ChecksumForm.MESSAGE_ONLY : ChecksumForm.PSEUDO_HEADER, version, authPassword,
                authHmac);
    }

    /** The identifying fields only, and never the password (configurations end up in logs). */
    @Override
    public String toString() {
        return "VrrpInstance[name=" + name + ", interface=" + interfaceName + ", vrid=" + vrid + ", version=" + version
                + ", priority=" + priority + ", authPassword=" + (authPassword.isEmpty() ? "" : "********")
                + ", at " + where + "]";
    }

    private static void checkRange(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " " + value + " out of range " + min + ".." + max);
        }
    }
}
