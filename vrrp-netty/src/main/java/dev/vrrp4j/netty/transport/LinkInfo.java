package dev.vrrp4j.netty.transport;

/**
 * The state of a network interface as rtnetlink reports it: what the transport needs to bind
 * sockets (index), announce addresses (hardware address) and decide whether the interface can
 * carry VRRP at all (RFC 9568 §6.4: a router whose interface is down cannot be Backup or Active).
 *
 * @param name            the interface name, e.g. {@code eth0}
 * @param index           the kernel's interface index, positive
 * @param hardwareAddress the Ethernet address, or null when the link has none of 6 bytes (tun, ipip)
 * @param up              IFF_UP: administratively up ({@code ip link set up})
 * @param running         IFF_RUNNING: operationally up, carrier present
 * @param arp             neither IFF_NOARP (a dummy interface) nor IFF_LOOPBACK: gratuitous ARP and
 *                        unsolicited NA for an address on it reach someone
 */
public record LinkInfo(String name, int index, MacAddress hardwareAddress, boolean up, boolean running, boolean arp) {
    public LinkInfo {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("interface name must not be empty");
        }
        if (index <= 0) {
            throw new IllegalArgumentException("interface index " + index + " of " + name + " out of range 1.."
                    + Integer.MAX_VALUE);
        }
    }

    /** A link that announces its addresses. */
    public LinkInfo(String name, int index, MacAddress hardwareAddress, boolean up, boolean running) {
        this(name, index, hardwareAddress, up, running, true);
    }

    /** Up and running: the interface can send and receive. */
    public boolean operational() {
        return up && running;
    }
}
