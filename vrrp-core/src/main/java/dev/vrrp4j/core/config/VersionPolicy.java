package dev.vrrp4j.core.config;

import java.util.Set;

/**
 * The one place where the VRRP version of an instance is accepted or refused. vrrp4j implements
 * VRRPv3 (RFC 9568) only, while keepalived defaults to VRRPv2 (RFC 3768) for IPv4: running such an
 * instance as v3 would not interoperate with its keepalived peers, so it is refused with the fix.
 * Supporting VRRPv2 means adding 2 to {@link #SUPPORTED_VERSIONS}.
 */
final class VersionPolicy {
    /** The VRRP versions vrrp4j can run. */
    static final Set<Integer> SUPPORTED_VERSIONS = Set.of(3);

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
    static void requireVersion3(String instance, int version, Origin origin, SourceLocation where, Diagnostics diagnostics) {
        if (SUPPORTED_VERSIONS.contains(version)) {
            return;
        }
        String subject = "vrrp_instance " + instance + " is VRRPv" + version;
        String only = "vrrp4j speaks VRRPv3 only for now: ";
        String message = switch (origin) {
            case Origin.Default _ -> subject + " (keepalived's default); " + only
                    + "add `version 3` to the instance (and to the peers' configuration), or `vrrp_version 3` in global_defs";
            case Origin.Global g -> subject + " (vrrp_version " + version + " in global_defs at " + g.where() + "); "
                    + only + "change it to `vrrp_version 3` (and in the peers' configuration), or add `version 3` to the instance";
            case Origin.Instance i -> subject + " (`version " + version + "` at " + i.where() + "); " + only
                    + "change it to `version 3` (and in the peers' configuration)";
            case Origin.Ipv6 _ -> subject + "; " + only + "use `version 3`";
        };
        diagnostics.error(where, message);
    }
}
