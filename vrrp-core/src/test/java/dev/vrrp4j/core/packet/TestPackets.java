package dev.vrrp4j.core.packet;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The reference advertisements the codec tests start from, written field by field, and small
 * helpers that derive variants of them. Every accessor returns a fresh copy.
 *
 * <p>The checksum constants were worked out by hand (the sums are in the comments) and are checked
 * against {@link Rfc1071}, never against {@link Checksum}, in
 * {@code AdvertisementCodecTest.theReferenceChecksumsAreWhatRfc1071Gives}.
 */
final class TestPackets {
    private TestPackets() {}

    static final byte[] IPV4_SOURCE = {(byte) 192, 0, 2, 1};
    static final byte[] IPV4_GROUP = {(byte) 224, 0, 0, 18};
    static final byte[] IPV6_SOURCE = {(byte) 0xfe, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01}; // fe80::1
    static final byte[] IPV6_GROUP = {(byte) 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x12}; // ff02::12

    /*
     * IPv4 checksum, pseudo-header form: pseudo-header words c000+0201 (source) + e000+0012
     * (destination) + 0070 (protocol) + 0010 (length 16) = 0x1a293; message words 3133+6402+0064+0000
     * (checksum as zero)+c000+0264+c000+0265 = 0x21a62; total 0x3bcf5, folded 0xbcf5+3 = 0xbcf8,
     * complemented 0x4307. Message-only form: 0x21a62 folded 0x1a64, complemented 0xe59b.
     */
    static final int IPV4_CHECKSUM = 0x4307;
    static final int IPV4_CHECKSUM_MESSAGE_ONLY = 0xe59b;

    /** VRID 51, priority 100, 1 s, 192.0.2.100 and 192.0.2.101; from 192.0.2.1 to 224.0.0.18. */
    private static final byte[] IPV4_MESSAGE = {
            0x31,                           // version 3, type 1 (ADVERTISEMENT)
            0x33,                           // VRID 51
            0x64,                           // priority 100
            0x02,                           // Count IPv4 Addr 2
            0x00, 0x64,                     // reserved 0, Max Adver Int 100 centiseconds
            0x43, 0x07,                     // checksum 0x4307 (pseudo-header form, see above)
            (byte) 0xc0, 0x00, 0x02, 0x64,  // 192.0.2.100
            (byte) 0xc0, 0x00, 0x02, 0x65,  // 192.0.2.101
    };

    /** The header a raw IPv4 socket delivers in front of {@link #IPV4_MESSAGE}. */
    private static final byte[] IPV4_HEADER = {
            0x45,                           // IP version 4, IHL 5 (20 bytes)
            (byte) 0xc0,                    // DSCP CS6 (network control), ECN 0, as keepalived sends
            0x00, 0x24,                     // total length 36 = 20 + 16
            0x12, 0x34,                     // identification
            0x00, 0x00,                     // flags 0, fragment offset 0
            (byte) 0xff,                    // TTL 255
            0x70,                           // protocol 112 (VRRP)
            0x06, 0x62,                     // header checksum (the kernel checks it, the codec does not)
            (byte) 0xc0, 0x00, 0x02, 0x01,  // source 192.0.2.1
            (byte) 0xe0, 0x00, 0x00, 0x12,  // destination 224.0.0.18
    };

    /*
     * IPv6 checksum (always the pseudo-header form): pseudo-header words fe80+0001 (source) +
     * ff02+0012 (destination) + 0028 (length 40) + 0070 (next header) fold to 0xfe2e; the message
     * words (checksum as zero) fold to 0x27ac; 0xfe2e+0x27ac = 0x125da, folded 0x25db, complemented
     * 0xda24. Over the message alone it would be ~0x27ac = 0xd853.
     */
    static final int IPV6_CHECKSUM = 0xda24;
    static final int IPV6_CHECKSUM_MESSAGE_ONLY = 0xd853;

    /** VRID 61, priority 200, 0.5 s, fe80::100 and 2001:db8::100; from fe80::1 to ff02::12. */
    private static final byte[] IPV6_MESSAGE = {
            0x31,                           // version 3, type 1 (ADVERTISEMENT)
            0x3d,                           // VRID 61
            (byte) 0xc8,                    // priority 200
            0x02,                           // Count IPv6 Addr 2
            0x00, 0x32,                     // reserved 0, Max Adver Int 50 centiseconds
            (byte) 0xda, 0x24,              // checksum 0xda24 (RFC 8200 pseudo-header, see above)
            (byte) 0xfe, (byte) 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00, // fe80::100
            0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00,   // 2001:db8::100
    };

    static byte[] ipv4Message() {
        return IPV4_MESSAGE.clone();
    }

    static byte[] ipv4Header() {
        return IPV4_HEADER.clone();
    }

    /** The reference IPv4 packet: {@link #ipv4Header()} followed by {@link #ipv4Message()}. */
    static byte[] ipv4Packet() {
        return concat(IPV4_HEADER, IPV4_MESSAGE);
    }

    static byte[] ipv6Message() {
        return IPV6_MESSAGE.clone();
    }

    static byte[] message(AddressFamily family) {
        return family == AddressFamily.IPV4 ? ipv4Message() : ipv6Message();
    }

    static byte[] source(AddressFamily family) {
        return (family == AddressFamily.IPV4 ? IPV4_SOURCE : IPV6_SOURCE).clone();
    }

    static byte[] group(AddressFamily family) {
        return (family == AddressFamily.IPV4 ? IPV4_GROUP : IPV6_GROUP).clone();
    }

    /**
     * An IPv4 packet of {@code header} and {@code payload}, with the total length set to cover both
     * and the header checksum made right, so that only what a test changed on purpose is wrong.
     */
    static byte[] ipv4Packet(byte[] header, byte[] payload) {
        return ipv4Packet(header, payload, header.length + payload.length);
    }

    /** As {@link #ipv4Packet(byte[], byte[])} with the given total length field. */
    static byte[] ipv4Packet(byte[] header, byte[] payload, int totalLength) {
        byte[] packet = concat(header, payload);
        putShort(packet, 2, totalLength);
        putShort(packet, 10, 0);
        putShort(packet, 10, Rfc1071.checksum(Arrays.copyOf(packet, header.length)));
        return packet;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** A copy of {@code bytes} with {@code values} written from {@code offset}. */
    static byte[] with(byte[] bytes, int offset, int... values) {
        byte[] copy = bytes.clone();
        for (int i = 0; i < values.length; i++) {
            copy[offset + i] = (byte) values[i];
        }
        return copy;
    }

    /** Writes a big-endian 16-bit value. */
    static void putShort(byte[] bytes, int offset, int value) {
        bytes[offset] = (byte) (value >>> 8);
        bytes[offset + 1] = (byte) value;
    }

    static int getShort(byte[] bytes, int offset) {
        return (bytes[offset] & 0xff) << 8 | bytes[offset + 1] & 0xff;
    }

    /**
     * A copy of a VRRP message whose checksum field is made valid (per {@link Rfc1071}) in
     * {@code form} over its first {@code 8 + count × address length} bytes, from the reference
     * source to the reference group of {@code family}.
     */
    static byte[] withValidChecksum(byte[] message, AddressFamily family, ChecksumForm form) {
        int count = message[3] & 0xff;
        boolean version2 = family == AddressFamily.IPV4 && (message[0] & 0xf0) == 0x20;
        // RFC 3768 §5.3.8: a VRRPv2 checksum covers the 8 bytes of authentication data too, and no pseudo-header.
        int length = Math.min(message.length, 8 + count * family.addressLength() + (version2 ? 8 : 0));
        if (version2) {
            form = ChecksumForm.MESSAGE_ONLY;
        }
        byte[] copy = message.clone();
        putShort(copy, 6, Rfc1071.vrrpChecksum(form, family, source(family), group(family), copy, length));
        return copy;
    }

    static byte[] withValidChecksum(byte[] message, AddressFamily family) {
        return withValidChecksum(message, family, ChecksumForm.PSEUDO_HEADER);
    }

    /**
     * Decodes a VRRP message the way its family arrives: IPv4 inside the reference header through
     * {@link AdvertisementCodec#decodeIpv4Packet}, IPv6 through {@link AdvertisementCodec#decodeMessage}
     * with the reference source, group and hop limit 255.
     */
    static Advertisement decode(AddressFamily family, byte[] message) throws MalformedPacketException {
        Advertisement into = new Advertisement();
        if (family == AddressFamily.IPV4) {
            AdvertisementCodec.decodeIpv4Packet(ByteBuffer.wrap(ipv4Packet(IPV4_HEADER, message)), into);
        } else {
            AdvertisementCodec.decodeMessage(ByteBuffer.wrap(message), family, IPV6_SOURCE, IPV6_GROUP, 255, into);
        }
        return into;
    }
}
