package dev.vrrp4j.core.packet;

import java.util.Arrays;

/**
 * The Internet checksum (RFC 1071) and the VRRPv3 pseudo-headers, written for the tests without
 * using {@link Checksum}: a bug shared by the codec's build and verify paths would pass a round
 * trip, but not a comparison with this. It folds the carry after every word (the RFC's "end-around
 * carry") where {@link Checksum} folds once at the end, and it builds the pseudo-header as bytes.
 */
final class Rfc1071 {
    private Rfc1071() {}

    /** The checksum of the concatenated parts: the complement of their one's complement sum. */
    static int checksum(byte[]... parts) {
        return ~onesComplementSum(parts) & 0xffff;
    }

    /** Whether the concatenated parts, a checksum field included, sum to 0xffff (negative zero). */
    static boolean verifies(byte[]... parts) {
        return onesComplementSum(parts) == 0xffff;
    }

    /** The 16-bit one's complement sum of the big-endian words of the concatenated parts. */
    static int onesComplementSum(byte[]... parts) {
        byte[] all = TestPackets.concat(parts);
        int sum = 0;
        for (int i = 0; i < all.length; i += 2) {
            int high = all[i] & 0xff;
            int low = i + 1 < all.length ? all[i + 1] & 0xff : 0; // odd tail padded with a zero byte
            sum += high << 8 | low;
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return sum;
    }

    /** RFC 9568 §5.2.8 / RFC 768: source, destination, zero, protocol 112, 16-bit VRRP length. */
    static byte[] ipv4PseudoHeader(byte[] source, byte[] destination, int vrrpLength) {
        return TestPackets.concat(source, destination, new byte[] {0, 112, (byte) (vrrpLength >>> 8), (byte) vrrpLength});
    }

    /** RFC 8200 §8.1: source, destination, 32-bit upper-layer length, three zero bytes, next header 112. */
    static byte[] ipv6PseudoHeader(byte[] source, byte[] destination, int vrrpLength) {
        return TestPackets.concat(source, destination, new byte[] {
                (byte) (vrrpLength >>> 24), (byte) (vrrpLength >>> 16), (byte) (vrrpLength >>> 8), (byte) vrrpLength,
                0, 0, 0, 112});
    }

    static byte[] pseudoHeader(AddressFamily family, byte[] source, byte[] destination, int vrrpLength) {
        return family == AddressFamily.IPV4
                ? ipv4PseudoHeader(source, destination, vrrpLength)
                : ipv6PseudoHeader(source, destination, vrrpLength);
    }

    /**
     * The value the checksum field of {@code message} (its first {@code vrrpLength} bytes) must hold
     * in {@code form}; the field's current content is ignored.
     */
    static int vrrpChecksum(ChecksumForm form, AddressFamily family, byte[] source, byte[] destination,
                            byte[] message, int vrrpLength) {
        byte[] zeroed = Arrays.copyOf(message, vrrpLength);
        zeroed[6] = 0;
        zeroed[7] = 0;
        return form == ChecksumForm.PSEUDO_HEADER
                ? checksum(pseudoHeader(family, source, destination, vrrpLength), zeroed)
                : checksum(zeroed);
    }

    /** Whether the first {@code vrrpLength} bytes of {@code message} verify in {@code form}. */
    static boolean vrrpVerifies(ChecksumForm form, AddressFamily family, byte[] source, byte[] destination,
                                byte[] message, int vrrpLength) {
        byte[] covered = Arrays.copyOf(message, vrrpLength);
        return form == ChecksumForm.PSEUDO_HEADER
                ? verifies(pseudoHeader(family, source, destination, vrrpLength), covered)
                : verifies(covered);
    }
}
