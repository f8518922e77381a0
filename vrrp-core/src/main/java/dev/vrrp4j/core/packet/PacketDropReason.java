package dev.vrrp4j.core.packet;

/**
 * Why a received VRRP packet was discarded. Each constant doubles as a counter key, so drops can
 * be counted per reason without allocation.
 *
 * <p>The first group is decided by the codec from the packet itself (RFC 9568 §7.1, "MUST
 * verify..."); the second by the virtual router from its configuration (the VRID, owner and
 * family checks of RFC 9568 §7.1, and the version, interval and authentication checks of RFC 3768
 * §7.1); the third by the transport (unicast peer allow-list, and the ARP frames it watches for
 * address conflicts); the fourth by the auth_hmac trailer verifier ({@link HmacAuthenticator}),
 * which runs after the codec and before the router, as keepalived 2.4 authenticates before any
 * field reaches its state machine.
 */
public enum PacketDropReason {
    // --- the packet itself (codec) ---
    /** Shorter than a VRRP header, or than the IP header it claims. */
    TRUNCATED,
    /** The IPv4 header is not a plain IPv4 header carrying protocol 112. */
    BAD_IP_HEADER,
    /** TTL / hop limit is not 255 (RFC 9568 §7.1): the packet may come from outside the LAN. */
    BAD_TTL,
    /** Version field is neither 3 nor (IPv4 only, RFC 3768) 2. */
    BAD_VERSION,
    /** Type field is not 1 (ADVERTISEMENT), the only type RFC 9568 §5.2.2 defines. */
    UNKNOWN_TYPE,
    /** Count IPvX Addr is 0; RFC 9568 §5.2.5 requires at least one address. */
    NO_ADDRESSES,
    /** The packet is too short for the number of addresses it announces. */
    ADDRESS_COUNT_MISMATCH,
    /** Neither checksum form matches (RFC 9568 §5.2.8). */
    BAD_CHECKSUM,
    /** Max Advertise Interval is 0, which would make every timer expire at once. */
    INTERVAL_ZERO,
    /** IPv6 advertisement whose first address is not link-local (RFC 9568 §5.2.9). */
    IPV6_FIRST_ADDRESS_NOT_LINK_LOCAL,

    // --- the receiving router's configuration (state machine) ---
    /** The VRID is not the router's (RFC 9568 §7.1: "MUST discard"). */
    VRID_MISMATCH,
    /** The packet's family is not the router's. */
    FAMILY_MISMATCH,
    /** The router is the address owner (priority 255) and so ignores every advertisement (RFC 9568 §7.1). */
    LOCAL_OWNER,
    /** The router is not running (Initialize or Fault) and has no use for advertisements. */
    NOT_RUNNING,
    /** A VRRPv2 advertisement for a VRRPv3 router, or the other way round: the peers' versions differ. */
    VERSION_MISMATCH,
    /**
     * VRRPv2: the Adver Int is not the router's (RFC 3768 §7.1: "MUST discard"; v2 learns no interval),
     * keepalived's {@code advert_interval_err}.
     */
    INTERVAL_MISMATCH,
    /** VRRPv2: the Auth Type is not the router's (RFC 2338 §7.1), keepalived's {@code authtype_mismatch}. */
    AUTH_TYPE_MISMATCH,
    /** VRRPv2 simple password: the Authentication Data differs (RFC 2338 §7.1), keepalived's {@code auth_failure}. */
    AUTH_FAILURE,

    // --- the transport ---
    /** Unicast mode: the source is not a configured peer. */
    UNKNOWN_PEER,
    /**
     * Not VRRP: an ARP frame on the interface's ARP watch (address-conflict detection) that is not a
     * well-formed Ethernet/IPv4 request or reply.
     */
    MALFORMED_ARP,

    // --- keepalived's auth_hmac trailer, after the codec, before the router ---
    /**
     * auth_hmac mode {@code enforce}: the advertisement carries no trailer (its length is not the
     * message's plus 28 bytes), keepalived's {@code auth_ext_missing}. The migration modes accept it.
     */
    HMAC_MISSING,
    /** The trailer's scheme is not 1 (HMAC-SHA256-128) or its reserved field is not zero, keepalived's {@code auth_ext_malformed}. */
    HMAC_MALFORMED,
    /** The trailer names a key id that is not configured, keepalived's {@code auth_ext_unknown_key}. */
    HMAC_UNKNOWN_KEY,
    /**
     * The HMAC does not match: a different key, a forgery, or a field changed in flight (the
     * pseudo-header binds family, version, VRID and source), keepalived's {@code auth_ext_invalid_hmac}.
     */
    HMAC_INVALID,
    /** anti_replay {@code time}: the trailer's timestamp is more than time_window seconds from this node's clock, keepalived's {@code auth_ext_stale}. */
    HMAC_STALE,
    /** The sequence number does not exceed the last one accepted from this sender: a replay, keepalived's {@code auth_ext_replay}. */
    HMAC_REPLAYED
}
