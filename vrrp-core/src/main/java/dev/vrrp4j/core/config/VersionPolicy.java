package dev.vrrp4j.core.config;

import java.util.Set;

/**
 * The one place where the VRRP version of an instance is accepted or refused. vrrp4j runs VRRPv3
 * (RFC 9568) and, for IPv4, VRRPv2 (RFC 3768), keepalived's default, so an unmodified keepalived
 * configuration runs with the version its keepalived peers speak. Where the version came from is
 * kept for the messages of the version-dependent checks.
 */
final class VersionPolicy {
    /** The VRRP versions vrrp4j can run. */
    static final Set<Integer> SUPPORTED_VERSIONS = Set.of(2, 3);

    /** Where an instance's version came from, for the message. */
    sealed interface Origin {
        /** keepalived's default (2 for IPv4). */
        record Default() implements Origin {}

        /** 3 because the addresses are IPv6. */
        record Ipv6() implements Origin {}

        /** {@code vrrp_version} in {@code global_defs}. */
        record Global(SourceLocation where) implements Origin {}

        /** {@code version} in the instance. */
        record Instance(SourceLocation where) implements Origin {}
    }

    private VersionPolicy() {
    }

    /** Reports an error at the instance's line unless {@code version} is supported. */
    static void check(String instance, int version, Origin origin, SourceLocation where, Diagnostics diagnostics) {
        if (SUPPORTED_VERSIONS.contains(version)) {
            return;
        }
        String from = switch (origin) {
            case Origin.Default _ -> "keepalived's default";
            case Origin.Global g -> "vrrp_version in global_defs at " + g.where();
            case Origin.Instance i -> "version at " + i.where();
            case Origin.Ipv6 _ -> "its addresses are IPv6";
        };
        diagnostics.error(where, "vrrp_instance " + instance + " is VRRPv" + version + " (" + from + "); vrrp4j runs"
                + " version 2 (IPv4) or 3");
    }
}
