package dev.vrrp4j.netty.transport;

/**
 * A 48-bit Ethernet (EUI-48) address, the sender hardware address of gratuitous ARP and the
 * target link-layer address option of unsolicited neighbor advertisements.
 *
 * @param value the 48 bits, first octet most significant
 */
public record MacAddress(long value) {
    private static final long MAX = (1L << 48) - 1;

    public MacAddress {
        if (value < 0 || value > MAX) {
            throw new IllegalArgumentException("MAC address value 0x" + Long.toHexString(value) + " out of range 0..0x"
                    + Long.toHexString(MAX));
        }
    }

    /** The address of 6 octets in network order. */
    public static MacAddress of(byte[] octets) {
        if (octets.length != 6) {
            throw new IllegalArgumentException("MAC address of " + octets.length + " bytes, expected 6");
        }
        long value = 0;
        for (byte octet : octets) {
            value = (value << 8) | (octet & 0xff);
        }
        return new MacAddress(value);
    }

    /** The 6 octets in network order (a new array). */
    public byte[] toBytes() {
        byte[] octets = new byte[6];
        for (int i = 0; i < 6; i++) {
            octets[i] = (byte) (value >>> (40 - 8 * i));
        }
        return octets;
    }

    /** {@code aa:bb:cc:dd:ee:ff}, as {@code ip link} and tcpdump print it. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(17);
        for (byte octet : toBytes()) {
            if (!text.isEmpty()) {
                text.append(':');
            }
            text.append(Character.forDigit((octet >>> 4) & 0xf, 16)).append(Character.forDigit(octet & 0xf, 16));
        }
        return text.toString();
    }
}
