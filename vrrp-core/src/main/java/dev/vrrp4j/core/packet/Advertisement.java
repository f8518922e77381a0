package dev.vrrp4j.core.packet;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A VRRPv3 ADVERTISEMENT (RFC 9568 §5.2) or a VRRPv2 one (RFC 3768 §5.3, IPv4 only) together with
 * the IP-level facts a receiver needs (source, destination, TTL / hop limit).
 *
 * <p>The two versions share the fields a router decides on. They differ in the interval (v3: 12
 * bits of centiseconds; v2: 8 bits of whole seconds, reported here in centiseconds too) and in the
 * v2-only Auth Type and 8 bytes of Authentication Data (RFC 3768 §5.3.6, §5.3.10; the simple text
 * password of RFC 2338 §5.3.6 that keepalived still sends).
 *
 * <p>This is a <em>mutable, reusable holder</em>, not a value: the receive path decodes every
 * packet into the same instance so that a Backup router's hot path allocates nothing. A holder
 * belongs to one thread (the node's event loop); copy what must outlive the next decode. Address
 * accessors that return {@link InetAddress} allocate and are meant for logs and status, not for the
 * hot path, which uses the {@code compare…}/{@code copy…} methods on raw bytes.
 *
 * <p>After a decode that threw, the holder's contents are undefined until the next successful
 * decode or {@link #set}.
 */
public final class Advertisement {
    /** The most addresses one advertisement can carry (Count IPvX Addr is one octet). */
    public static final int MAX_ADDRESSES = 255;
    /** The only type RFC 9568 §5.2.2 defines. */
    public static final int TYPE_ADVERTISEMENT = 1;
    /** VRRPv3 (RFC 9568 §5.2.1). */
    public static final int VERSION_3 = 3;
    /** VRRPv2 (RFC 3768 §5.3.1), IPv4 only. */
    public static final int VERSION_2 = 2;
    /** VRRPv2 Auth Type 0: no authentication (RFC 3768 §5.3.6). */
    public static final int AUTH_NONE = 0;
    /** VRRPv2 Auth Type 1: simple text password (RFC 2338 §5.3.6.1), keepalived's {@code auth_type PASS}. */
    public static final int AUTH_PASSWORD = 1;
    /** Length of the VRRPv2 Authentication Data field (RFC 3768 §5.3.10). */
    public static final int AUTH_DATA_LENGTH = 8;

    private int version = VERSION_3;
    private int authType;
    private final byte[] authData = new byte[AUTH_DATA_LENGTH];

    private AddressFamily family = AddressFamily.IPV4;
    private int vrid;
    private int priority;
    private int maxAdvertIntervalCentis;
    private int checksum;
    private ChecksumForm checksumForm = ChecksumForm.PSEUDO_HEADER;
    private int addressCount;
    private final byte[] addresses = new byte[MAX_ADDRESSES * 16];
    private final byte[] source = new byte[16];
    private final byte[] destination = new byte[16];
    private int ttl = 255;
    private boolean firstAddressLinkLocal;
    private int messageOffset;
    private int messageLength;
    private int trailingBytes;

    public AddressFamily family() {
        return family;
    }

    /** 3 (RFC 9568) or 2 (RFC 3768). */
    public int version() {
        return version;
    }

    /** VRRPv2 Auth Type (RFC 3768 §5.3.6); 0 for VRRPv3, which has none. */
    public int authType() {
        return authType;
    }

    /**
     * Whether the VRRPv2 Authentication Data equals {@code expected} (exactly
     * {@link #AUTH_DATA_LENGTH} bytes), compared without allocating.
     */
    public boolean authDataEquals(byte[] expected) {
        return Arrays.equals(authData, expected);
    }

    /** Virtual Router Identifier, 1..255 (RFC 9568 §5.2.3). */
    public int vrid() {
        return vrid;
    }

    /** Sender's priority: 0 = leaving, 255 = address owner (RFC 9568 §5.2.4). */
    public int priority() {
        return priority;
    }

    /**
     * Max Advertise Interval in centiseconds, 12 bits (RFC 9568 §5.2.7); for VRRPv2 the Adver Int
     * of RFC 3768 §5.3.7 (whole seconds) times 100.
     */
    public int maxAdvertIntervalCentis() {
        return maxAdvertIntervalCentis;
    }

    /** The checksum field as received, or as written by the last encode. */
    public int checksum() {
        return checksum;
    }

    /** Which checksum form verified on receive (always {@link ChecksumForm#PSEUDO_HEADER} for IPv6). */
    public ChecksumForm checksumForm() {
        return checksumForm;
    }

    public int addressCount() {
        return addressCount;
    }

    /** IPv6 only: whether the first address was link-local, as RFC 9568 §5.2.9 requires (set by decode). */
    public boolean firstAddressLinkLocal() {
        return firstAddressLinkLocal;
    }

    /** TTL (IPv4) or hop limit (IPv6) the packet arrived with. */
    public int ttl() {
        return ttl;
    }

    /** Sets the VRRPv3 header fields for sending; validates the ranges the wire format can carry. */
    public Advertisement set(AddressFamily family, int vrid, int priority, int maxAdvertIntervalCentis) {
        Objects.requireNonNull(family, "family");
        checkRange("vrid", vrid, 1, 255);
        checkRange("priority", priority, 0, 255);
        checkRange("maxAdvertIntervalCentis", maxAdvertIntervalCentis, 1, 4095);
        // Assign only once all are valid, so a rejected call changes nothing.
        this.version = VERSION_3;
        this.family = family;
        this.vrid = vrid;
        this.priority = priority;
        this.maxAdvertIntervalCentis = maxAdvertIntervalCentis;
        this.authType = AUTH_NONE;
        Arrays.fill(authData, (byte) 0);
        return this;
    }

    /**
     * Sets the VRRPv2 header fields for sending (RFC 3768 §5.3, IPv4 only).
     *
     * @param advertIntervalSeconds Adver Int, 1..255 whole seconds (RFC 3768 §5.3.7)
     * @param authType              {@link #AUTH_NONE} or {@link #AUTH_PASSWORD}
     * @param authData              the Authentication Data: for {@link #AUTH_PASSWORD} the password,
     *                              1..8 bytes, zero-padded on the wire; ignored (sent as zeros) for
     *                              {@link #AUTH_NONE}
     */
    public Advertisement setVersion2(int vrid, int priority, int advertIntervalSeconds, int authType, byte[] authData) {
        checkRange("vrid", vrid, 1, 255);
        checkRange("priority", priority, 0, 255);
        checkRange("advertIntervalSeconds", advertIntervalSeconds, 1, 255);
        checkRange("authType", authType, AUTH_NONE, AUTH_PASSWORD);
        if (authType == AUTH_PASSWORD) {
            checkRange("password length in bytes", Objects.requireNonNull(authData, "authData").length, 1,
                    AUTH_DATA_LENGTH);
        }
        this.version = VERSION_2;
        this.family = AddressFamily.IPV4;
        this.vrid = vrid;
        this.priority = priority;
        this.maxAdvertIntervalCentis = advertIntervalSeconds * 100;
        this.authType = authType;
        Arrays.fill(this.authData, (byte) 0);
        if (authType == AUTH_PASSWORD) {
            System.arraycopy(authData, 0, this.authData, 0, authData.length);
        }
        return this;
    }

    /** Sets the priority alone, as the Active router's send path does for each advertisement. */
    public Advertisement priority(int priority) {
        this.priority = checkRange("priority", priority, 0, 255);
        return this;
    }

    /**
     * Sets the addresses to announce; all must be of this holder's family. 1..255 of them for
     * VRRPv3 (RFC 9568 §5.2.5); VRRPv2 sets no minimum (RFC 3768 §5.3.6), so 0..255 after
     * {@link #setVersion2}.
     */
    public Advertisement addresses(List<InetAddress> list) {
        checkRange("address count", list.size(), version == VERSION_2 ? 0 : 1, MAX_ADDRESSES);
        int length = family.addressLength();
        for (InetAddress address : list) { // check all before copying any, so a rejected list changes nothing
            if (address.getAddress().length != length) {
                throw new IllegalArgumentException("address " + address.getHostAddress() + " is not " + family);
            }
        }
        for (int i = 0; i < list.size(); i++) {
            System.arraycopy(list.get(i).getAddress(), 0, addresses, i * length, length);
        }
        addressCount = list.size();
        return this;
    }

    /** Sets the IP source and destination the checksum's pseudo-header covers. */
    public Advertisement route(byte[] source, byte[] destination) {
        int length = family.addressLength();
        if (source.length != length || destination.length != length) {
            throw new IllegalArgumentException("source/destination must be " + length + " bytes for " + family);
        }
        System.arraycopy(source, 0, this.source, 0, length);
        System.arraycopy(destination, 0, this.destination, 0, length);
        return this;
    }

    /** The i-th announced address; allocates. */
    public InetAddress address(int index) {
        Objects.checkIndex(index, addressCount);
        int length = family.addressLength();
        return AddressFamily.address(Arrays.copyOfRange(addresses, index * length, (index + 1) * length));
    }

    /** All announced addresses; allocates. */
    public List<InetAddress> addressList() {
        List<InetAddress> list = new ArrayList<>(addressCount);
        for (int i = 0; i < addressCount; i++) {
            list.add(address(i));
        }
        return list;
    }

    /** The IP source address; allocates. */
    public InetAddress sourceAddress() {
        return AddressFamily.address(Arrays.copyOf(source, family.addressLength()));
    }

    /** The IP destination address; allocates. */
    public InetAddress destinationAddress() {
        return AddressFamily.address(Arrays.copyOf(destination, family.addressLength()));
    }

    /** Copies the source address into {@code target} (at least {@code family().addressLength()} bytes). */
    public void copySource(byte[] target) {
        System.arraycopy(source, 0, target, 0, family.addressLength());
    }

    /**
     * Compares the source address with {@code other} as an unsigned number in network byte order,
     * the comparison RFC 9568 §6.4.3 uses to break priority ties.
     */
    public int compareSourceTo(byte[] other) {
        return Arrays.compareUnsigned(source, 0, family.addressLength(), other, 0, family.addressLength());
    }

    /**
     * Whether the {@code index}-th announced address is one of the {@code count} addresses packed in
     * {@code sortedAddresses} (sorted as unsigned numbers), found by binary search without allocating.
     */
    public boolean addressIn(int index, byte[] sortedAddresses, int count) {
        int length = family.addressLength();
        int from = index * length;
        int low = 0;
        int high = count - 1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            int cmp = Arrays.compareUnsigned(sortedAddresses, mid * length, (mid + 1) * length,
                    addresses, from, from + length);
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

    /** Where the decoded VRRP message starts in the buffer it was decoded from (absolute index). */
    public int messageOffset() {
        return messageOffset;
    }

    /** The decoded VRRP message's length: header, addresses and, for VRRPv2, the Authentication Data. */
    public int messageLength() {
        return messageLength;
    }

    /**
     * How many bytes followed the message within the IP payload: 0, or {@link HmacAuthenticator#TRAILER_LENGTH}
     * for an auth_hmac trailer (keepalived tells the trailer by exactly this length), or padding.
     */
    public int trailingBytes() {
        return trailingBytes;
    }

    // --- package-private access for the codec ---

    void framed(int messageOffset, int messageLength, int trailingBytes) {
        this.messageOffset = messageOffset;
        this.messageLength = messageLength;
        this.trailingBytes = trailingBytes;
    }

    byte[] addressBytes() {
        return addresses;
    }

    byte[] sourceBytes() {
        return source;
    }

    byte[] destinationBytes() {
        return destination;
    }

    byte[] authDataBytes() {
        return authData;
    }

    void decodedVersion2(int authType) {
        this.version = VERSION_2;
        this.authType = authType;
    }

    void decoded(AddressFamily family, int vrid, int priority, int count, int intervalCentis, int checksum, int ttl,
                 boolean firstAddressLinkLocal) {
        this.firstAddressLinkLocal = firstAddressLinkLocal;
        this.version = VERSION_3;
        this.authType = AUTH_NONE;
        Arrays.fill(authData, (byte) 0);
        this.family = family;
        this.vrid = vrid;
        this.priority = priority;
        this.addressCount = count;
        this.maxAdvertIntervalCentis = intervalCentis;
        this.checksum = checksum;
        this.ttl = ttl;
    }

    void checksum(int checksum, ChecksumForm form) {
        this.checksum = checksum;
        this.checksumForm = form;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("VRRPv").append(version).append(' ').append(family)
                .append(" vrid=").append(vrid)
                .append(" prio=").append(priority)
                .append(" intvl=").append(maxAdvertIntervalCentis).append("cs")
                .append(version == VERSION_2 ? " auth=" + authType : "")
                .append(" src=").append(sourceAddress().getHostAddress())
                .append(" addrs=[");
        for (int i = 0; i < addressCount; i++) {
            sb.append(i == 0 ? "" : ",").append(address(i).getHostAddress());
        }
        return sb.append(']').toString();
    }

    private static int checkRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " " + value + " out of range " + min + ".." + max);
        }
        return value;
    }
}
