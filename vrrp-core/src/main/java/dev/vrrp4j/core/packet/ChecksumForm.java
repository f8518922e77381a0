package dev.vrrp4j.core.packet;

/**
 * How the VRRPv3 checksum of an IPv4 advertisement was (or is to be) computed.
 *
 * <p>RFC 9568 §5.2.8 defines the checksum over the VRRP message and an IP pseudo-header, but
 * deployed IPv4 implementations disagree on the pseudo-header: keepalived 2.x and FRR include it
 * by default, while keepalived's {@code v3_checksum_as_v2} (and some older routers) compute it over
 * the message alone, as VRRPv2 did. A receiver accepts either and reports which one matched so
 * that an operator can see a peer's form. IPv6 advertisements always use the pseudo-header
 * (RFC 8200 §8.1).
 */
public enum ChecksumForm {
    /** Over the pseudo-header (source, destination, protocol 112, length) and the VRRP message. */
    PSEUDO_HEADER,
    /** Over the VRRP message alone, as VRRPv2 computes it (keepalived {@code v3_checksum_as_v2}). */
    MESSAGE_ONLY
}
