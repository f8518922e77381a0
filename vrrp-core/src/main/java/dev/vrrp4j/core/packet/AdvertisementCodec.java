package dev.vrrp4j.core.packet;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.Inet6Address;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import static dev.vrrp4j.core.packet.PacketDropReason.*;

/**
 * Encodes and decodes VRRPv3 advertisements (RFC 9568 §5), IPv4 and IPv6, and VRRPv2
 * advertisements (RFC 3768 §5), IPv4 only.
 *
 * <p>Decoding answers one question: is this a well-formed VRRP advertisement? Both versions are
 * decoded, so that one socket can serve routers of either; which version a router accepts, and
 * whether a VRRPv2 password matches, is the router's decision. It checks
 * everything RFC 9568 §7.1 requires of the packet itself (TTL / hop limit 255, version, type,
 * length against the address count, checksum, a non-zero interval, the IPv6 link-local first
 * address) and throws {@link MalformedPacketException} with the reason and the actual vs expected
 * values otherwise. Whether the receiving router accepts the advertisement (VRID, owner, priority)
 * is the state machine's business. Decoding into a reused {@link Advertisement} allocates nothing.
 *
 * <p>Reads use absolute indices and leave the buffer's position alone; writes advance it.
 */
public final class AdvertisementCodec {
    /** Version, type, VRID, priority, count, interval, checksum: 8 bytes (RFC 9568 §5.1). */
    public static final int HEADER_LENGTH = 8;
    /** VRRPv2 Authentication Data after the addresses (RFC 3768 §5.3.10). */
    public static final int V2_AUTH_DATA_LENGTH = Advertisement.AUTH_DATA_LENGTH;
    /** The TTL / hop limit every advertisement is sent with and must arrive with (RFC 9568 §5.1.1.3, §7.1). */
    public static final int REQUIRED_TTL = 255;
    /** IP protocol number of VRRP. */
    public static final int PROTOCOL_NUMBER = Checksum.PROTOCOL_VRRP;

    private static final int IPV4_MIN_HEADER = 20;
    private static final VarHandle LONG_BIG_ENDIAN = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle INT_BIG_ENDIAN = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private AdvertisementCodec() {}

    /** The encoded length of a VRRPv3 advertisement carrying {@code count} addresses. */
    public static int encodedLength(AddressFamily family, int count) {
        return HEADER_LENGTH + count * family.addressLength();
    }

    /** The encoded length of an advertisement of {@code version} carrying {@code count} addresses. */
    public static int encodedLength(int version, AddressFamily family, int count) {
        return encodedLength(family, count) + (version == Advertisement.VERSION_2 ? V2_AUTH_DATA_LENGTH : 0);
    }

    /**
     * Decodes an IPv4 packet as a raw IPv4 socket delivers it: the IPv4 header, then the VRRP
     * message. Source, destination and TTL are taken from the header.
     */
    public static void decodeIpv4Packet(ByteBuffer packet, Advertisement into) throws MalformedPacketException {
        int start = packet.position();
        int available = packet.remaining();
        if (available < IPV4_MIN_HEADER) {
            throw new MalformedPacketException(TRUNCATED, "IPv4 packet of " + available + " bytes < " + IPV4_MIN_HEADER);
        }
        int versionIhl = packet.get(start) & 0xff;
        int ipVersion = versionIhl >>> 4;
        int headerLength = (versionIhl & 0x0f) * 4;
        if (ipVersion != 4 || headerLength < IPV4_MIN_HEADER) {
            throw new MalformedPacketException(BAD_IP_HEADER, "IP version " + ipVersion + " header length " + headerLength
                    + ", expected version 4 and header length >= 20");
        }
        int totalLength = packet.getShort(start + 2) & 0xffff;
        if (totalLength > available || totalLength < headerLength) {
            throw new MalformedPacketException(TRUNCATED, "IPv4 total length " + totalLength + ", header length "
                    + headerLength + ", " + available + " bytes received");
        }
        int fragment = packet.getShort(start + 6) & 0x3fff; // MF flag and offset; DF is fine
        if (fragment != 0) {
            throw new MalformedPacketException(BAD_IP_HEADER, "IPv4 fragment (flags/offset 0x"
                    + Integer.toHexString(fragment) + "), VRRP packets are never fragmented");
        }
        int protocol = packet.get(start + 9) & 0xff;
        if (protocol != PROTOCOL_NUMBER) {
            throw new MalformedPacketException(BAD_IP_HEADER, "IP protocol " + protocol + ", expected " + PROTOCOL_NUMBER);
        }
        int ttl = packet.get(start + 8) & 0xff;
        byte[] source = into.sourceBytes();
        byte[] destination = into.destinationBytes();
        copy(packet, start + 12, source, 4);
        copy(packet, start + 16, destination, 4);
        decode(packet, start + headerLength, totalLength - headerLength, AddressFamily.IPV4, ttl, false, into);
    }

    /**
     * Decodes a VRRP message (from its version byte to the end of the buffer) whose IP-level facts
     * arrived separately, as an IPv6 raw socket delivers them through ancillary data.
     *
     * @param source      the IP source address, 4 or 16 bytes as {@code family} requires
     * @param destination the IP destination address
     * @param ttl         the TTL or hop limit the packet arrived with
     */
    public static void decodeMessage(ByteBuffer message, AddressFamily family, byte[] source, byte[] destination,
                                     int ttl, Advertisement into) throws MalformedPacketException {
        decodeMessage(message, family, source, destination, ttl, true, into);
    }

    /**
     * As {@link #decodeMessage(ByteBuffer, AddressFamily, byte[], byte[], int, Advertisement)}, with
     * the RFC 9568 §5.2.9 rule "the first IPv6 address is link-local" optional: keepalived 2.2.7
     * warns about a configuration without a link-local virtual address but runs it, and then
     * advertises a global address first, so a node that must interoperate with such a peer passes
     * {@code requireLinkLocalFirst = false}. {@link Advertisement#firstAddressLinkLocal()} still tells.
     */
    public static void decodeMessage(ByteBuffer message, AddressFamily family, byte[] source, byte[] destination,
                                     int ttl, boolean requireLinkLocalFirst, Advertisement into)
            throws MalformedPacketException {
        int length = family.addressLength();
        if (source.length < length || destination.length < length) {
            throw new IllegalArgumentException("source/destination shorter than a " + family + " address");
        }
        System.arraycopy(source, 0, into.sourceBytes(), 0, length);
        System.arraycopy(destination, 0, into.destinationBytes(), 0, length);
        decode(message, message.position(), message.remaining(), family, ttl, requireLinkLocalFirst, into);
    }

    private static void decode(ByteBuffer buffer, int offset, int length, AddressFamily family, int ttl,
                               boolean requireLinkLocalFirst, Advertisement into) throws MalformedPacketException {
        if (ttl != REQUIRED_TTL) {
            throw new MalformedPacketException(BAD_TTL, (family == AddressFamily.IPV4 ? "TTL " : "hop limit ") + ttl
                    + ", expected " + REQUIRED_TTL);
        }
        if (length < HEADER_LENGTH) {
            throw new MalformedPacketException(TRUNCATED, "VRRP message of " + length + " bytes < " + HEADER_LENGTH);
        }
        int versionType = buffer.get(offset) & 0xff;
        int version = versionType >>> 4;
        if (version == Advertisement.VERSION_2 && family == AddressFamily.IPV4) {
            decodeVersion2(buffer, offset, length, ttl, into);
            return;
        }
        if (version != Advertisement.VERSION_3) {
            throw new MalformedPacketException(BAD_VERSION, "version " + version + ", expected 3"
                    + (family == AddressFamily.IPV4 ? " or 2" : " (VRRPv2 is IPv4 only)"));
        }
        int type = versionType & 0x0f;
        if (type != Advertisement.TYPE_ADVERTISEMENT) {
            throw new MalformedPacketException(UNKNOWN_TYPE, "type " + type + ", expected 1 (ADVERTISEMENT)");
        }
        int vrid = buffer.get(offset + 1) & 0xff;
        int priority = buffer.get(offset + 2) & 0xff;
        int count = buffer.get(offset + 3) & 0xff;
        int intervalCentis = buffer.getShort(offset + 4) & 0x0fff; // top 4 bits are reserved (RFC 9568 §5.2.6)
        int checksum = buffer.getShort(offset + 6) & 0xffff;
        if (count == 0) {
            throw new MalformedPacketException(NO_ADDRESSES, "address count 0, expected 1..255");
        }
        int messageLength = encodedLength(family, count);
        if (length < messageLength) {
            throw new MalformedPacketException(ADDRESS_COUNT_MISMATCH, "address count " + count + " needs "
                    + messageLength + " bytes, got " + length);
        }
        // Bytes beyond messageLength are link-layer padding or an auth_hmac trailer (which IPv6 checksums, below).
        byte[] source = into.sourceBytes();
        byte[] destination = into.destinationBytes();
        // One pass over the message serves both forms, which differ only by the pseudo-header's sum.
        long messageSum = Checksum.sum(buffer, offset, messageLength, 0);
        ChecksumForm form;
        if (Checksum.sumVerifies(Checksum.pseudoHeaderSum(family, source, destination, messageLength) + messageSum)) {
            form = ChecksumForm.PSEUDO_HEADER;
        } else if (family == AddressFamily.IPV6 && length == messageLength + HmacAuthenticator.TRAILER_LENGTH
                && Checksum.sumVerifies(Checksum.pseudoHeaderSum(family, source, destination, length)
                + Checksum.sum(buffer, offset + messageLength, HmacAuthenticator.TRAILER_LENGTH, messageSum))) {
            // An auth_hmac trailer: the kernel's IPv6 checksum (IPV6_CHECKSUM) covers the whole payload.
            form = ChecksumForm.PSEUDO_HEADER;
        } else if (family == AddressFamily.IPV4 && Checksum.sumVerifies(messageSum)) {
            form = ChecksumForm.MESSAGE_ONLY;
        } else {
            int expected = Checksum.compute(ChecksumForm.PSEUDO_HEADER, family, source, destination, buffer, offset, messageLength);
            throw new MalformedPacketException(BAD_CHECKSUM, "checksum 0x" + Integer.toHexString(checksum)
                    + ", expected 0x" + Integer.toHexString(expected) + " (pseudo-header form)"
                    + (family == AddressFamily.IPV4
                    ? " or 0x" + Integer.toHexString(Checksum.compute(ChecksumForm.MESSAGE_ONLY, family, source,
                    destination, buffer, offset, messageLength)) + " (message-only form)"
                    : ""));
        }
        if (intervalCentis == 0) {
            throw new MalformedPacketException(INTERVAL_ZERO, "max advertise interval 0, expected 1..4095 centiseconds");
        }
        int addressLength = family.addressLength();
        copy(buffer, offset + HEADER_LENGTH, into.addressBytes(), count * addressLength);
        boolean firstLinkLocal = family == AddressFamily.IPV6 && isLinkLocal(into.addressBytes());
        if (family == AddressFamily.IPV6 && requireLinkLocalFirst && !firstLinkLocal) {
            throw new MalformedPacketException(IPV6_FIRST_ADDRESS_NOT_LINK_LOCAL,
                    "first IPv6 address " + ipv6Text(into.addressBytes())
                    + " is not link-local (fe80::/10), RFC 9568 §5.2.9 requires it");
        }
        into.decoded(family, vrid, priority, count, intervalCentis, checksum, ttl, firstLinkLocal);
        into.checksum(checksum, form);
        into.framed(offset, messageLength, length - messageLength);
    }

    /**
     * RFC 3768 §5.3 / §7.1: the 8-byte header (Auth Type and Adver Int in seconds where VRRPv3 has
     * the 12-bit centisecond interval), the IPv4 addresses, then 8 bytes of Authentication Data,
     * all covered by a checksum over the message alone (§5.3.8: no pseudo-header). The Auth Type and
     * data are only read here; whether they match is the router's policy (§7.1).
     */
    private static void decodeVersion2(ByteBuffer buffer, int offset, int length, int ttl, Advertisement into)
            throws MalformedPacketException {
        int type = buffer.get(offset) & 0x0f;
        if (type != Advertisement.TYPE_ADVERTISEMENT) {
            throw new MalformedPacketException(UNKNOWN_TYPE, "type " + type + ", expected 1 (ADVERTISEMENT)");
        }
        int vrid = buffer.get(offset + 1) & 0xff;
        int priority = buffer.get(offset + 2) & 0xff;
        int count = buffer.get(offset + 3) & 0xff;
        int authType = buffer.get(offset + 4) & 0xff;
        int intervalSeconds = buffer.get(offset + 5) & 0xff;
        int checksum = buffer.getShort(offset + 6) & 0xffff;
        // RFC 3768 §5.3.6 sets no minimum count: keepalived advertises 0 for an instance without addresses
        int messageLength = encodedLength(Advertisement.VERSION_2, AddressFamily.IPV4, count);
        if (length < messageLength) {
            throw new MalformedPacketException(ADDRESS_COUNT_MISMATCH, "VRRPv2 address count " + count + " needs "
                    + messageLength + " bytes (with 8 bytes of authentication data), got " + length);
        }
        byte[] source = into.sourceBytes();
        byte[] destination = into.destinationBytes();
        if (!Checksum.verifies(ChecksumForm.MESSAGE_ONLY, AddressFamily.IPV4, source, destination, buffer, offset,
                messageLength)) {
            throw new MalformedPacketException(BAD_CHECKSUM, "checksum 0x" + Integer.toHexString(checksum)
                    + ", expected 0x" + Integer.toHexString(Checksum.compute(ChecksumForm.MESSAGE_ONLY,
                    AddressFamily.IPV4, source, destination, buffer, offset, messageLength))
                    + " (VRRPv2, message-only form)");
        }
        if (intervalSeconds == 0) {
            throw new MalformedPacketException(INTERVAL_ZERO, "VRRPv2 advertisement interval 0, expected 1..255 seconds");
        }
        int addressBytes = count * AddressFamily.IPV4.addressLength();
        copy(buffer, offset + HEADER_LENGTH, into.addressBytes(), addressBytes);
        into.decoded(AddressFamily.IPV4, vrid, priority, count, intervalSeconds * 100, checksum, ttl, false);
        into.decodedVersion2(authType); // after decoded(), which clears the authentication data
        copy(buffer, offset + HEADER_LENGTH + addressBytes, into.authDataBytes(), V2_AUTH_DATA_LENGTH);
        into.checksum(checksum, ChecksumForm.MESSAGE_ONLY);
        into.framed(offset, messageLength, length - messageLength);
    }

    /**
     * Copies {@code length} bytes from absolute {@code index} of {@code from} to the start of
     * {@code to}, eight or four at a time. ByteBuffer's bulk get costs a System.arraycopy call (heap)
     * or a byte loop or Unsafe.copyMemory (direct), a lot for the 4 to 64 bytes an advertisement has;
     * the bounds are checked the same (IndexOutOfBoundsException) either way. A little-endian
     * buffer takes the bulk get, since the word reads would swap the bytes.
     */
    private static void copy(ByteBuffer from, int index, byte[] to, int length) {
        if (from.order() != ByteOrder.BIG_ENDIAN) {
            from.get(index, to, 0, length);
            return;
        }
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            LONG_BIG_ENDIAN.set(to, i, from.getLong(index + i));
        }
        if (i + 4 <= length) {
            INT_BIG_ENDIAN.set(to, i, from.getInt(index + i));
            i += 4;
        }
        for (; i < length; i++) {
            to[i] = from.get(index + i);
        }
    }

    private static boolean isLinkLocal(byte[] ipv6) {
        return (ipv6[0] & 0xff) == 0xfe && (ipv6[1] & 0xc0) == 0x80;
    }

    /** The first 16 bytes as IPv6 text, for a drop message: allocates, but only on the drop path. */
    private static String ipv6Text(byte[] bytes) {
        try {
            return Inet6Address.getByAddress(null, Arrays.copyOf(bytes, 16), -1).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // unreachable: the length is 16
        }
    }

    /**
     * Writes the VRRP message for {@code advertisement} at {@code out}'s position and advances it;
     * the checksum is computed in {@code ipv4Form} for IPv4 (IPv6 always uses the pseudo-header,
     * VRRPv2 always the message alone, RFC 3768 §5.3.8). Returns the number of bytes written.
     * Allocates nothing.
     */
    public static int encode(Advertisement advertisement, ChecksumForm ipv4Form, ByteBuffer out) {
        AddressFamily family = advertisement.family();
        int count = advertisement.addressCount();
        int version = advertisement.version();
        if (count == 0 && version == Advertisement.VERSION_3) {
            throw new IllegalStateException("advertisement has no addresses; RFC 9568 §5.2.5 requires at least one");
        }
        int length = encodedLength(version, family, count);
        int offset = out.position();
        out.put((byte) ((version << 4) | Advertisement.TYPE_ADVERTISEMENT));
        out.put((byte) advertisement.vrid());
        out.put((byte) advertisement.priority());
        out.put((byte) count);
        if (version == Advertisement.VERSION_2) {
            out.put((byte) advertisement.authType());
            out.put((byte) (advertisement.maxAdvertIntervalCentis() / 100)); // RFC 3768 §5.3.7: whole seconds
        } else {
            out.putShort((short) advertisement.maxAdvertIntervalCentis()); // reserved bits stay zero
        }
        out.putShort((short) 0);
        out.put(advertisement.addressBytes(), 0, count * family.addressLength());
        if (version == Advertisement.VERSION_2) {
            out.put(advertisement.authDataBytes(), 0, V2_AUTH_DATA_LENGTH);
        }
        ChecksumForm form = version == Advertisement.VERSION_2 ? ChecksumForm.MESSAGE_ONLY
                : family == AddressFamily.IPV6 ? ChecksumForm.PSEUDO_HEADER : ipv4Form;
        int checksum = Checksum.compute(form, family, advertisement.sourceBytes(), advertisement.destinationBytes(),
                out, offset, length);
        out.putShort(offset + 6, (short) checksum);
        advertisement.checksum(checksum, form);
        return length;
    }

    /**
     * {@link #encode(Advertisement, ChecksumForm, ByteBuffer)}, then the auth_hmac trailer signed by
     * {@code signer} at {@code utcMillis}, if it signs (draft-cassen-vrrp-auth-hmac; not in
     * receive-only mode). The checksum rules are keepalived 2.4.3's: for IPv4 it covers the message
     * alone, the trailer not; for IPv6 it covers message and trailer, as the kernel computes it with
     * IPV6_CHECKSUM (which overwrites the one written here with the same value). Returns the number
     * of bytes written. Allocates nothing.
     */
    public static int encode(Advertisement advertisement, ChecksumForm ipv4Form, ByteBuffer out,
                             HmacAuthenticator signer, long utcMillis) {
        int offset = out.position();
        int length = encode(advertisement, ipv4Form, out);
        if (signer == null || !signer.signs()) {
            return length;
        }
        signer.sign(out, offset, length, advertisement.family(), advertisement.version(), advertisement.vrid(),
                advertisement.sourceBytes(), utcMillis);
        checksumWithTrailer(advertisement, out, offset, length);
        return length + HmacAuthenticator.TRAILER_LENGTH;
    }

    /**
     * {@link #encode(Advertisement, ChecksumForm, ByteBuffer)} followed by a trailer already signed
     * for the same advertisement: keepalived signs once per advertisement, and every unicast copy
     * carries the same sequence and HMAC (the HMAC excludes the destination); only the checksum
     * differs, which for IPv6 covers the trailer. Returns the number of bytes written.
     */
    public static int encode(Advertisement advertisement, ChecksumForm ipv4Form, ByteBuffer out, byte[] trailer) {
        int offset = out.position();
        int length = encode(advertisement, ipv4Form, out);
        out.put(trailer, 0, HmacAuthenticator.TRAILER_LENGTH);
        checksumWithTrailer(advertisement, out, offset, length);
        return length + HmacAuthenticator.TRAILER_LENGTH;
    }

    private static void checksumWithTrailer(Advertisement advertisement, ByteBuffer out, int offset, int length) {
        AddressFamily family = advertisement.family();
        if (family == AddressFamily.IPV6) {
            int checksum = Checksum.compute(ChecksumForm.PSEUDO_HEADER, family, advertisement.sourceBytes(),
                    advertisement.destinationBytes(), out, offset, length + HmacAuthenticator.TRAILER_LENGTH);
            out.putShort(offset + 6, (short) checksum);
            advertisement.checksum(checksum, ChecksumForm.PSEUDO_HEADER);
        }
    }
}
