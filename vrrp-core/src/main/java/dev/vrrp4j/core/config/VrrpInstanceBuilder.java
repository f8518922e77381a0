package dev.vrrp4j.core.config;

import dev.vrrp4j.core.packet.HmacSettings;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.vrrp4j.core.config.Values.family;
import static dev.vrrp4j.core.config.Values.isIpv6;

/**
 * Turns a {@link VrrpInstanceBlock} into a {@link VrrpInstance} once the whole file is read: the
 * checks that need several keywords (one address family, the version and what it allows), the
 * defaults from {@code global_defs}, keepalived's own adjustments (repeated with a warning, so that
 * the instance behaves as it does under keepalived), and the {@code track_script} references.
 */
final class VrrpInstanceBuilder {
    private final Diagnostics diagnostics;
    private final MulticastGroups groups;
    private final GlobalDefs globals;
    private final SourceLocation vrrpVersionWhere;
    private final Map<String, VrrpScriptBlock> scripts;
    private final Set<String> trackedScripts;

    /**
     * @param trackedScripts receives the names of the scripts an instance built here tracks
     */
    VrrpInstanceBuilder(Diagnostics diagnostics, GlobalDefs globals, SourceLocation vrrpVersionWhere,
                        Map<String, VrrpScriptBlock> scripts, Set<String> trackedScripts) {
        this.diagnostics = diagnostics;
        this.groups = new MulticastGroups(diagnostics);
        this.globals = globals;
        this.vrrpVersionWhere = vrrpVersionWhere;
        this.scripts = scripts;
        this.trackedScripts = trackedScripts;
    }

    /** The instance, or {@code null} when it has errors (they are reported). */
    VrrpInstance build(VrrpInstanceBlock instance) {
        int errorsBefore = diagnostics.errorCount();
        String owner = instance.owner;
        if (!instance.present.contains("interface")) {
            diagnostics.error(instance.where, owner + " has no interface");
        }
        if (!instance.present.contains("virtual_router_id")) {
            diagnostics.error(instance.where, owner + " has no virtual_router_id");
        }
        boolean ipv6 = checkAddresses(instance);
        int version = version(instance, ipv6);
        checkNoAddresses(instance, version);
        int advertCentis = instance.advert == null ? 100 : advertIntervalCentis(instance.advert, version);
        String password = instance.authentication.password(version);
        HmacSettings authHmac = instance.authHmac.settings(advertCentis);
        if (instance.authHmac.present() && !password.isEmpty()) {
            diagnostics.warn(instance.authHmac.where(), "authentication", owner + " has both auth_hmac and an"
                    + " authentication password; keepalived drops the password, and so does vrrp4j");
            password = "";
        }

        int priority = instance.priority != null ? instance.priority : 100;
        String state = instance.state != null ? instance.state : "BACKUP";
        boolean preempt = !instance.nopreempt;
        if (instance.nopreempt && state.equals("MASTER")) {
            diagnostics.warn(instance.nopreemptWhere, "nopreempt", owner + ": nopreempt does not work with state MASTER;"
                    + " keepalived ignores it, and so does vrrp4j (use state BACKUP on all routers)");
            preempt = true;
        }
        long preemptDelayMillis = instance.preemptDelayMillis != null ? instance.preemptDelayMillis : 0;
        if (preemptDelayMillis > 0 && state.equals("MASTER")) {
            diagnostics.warn(instance.preemptDelayWhere, "preempt_delay", owner + ": preempt_delay does not work with state"
                    + " MASTER; keepalived ignores it, and so does vrrp4j (use state BACKUP)");
            preemptDelayMillis = 0;
        }
        if (preemptDelayMillis > 0 && !preempt) {
            diagnostics.warn(instance.preemptDelayWhere, "preempt_delay", owner + ": preempt_delay has no effect with"
                    + " nopreempt; keepalived resets it, and so does vrrp4j");
            preemptDelayMillis = 0;
        }
        // keepalived (checked with its configuration dump): a sync group starts as MASTER only if all
        // its members say so, otherwise its MASTER members start as BACKUP (after the checks above)
        if (state.equals("MASTER") && instance.group != null
                && instance.group.members().stream().anyMatch(m -> !"MASTER".equals(m.state))) {
            diagnostics.warn(instance.seen.get("state"), "state", owner + " is in vrrp_sync_group " + instance.group.name
                    + ", whose instances are not all state MASTER: keepalived starts it as BACKUP, and so does vrrp4j");
            state = "BACKUP";
        }
        List<String> trackInterfaces = new ArrayList<>();
        List<TrackInterfaceRef> weightedInterfaces = new ArrayList<>();
        trackInterfaces(instance, priority, trackInterfaces, weightedInterfaces);
        List<TrackScriptRef> refs = trackScriptRefs(instance, priority);
        String multicastGroup = multicastGroup(instance, ipv6);

        if (instance.broken || diagnostics.errorCount() > errorsBefore) {
            return null;
        }
        return new VrrpInstance(instance.name, state, instance.iface, instance.vrid, priority, advertCentis, version, preempt,
                preemptDelayMillis, instance.accept, instance.addresses.addresses(), excludedAddresses(instance),
                instance.sourceAddress == null ? null : instance.sourceAddress.text(),
                instance.peers.peers().stream().map(Token::text).toList(), trackInterfaces, weightedInterfaces,
                instance.dontTrackPrimary, refs,
                instance.notify.build(),
                instance.garpDelay != null ? instance.garpDelay : globals.garpMasterDelay(),
                instance.garpRepeat != null ? instance.garpRepeat : globals.garpMasterRepeat(),
                instance.garpRefresh != null ? instance.garpRefresh : globals.garpMasterRefresh(),
                new GarpTuning(instance.garpRefreshRepeat != null ? instance.garpRefreshRepeat : globals.garpRefreshRepeat(),
                        instance.garpLowerPrioRepeat != null ? instance.garpLowerPrioRepeat : globals.garpLowerPrioRepeat(),
                        instance.garpLowerPrioDelay != null ? instance.garpLowerPrioDelay : globals.garpLowerPrioDelay(),
                        globals.garpInterval(), globals.gnaInterval()),
                instance.v3ChecksumAsV2 != null ? instance.v3ChecksumAsV2 : globals.v3ChecksumAsV2(), password,
                authHmac, multicastGroup, instance.routes, instance.rules, instance.where);
    }

    /**
     * Checks the addresses of an instance (one family, at most 255); returns whether it is IPv6.
     * Without virtual addresses the family comes, as in keepalived, from the source address, a
     * unicast peer or {@code native_ipv6}, and is IPv4 by default.
     */
    private boolean checkAddresses(VrrpInstanceBlock instance) {
        String owner = instance.owner;
        List<VirtualIp> vips = instance.addresses.addresses();
        boolean ipv6;
        if (vips.isEmpty()) {
            ipv6 = instance.sourceAddress != null ? isIpv6(instance.sourceAddress.text())
                    : !instance.peers.peers().isEmpty() ? isIpv6(instance.peers.peers().getFirst().text())
                    : instance.nativeIpv6 != null;
        } else {
            VirtualIp first = vips.getFirst();
            ipv6 = first.isIpv6();
            for (VirtualIp vip : vips) {
                if (vip.isIpv6() != ipv6) {
                    diagnostics.error(vip.where(), "virtual_ipaddress " + vip.address() + " is " + family(vip.isIpv6())
                            + " but the first address of " + owner + " (" + first.address() + ") is " + family(ipv6)
                            + "; an instance's addresses must all be of one family");
                }
            }
            if (vips.size() > 255) {
                diagnostics.error(instance.where, owner + " has " + vips.size() + " virtual_ipaddress entries; at most 255 fit"
                        + " in an advertisement (RFC 9568 §5.2.5)");
            }
        }
        if (instance.nativeIpv6 != null && !ipv6) {
            diagnostics.error(instance.nativeIpv6, "native_ipv6 in " + owner + ", whose addresses are IPv4");
        }
        if (instance.sourceAddress != null && isIpv6(instance.sourceAddress.text()) != ipv6) {
            diagnostics.error(instance.sourceAddress.where(), "source address " + instance.sourceAddress.text() + " is "
                    + family(!ipv6) + " but " + owner + " is " + family(ipv6));
        }
        for (Token peer : instance.peers.peers()) {
            if (isIpv6(peer.text()) != ipv6) {
                diagnostics.error(peer.where(), "unicast_peer " + peer.text() + " is " + family(!ipv6) + " but " + owner
                        + " is " + family(ipv6));
            }
        }
        if (instance.multicastDestination != null) {
            groups.destination(instance.multicastDestination, ipv6, owner);
        }
        return ipv6;
    }

    /**
     * The group a multicast instance advertises to: its {@code mcast_dst_ip} (checked with the
     * addresses), else {@code vrrp_mcast_group4/6} of its family, else {@code null} for RFC 9568's.
     * keepalived ignores {@code mcast_dst_ip} with unicast peers ("multicast destination specified
     * with unicast - ignoring"), and so does vrrp4j, with a warning.
     */
    private String multicastGroup(VrrpInstanceBlock instance, boolean ipv6) {
        Token destination = instance.multicastDestination;
        if (!instance.peers.peers().isEmpty()) {
            if (destination != null) {
                diagnostics.warn(destination.where(), "mcast_dst_ip", "mcast_dst_ip " + destination.text() + " in "
                        + instance.owner + ", which has unicast_peer: advertisements go to the peers; keepalived"
                        + " ignores it, and so does vrrp4j");
            }
            return null;
        }
        if (destination != null) {
            return destination.text();
        }
        return ipv6 ? globals.vrrpMcastGroup6() : globals.vrrpMcastGroup4();
    }

    /**
     * An instance without virtual addresses: VRRPv3 requires at least one (RFC 9568 §5.2.5), and so
     * does keepalived without {@code no_virtual_ipaddress} ("No VIP specified; at least one is
     * required"); VRRPv2 sets no minimum (RFC 3768 §5.3.6), and keepalived runs such an instance with
     * a warning that {@code no_virtual_ipaddress} silences: the cloud floating-IP pattern, where a
     * notify script moves the address through the provider's API.
     */
    private void checkNoAddresses(VrrpInstanceBlock instance, int version) {
        if (!instance.addresses.addresses().isEmpty()) {
            return;
        }
        String owner = instance.owner;
        SourceLocation allowed = instance.seen.get("no_virtual_ipaddress");
        if (version == 3) {
            String none = instance.present.contains("virtual_ipaddress") ? " has no usable address in virtual_ipaddress"
                    : " has no virtual_ipaddress";
            if (allowed != null) {
                diagnostics.error(allowed, "no_virtual_ipaddress in " + owner + ", which is VRRPv3: RFC 9568 §5.2.5"
                        + " requires at least one address; keepalived runs it as a protocol violation, vrrp4j does"
                        + " not; add a virtual_ipaddress, or use version 2 on every node");
            } else {
                diagnostics.error(instance.where, owner + none + ": VRRPv3 requires at least one address (RFC 9568"
                        + " §5.2.5; keepalived refuses it too); add one, or use version 2 on every node for an"
                        + " instance without addresses");
            }
        } else if (allowed == null && !instance.broken) {
            diagnostics.warn(instance.where, "virtual_ipaddress", owner + " has no virtual_ipaddress: it advertises"
                    + " and installs no address (keepalived warns too); no_virtual_ipaddress says this is meant");
        }
    }

    /**
     * {@code virtual_ipaddress_excluded}, minus the addresses {@code virtual_ipaddress} lists too: one
     * address, installed once and advertised (keepalived 2.2.7 -t accepts the repeat without a remark).
     */
    private List<VirtualIp> excludedAddresses(VrrpInstanceBlock instance) {
        List<VirtualIp> excluded = new ArrayList<>();
        for (VirtualIp vip : instance.excludedAddresses.addresses()) {
            VirtualIp advertised = instance.addresses.addresses().stream()
                    .filter(a -> Values.address(a.address()).equals(Values.address(vip.address())))
                    .findFirst().orElse(null);
            if (advertised != null) {
                diagnostics.warn(vip.where(), "virtual_ipaddress_excluded", "virtual_ipaddress_excluded " + vip.address()
                        + " is also in virtual_ipaddress of " + instance.owner + " (at " + advertised.where()
                        + "); it is installed once and advertised, as " + advertised);
            } else {
                excluded.add(vip);
            }
        }
        return excluded;
    }

    /** The instance's VRRP version, checked by {@link VersionPolicy}. */
    private int version(VrrpInstanceBlock instance, boolean ipv6) {
        // keepalived: `version`, else 3 for IPv6 (VRRPv2 is IPv4 only), else vrrp_version, else 2
        int version;
        VersionPolicy.Origin origin;
        if (instance.version != null) {
            version = instance.version;
            origin = new VersionPolicy.Origin.Instance(instance.seen.get("version"));
            if (version == 2 && ipv6) {
                diagnostics.error(instance.seen.get("version"), "version 2 in " + instance.owner + ", whose addresses are IPv6:"
                        + " VRRPv2 is IPv4 only; use version 3 (keepalived ignores this line)");
                version = 3;
            }
        } else if (ipv6) {
            version = 3;
            origin = new VersionPolicy.Origin.Ipv6();
        } else if (globals.vrrpVersion() != null) {
            version = globals.vrrpVersion();
            origin = new VersionPolicy.Origin.Global(vrrpVersionWhere);
        } else {
            version = 2;
            origin = new VersionPolicy.Origin.Default();
        }
        VersionPolicy.check(instance.name, version, origin, instance.where, diagnostics);
        return version;
    }

    /**
     * {@code advert_int} in seconds, to centiseconds: VRRPv3 carries 1..4095 cs (RFC 9568 §5.2.7),
     * VRRPv2 whole seconds 1..255 (RFC 3768 §5.3.7). keepalived 2.2.7 accepts a fraction for VRRPv2
     * and rounds it ("must be an integer. rounding"); its sub-second VRRPv2 is non-standard, so
     * vrrp4j refuses both and says what to write instead.
     */
    private int advertIntervalCentis(Token advert, int version) {
        String text = advert.text();
        BigDecimal seconds = Values.decimal(text);
        if (seconds == null) {
            diagnostics.error(advert.where(), "advert_int '" + text + "' is not a number of seconds");
            return 100;
        }
        BigDecimal centis = seconds.movePointRight(2);
        if (version == 2) {
            if (centis.remainder(BigDecimal.valueOf(100)).signum() != 0
                    || centis.compareTo(BigDecimal.valueOf(100)) < 0 || centis.compareTo(BigDecimal.valueOf(25500)) > 0) {
                diagnostics.error(advert.where(), "advert_int " + text + " is not allowed for VRRPv2: it must be whole"
                        + " seconds 1..255 (RFC 3768 §5.3.7; keepalived's fractions are non-standard and it rounds"
                        + " them); use a whole number on every node, or `version 3` on every node for sub-second"
                        + " intervals");
                return 100;
            }
            return centis.intValue();
        }
        if (centis.stripTrailingZeros().scale() > 0) {
            diagnostics.error(advert.where(), "advert_int " + text + " is not a whole number of centiseconds"
                    + " (VRRPv3 advertises the interval in centiseconds)");
            return 100;
        }
        if (centis.compareTo(BigDecimal.ONE) < 0 || centis.compareTo(BigDecimal.valueOf(4095)) > 0) {
            diagnostics.error(advert.where(), "advert_int " + text + " out of range 0.01..40.95 (VRRPv3)");
            return 100;
        }
        return centis.intValueExact();
    }

    /**
     * The {@code track_interface} entries, with keepalived's adjustments: its own interface is
     * dropped whatever the weight ("Ignoring track_interface ... since own interface"); a weighted
     * one is dropped on an address owner (priority 255) and tracked unweighted, so as Fault, in a
     * sync group without {@code sync_group_tracking_weight} (keepalived sets its weight to 0); an
     * interface listed again is tracked once, as first listed.
     */
    private void trackInterfaces(VrrpInstanceBlock instance, int priority, List<String> unweighted,
                                 List<TrackInterfaceRef> weighted) {
        String owner = instance.owner;
        Map<String, TrackInterfaceBlock.Line> first = new HashMap<>();
        for (TrackInterfaceBlock.Line line : instance.trackedInterfaces.lines()) {
            String name = line.name();
            if (name.equals(instance.iface)) {
                diagnostics.warn(line.where(), "track_interface", owner + " tracks its own interface " + name
                        + " anyway; keepalived ignores this entry, and so does vrrp4j");
                continue;
            }
            TrackInterfaceBlock.Line earlier = first.putIfAbsent(name, line);
            if (earlier != null) {
                if (earlier.weight() != line.weight()) {
                    diagnostics.warn(line.where(), "track_interface", "track_interface " + name + " is listed twice in "
                            + owner + " (first at " + earlier.where() + "); it is tracked once, as first listed");
                }
                continue;
            }
            int weight = line.weight();
            if (weight != 0 && priority == 255) {
                diagnostics.warn(line.where(), "track_interface", owner + " has priority 255 (address owner):"
                        + " keepalived ignores the weighted track_interface " + name + ", and so does vrrp4j");
                continue;
            }
            if (weight != 0 && instance.group != null && !instance.group.trackingWeight) {
                diagnostics.warn(line.where(), "track_interface", owner + " is in vrrp_sync_group " + instance.group.name
                        + ": keepalived ignores the weight of track_interface " + name + " and puts the instance in"
                        + " FAULT while it is down, and so does vrrp4j (sync_group_tracking_weight in the group keeps"
                        + " the weight)");
                weight = 0;
            }
            if (weight == 0) {
                unweighted.add(name);
            } else {
                weighted.add(new TrackInterfaceRef(name, weight));
            }
        }
    }

    /**
     * Resolves {@code track_script} names and drops the weighted ones keepalived ignores: on an
     * address owner (priority 255) and on members of a sync group without
     * {@code sync_group_tracking_weight} ("ignoring tracked script ... with weights").
     */
    private List<TrackScriptRef> trackScriptRefs(VrrpInstanceBlock instance, int priority) {
        List<TrackScriptRef> refs = new ArrayList<>();
        for (TrackScriptBlock.Line ref : instance.trackedScripts.lines()) {
            VrrpScriptBlock script = scripts.get(ref.name());
            if (script == null) {
                String near = Spelling.closest(ref.name(), scripts.keySet());
                diagnostics.error(ref.where(), "track_script " + ref.name() + ": no vrrp_script named " + ref.name()
                        + (near != null ? " (did you mean " + near + "?)" : ""));
                continue;
            }
            int weight = ref.weight() != null ? ref.weight() : script.weight();
            if (weight != 0 && priority == 255) {
                diagnostics.warn(ref.where(), "track_script", instance.owner + " has priority 255 (address owner): keepalived"
                        + " ignores the weighted track_script " + ref.name() + ", and so does vrrp4j");
                continue;
            }
            if (weight != 0 && instance.group != null && !instance.group.trackingWeight) {
                diagnostics.warn(ref.where(), "track_script", instance.owner + " is in vrrp_sync_group " + instance.group.name
                        + ": keepalived ignores the weighted track_script " + ref.name() + ", and so does vrrp4j"
                        + " (sync_group_tracking_weight in the group keeps it)");
                continue;
            }
            trackedScripts.add(ref.name());
            refs.add(new TrackScriptRef(ref.name(), ref.weight()));
        }
        return refs;
    }
}
