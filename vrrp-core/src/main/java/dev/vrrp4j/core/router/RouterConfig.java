package dev.vrrp4j.core.router;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.ChecksumForm;
import dev.vrrp4j.core.packet.HmacSettings;

import java.util.List;
import java.util.Objects;

/**
 * The configuration of one virtual router: the parameters of RFC 9568 §6.1 (or, for a VRRPv2
 * router, RFC 3768 §6.1) plus the keepalived extensions vrrp4j users rely on. Validated on construction; every error names the field, the
 * value and the allowed range.
 *
 * @param name                 a label for logs and status, like keepalived's instance name ({@code VI_1})
 * @param family               IPv4 or IPv6; the family of every virtual address
 * @param vrid                 Virtual Router Identifier, 1..255 (RFC 9568 §5.2.3)
 * @param priority             1..255; 255 means this router owns the addresses (RFC 9568 §5.2.4)
 * @param advertIntervalCentis Advertisement_Interval, 1..4095 centiseconds (RFC 9568 §6.1); for
 *                             VRRPv2 whole seconds 1..255 (RFC 3768 §5.3.7), so 100..25500 in steps of 100
 * @param preempt              Preempt_Mode: take over from a lower-priority Active (RFC 9568 §6.1)
 * @param preemptDelayMillis   keepalived {@code preempt_delay}: how long a higher-priority Backup
 *                             tolerates a lower-priority Active after startup or after first seeing
 *                             it, 0..1,000,000 ms
 * @param acceptMode           Accept_Mode: whether a non-owner Active accepts packets addressed to
 *                             the virtual addresses (RFC 9568 §6.1); enforced by the transport
 * @param virtualAddresses     1..255 addresses, all of {@code family}; for IPv6 the first should be
 *                             link-local (RFC 9568 §5.2.9); VRRPv2 may have none (0..255)
 * @param ipv4ChecksumForm     how IPv4 VRRPv3 advertisements are checksummed on send (see
 *                             {@link ChecksumForm}); VRRPv2 always checksums the message alone
 * @param version              3 (RFC 9568, the default) or 2 (RFC 3768, IPv4 only, keepalived's
 *                             default), so that one node of a keepalived VRRPv2 pair can be replaced
 * @param authPassword         VRRPv2 only: the simple text password (Auth Type 1 of RFC 2338 §5.3.6,
 *                             keepalived {@code auth_type PASS}), 1..8 bytes in UTF-8; empty for none
 * @param authHmac             keepalived 2.4's {@code auth_hmac}: the HMAC-SHA256 trailer of
 *                             draft-cassen-vrrp-auth-hmac, for VRRPv2 and v3 alike; null for none.
 *                             Exclusive with {@code authPassword} (keepalived drops the password)
 */
public record RouterConfig(
        String name,
        AddressFamily family,
        int vrid,
        int priority,
        int advertIntervalCentis,
        boolean preempt,
        long preemptDelayMillis,
        boolean acceptMode,
        List<VirtualAddress> virtualAddresses,
        ChecksumForm ipv4ChecksumForm,
        int version,
        String authPassword,
        HmacSettings authHmac) {

    /** The priority of the router that owns the virtual addresses (RFC 9568 §5.2.4). */
    public static final int OWNER_PRIORITY = 255;
    /** VRRPv3, RFC 9568. */
    public static final int VERSION_3 = 3;
    /** VRRPv2, RFC 3768. */
    public static final int VERSION_2 = 2;
    /** The longest VRRPv2 password: the 8 bytes of Authentication Data (RFC 2338 §5.3.10). */
    public static final int MAX_PASSWORD_BYTES = 8;
    /** Largest preempt delay accepted (keepalived allows up to 1000 s). */
    public static final long MAX_PREEMPT_DELAY_MILLIS = 1_000_000;

    public RouterConfig {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(family, "family");
        Objects.requireNonNull(ipv4ChecksumForm, "ipv4ChecksumForm");
        Objects.requireNonNull(authPassword, "authPassword");
        if (name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        checkRange("vrid", vrid, 1, 255);
        checkRange("priority", priority, 1, 255);
        checkRange("version", version, VERSION_2, VERSION_3);
        if (version == VERSION_3) {
            checkRange("advertIntervalCentis", advertIntervalCentis, 1, 4095);
            if (!authPassword.isEmpty()) {
                throw new IllegalArgumentException("authPassword is set but " + name + " is VRRPv3, which has no"
                        + " authentication (RFC 9568 §9); it is for version 2 only");
            }
        } else {
            if (family != AddressFamily.IPV4) {
                throw new IllegalArgumentException("version 2 with family " + family + ": VRRPv2 (RFC 3768) is IPv4"
                        + " only; use version 3");
            }
            if (advertIntervalCentis % 100 != 0 || advertIntervalCentis < 100 || advertIntervalCentis > 25500) {
                throw new IllegalArgumentException("advertIntervalCentis " + advertIntervalCentis + " is not a whole"
                        + " number of seconds 1..255 (100..25500 centiseconds), as VRRPv2 requires (RFC 3768 §5.3.7)");
            }
            checkRange("authPassword length in UTF-8 bytes", passwordBytes(authPassword).length, 0, MAX_PASSWORD_BYTES);
        }
        if (authHmac != null && !authPassword.isEmpty()) {
            throw new IllegalArgumentException("authHmac and authPassword are both set for " + name + "; auth_hmac"
                    + " supersedes the VRRPv2 password (keepalived drops it), set one of them");
        }
        checkRange("preemptDelayMillis", preemptDelayMillis, 0, MAX_PREEMPT_DELAY_MILLIS);
        virtualAddresses = List.copyOf(Objects.requireNonNull(virtualAddresses, "virtualAddresses"));
        if (version == VERSION_3 && virtualAddresses.isEmpty()) {
            throw new IllegalArgumentException("virtualAddresses of " + name + " is empty: VRRPv3 needs at least one"
                    + " address (RFC 9568 §5.2.5, Count IPvX Addr 1..255)");
        }
        // RFC 3768 §5.3.6 sets no minimum: a VRRPv2 router may have none (keepalived's floating-IP pattern)
        checkRange("virtualAddresses size", virtualAddresses.size(), version == VERSION_3 ? 1 : 0, 255);
        for (VirtualAddress address : virtualAddresses) {
            if (address.family() != family) {
                throw new IllegalArgumentException("virtualAddresses: " + address + " is not " + family
                        + " like the router " + name);
            }
        }
        if (virtualAddresses.stream().map(VirtualAddress::address).distinct().count() != virtualAddresses.size()) {
            throw new IllegalArgumentException("virtualAddresses of " + name + " contain a duplicate: " + virtualAddresses);
        }
    }

    /** Without auth_hmac, as before it existed. */
    public RouterConfig(String name, AddressFamily family, int vrid, int priority, int advertIntervalCentis,
                        boolean preempt, long preemptDelayMillis, boolean acceptMode,
                        List<VirtualAddress> virtualAddresses, ChecksumForm ipv4ChecksumForm, int version,
                        String authPassword) {
        this(name, family, vrid, priority, advertIntervalCentis, preempt, preemptDelayMillis, acceptMode,
                virtualAddresses, ipv4ChecksumForm, version, authPassword, null);
    }

    /** Whether advertisements carry, and receivers check, the auth_hmac trailer. */
    public boolean hasAuthHmac() {
        return authHmac != null;
    }

    /** The same router with other auth_hmac settings (null for none). */
    public RouterConfig withAuthHmac(HmacSettings settings) {
        return new RouterConfig(name, family, vrid, priority, advertIntervalCentis, preempt, preemptDelayMillis,
                acceptMode, virtualAddresses, ipv4ChecksumForm, version, authPassword, settings);
    }

    /** The same router with other virtual addresses (e.g. the same ones with other {@link AddressOptions}). */
    public RouterConfig withVirtualAddresses(List<VirtualAddress> addresses) {
        return new RouterConfig(name, family, vrid, priority, advertIntervalCentis, preempt, preemptDelayMillis,
                acceptMode, addresses, ipv4ChecksumForm, version, authPassword, authHmac);
    }

    /** As the record's own, with the password masked: configurations end up in logs and status pages. */
    @Override
    public String toString() {
        return "RouterConfig[name=" + name + ", family=" + family + ", vrid=" + vrid + ", priority=" + priority
                + ", advertIntervalCentis=" + advertIntervalCentis + ", preempt=" + preempt
                + ", preemptDelayMillis=" + preemptDelayMillis + ", acceptMode=" + acceptMode
                + ", virtualAddresses=" + virtualAddresses + ", ipv4ChecksumForm=" + ipv4ChecksumForm
                + ", version=" + version + ", authPassword=" + (authPassword.isEmpty() ? "" : "********")
                + ", authHmac=" + authHmac + "]";
    }

    /** Whether a VRRPv2 password is set (Auth Type 1). */
    public boolean hasPassword() {
        return !authPassword.isEmpty();
    }

    /**
     * The VRRPv2 Authentication Data as sent: the password's UTF-8 bytes padded with zeros to 8,
     * as keepalived pads it; all zeros without a password. A fresh array.
     */
    public byte[] authData() {
        return java.util.Arrays.copyOf(passwordBytes(authPassword), MAX_PASSWORD_BYTES);
    }

    /** The Advertisement_Interval in whole seconds, VRRPv2's unit (RFC 3768 §5.3.7). */
    public int advertIntervalSeconds() {
        return advertIntervalCentis / 100;
    }

    private static byte[] passwordBytes(String password) {
        return password.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** Whether this router owns the addresses (priority 255). */
    public boolean isOwner() {
        return priority == OWNER_PRIORITY;
    }

    /** A builder with keepalived's defaults: priority 100, 1 s interval, preempt on, no delay. */
    public static Builder builder(String name, AddressFamily family, int vrid) {
        return new Builder(name, family, vrid);
    }

    /** Builds a {@link RouterConfig}; validation happens in {@link #build()}. */
    public static final class Builder {
        private final String name;
        private final AddressFamily family;
        private final int vrid;
        private int priority = 100;
        private int advertIntervalCentis = 100;
        private boolean preempt = true;
        private long preemptDelayMillis;
        private boolean acceptMode;
        private List<VirtualAddress> virtualAddresses = List.of();
        private ChecksumForm ipv4ChecksumForm = ChecksumForm.PSEUDO_HEADER;
        private int version = VERSION_3;
        private String authPassword = "";
        private HmacSettings authHmac;

        private Builder(String name, AddressFamily family, int vrid) {
            this.name = name;
            this.family = family;
            this.vrid = vrid;
        }

        public Builder priority(int priority) {
            this.priority = priority;
            return this;
        }

        public Builder advertIntervalCentis(int advertIntervalCentis) {
            this.advertIntervalCentis = advertIntervalCentis;
            return this;
        }

        public Builder preempt(boolean preempt) {
            this.preempt = preempt;
            return this;
        }

        public Builder preemptDelayMillis(long preemptDelayMillis) {
            this.preemptDelayMillis = preemptDelayMillis;
            return this;
        }

        public Builder acceptMode(boolean acceptMode) {
            this.acceptMode = acceptMode;
            return this;
        }

        public Builder virtualAddresses(List<VirtualAddress> virtualAddresses) {
            this.virtualAddresses = virtualAddresses;
            return this;
        }

        /** Parses each of {@code addresses} with {@link VirtualAddress#parse}. */
        public Builder virtualAddresses(String... addresses) {
            this.virtualAddresses = java.util.Arrays.stream(addresses).map(VirtualAddress::parse).toList();
            return this;
        }

        public Builder ipv4ChecksumForm(ChecksumForm ipv4ChecksumForm) {
            this.ipv4ChecksumForm = ipv4ChecksumForm;
            return this;
        }

        /** 3 (the default) or 2; a VRRPv2 router is IPv4 and advertises in whole seconds. */
        public Builder version(int version) {
            this.version = version;
            return this;
        }

        /** VRRPv2 simple text password, 1..8 bytes; empty (the default) for none. */
        public Builder authPassword(String authPassword) {
            this.authPassword = authPassword;
            return this;
        }

        /** keepalived's {@code auth_hmac}; null (the default) for none. */
        public Builder authHmac(HmacSettings authHmac) {
            this.authHmac = authHmac;
            return this;
        }

        public RouterConfig build() {
            return new RouterConfig(name, family, vrid, priority, advertIntervalCentis, preempt, preemptDelayMillis,
                    acceptMode, virtualAddresses, ipv4ChecksumForm, version, authPassword, authHmac);
        }
    }

    static void checkRange(String field, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " " + value + " out of range " + min + ".." + max);
        }
    }
}
