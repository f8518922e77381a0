package dev.vrrp4j.netty.transport;

/**
 * The Internet checksum (RFC 1071) over an IPv6 pseudo-header (RFC 8200 §8.1) and an upper-layer
 * message whose checksum field is at bytes 6..7, written independently of the code under test.
 */
final class Ipv6Checksum {
    private Ipv6Checksum() {}

    static int compute(byte[] source, byte[] destination, int nextHeader, byte[] message) {
        long sum = 0;
        sum += sum16(source) + sum16(destination);
        sum += message.length;   // upper-layer packet length (32 bits, high half zero here)
        sum += nextHeader;       // three zero bytes then the next header
        byte[] copy = message.clone();
        copy[6] = 0;             // the checksum field counts as zero
        copy[7] = 0;
        sum += sum16(copy);
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return (int) (~sum & 0xffff);
    }

    private static long sum16(byte[] bytes) {
        long sum = 0;
        for (int i = 0; i < bytes.length; i += 2) {
            int high = bytes[i] & 0xff;
            int low = i + 1 < bytes.length ? bytes[i + 1] & 0xff : 0;
            sum += (high << 8) | low;
        }
        return sum;
    }
}
