package dev.vrrp4j.core.packet;

import java.nio.ByteBuffer;

/**
 * The Internet checksum (RFC 1071) as VRRPv3 uses it (RFC 9568 §5.2.8): the 16-bit one's
 * complement of the one's complement sum of an optional pseudo-header and the VRRP message.
 *
 * <p>Building and verifying share {@link #sum} but not the final comparison: a message verifies
 * when the sum over it, its stored checksum included, folds to {@code 0xffff}. Keeping that
 * separate from "compute the value to store" is what catches a checksum that is wrong in a way a
 * round trip would hide.
 */
public final class Checksum {
    /** IP protocol number of VRRP (RFC 9568 §5.1.1.4). */
    static final int PROTOCOL_VRRP = 112;

    private Checksum() {}

    /**
     * Adds {@code length} bytes of {@code buffer}, from absolute index {@code offset}, as big-endian
     * 16-bit words to {@code sum}; an odd last byte is padded with zero.
     */
    public static long sum(ByteBuffer buffer, int offset, int length, long sum) {
        int end = offset + length;
        int i = offset;
        for (; i + 1 < end; i += 2) {
            sum += buffer.getShort(i) & 0xffff;
        }
        if (i < end) {
            sum += (buffer.get(i) & 0xff) << 8;
        }
        return sum;
    }

    /** Adds the first {@code length} bytes of {@code bytes} as big-endian 16-bit words to {@code sum}. */
    public static long sum(byte[] bytes, int length, long sum) {
        int i = 0;
        for (; i + 1 < length; i += 2) {
            sum += ((bytes[i] & 0xff) << 8) | (bytes[i + 1] & 0xff);
        }
        if (i < length) {
            sum += (bytes[i] & 0xff) << 8;
        }
        return sum;
    }

    /** Folds the carries into 16 bits and complements: the value that goes in the checksum field. */
    public static int finish(long sum) {
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    /**
     * The sum of the pseudo-header for a VRRP message of {@code messageLength} bytes: RFC 768 style
     * for IPv4 (source, destination, zero, protocol, 16-bit length), RFC 8200 §8.1 for IPv6
     * (source, destination, 32-bit length, zeros, next header).
     */
    public static long pseudoHeaderSum(AddressFamily family, byte[] source, byte[] destination, int messageLength) {
        int addressLength = family.addressLength();
        long sum = sum(source, addressLength, 0);
        sum = sum(destination, addressLength, sum);
        // The 32-bit IPv6 length and the 16-bit IPv4 length sum the same way for lengths below 64 KiB.
        return sum + PROTOCOL_VRRP + messageLength;
    }

    /**
     * The checksum to store in a VRRP message: computed over {@code messageLength} bytes from
     * {@code offset} with the checksum field (bytes 6-7) taken as zero.
     */
    public static int compute(ChecksumForm form, AddressFamily family, byte[] source, byte[] destination,
                              ByteBuffer message, int offset, int messageLength) {
        long sum = form == ChecksumForm.PSEUDO_HEADER
                ? pseudoHeaderSum(family, source, destination, messageLength)
                : 0;
        sum = sum(message, offset, 6, sum);
        sum = sum(message, offset + 8, messageLength - 8, sum);
        return finish(sum);
    }

    /** Whether a received message, its checksum field included, verifies in the given form. */
    public static boolean verifies(ChecksumForm form, AddressFamily family, byte[] source, byte[] destination,
                                   ByteBuffer message, int offset, int messageLength) {
        long sum = form == ChecksumForm.PSEUDO_HEADER
                ? pseudoHeaderSum(family, source, destination, messageLength)
                : 0;
        return finish(sum(message, offset, messageLength, sum)) == 0;
    }
}
