package dev.vrrp4j.core.router;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.Objects;

/**
 * How a virtual (or excluded) address is installed, beside the address itself: the interface it
 * goes on, and the rtnetlink attributes of {@code ip address add} that keepalived's
 * {@code virtual_ipaddress} lines may set. None of it reaches the advertisement, which lists every
 * virtual address whatever its interface (RFC 9568 §5.2.9; keepalived does the same).
 *
 * <p>An address on another interface than its router's is announced there (gratuitous ARP,
 * unsolicited NA; RFC 9568 §6.4.2) when that interface can announce (not loopback, not NOARP, as a
 * dummy is), and the router goes to Fault when that interface goes down or away unless
 * {@link #noTrack()}, as keepalived tracks the interfaces of its addresses.
 *
 * @param device    the interface to install it on, or null for the router's own
 * @param label     an IPv4 address label (IFA_LABEL, e.g. {@code eth0:1}), 1..15 characters, or null
 *                  for none (the kernel then labels it with the interface name)
 * @param broadcast the IPv4 broadcast address (IFA_BROADCAST), or null for none, which is what
 *                  keepalived installs without {@code brd}
 * @param scope     the address scope, {@code ifa_scope} 0..255: 0 global (the default), 200 site,
 *                  253 link, 254 host, 255 nowhere; IPv4 only (the kernel derives IPv6 scopes)
 * @param noTrack   keepalived's {@code no_track}: the router does not go to Fault when the
 *                  address's interface goes down, and does not put the address back when someone
 *                  else removes it while Active
 */
public record AddressOptions(String device, String label, Inet4Address broadcast, int scope, boolean noTrack) {
    /** The router's own interface, no label, no broadcast, global scope, tracked: what an address gets without options. */
    public static final AddressOptions DEFAULT = new AddressOptions(null, null, null, 0, false);

    /** {@code ifa_scope} RT_SCOPE_UNIVERSE. */
    public static final int SCOPE_GLOBAL = 0;
    /** RT_SCOPE_SITE. */
    public static final int SCOPE_SITE = 200;
    /** RT_SCOPE_LINK. */
    public static final int SCOPE_LINK = 253;
    /** RT_SCOPE_HOST: reachable on this host only, as addresses on {@code lo} usually are. */
    public static final int SCOPE_HOST = 254;
    /** RT_SCOPE_NOWHERE. */
    public static final int SCOPE_NOWHERE = 255;

    /** Linux IFNAMSIZ - 1: the longest interface name, and the longest address label. */
    public static final int MAX_NAME_LENGTH = 15;

    public AddressOptions {
        if (device != null) {
            checkName("device", device);
        }
        if (label != null) {
            checkName("label", label);
        }
        if (scope < 0 || scope > 255) {
            throw new IllegalArgumentException("scope " + scope + " out of range 0..255");
        }
    }

    /** The address goes on {@code device} (null: the router's own interface). */
    public static AddressOptions onDevice(String device) {
        return DEFAULT.withDevice(device);
    }

    public AddressOptions withDevice(String device) {
        return new AddressOptions(device, label, broadcast, scope, noTrack);
    }

    public AddressOptions withLabel(String label) {
        return new AddressOptions(device, label, broadcast, scope, noTrack);
    }

    public AddressOptions withBroadcast(Inet4Address broadcast) {
        return new AddressOptions(device, label, broadcast, scope, noTrack);
    }

    public AddressOptions withScope(int scope) {
        return new AddressOptions(device, label, broadcast, scope, noTrack);
    }

    public AddressOptions withNoTrack(boolean noTrack) {
        return new AddressOptions(device, label, broadcast, scope, noTrack);
    }

    /** The interface the address goes on: {@link #device()}, else {@code routerInterface}. */
    public String deviceOr(String routerInterface) {
        return device != null ? device : routerInterface;
    }

    /** Whether it goes on another interface than {@code routerInterface}. */
    public boolean onOtherDevice(String routerInterface) {
        return device != null && !device.equals(routerInterface);
    }

    /** The options an address of {@code address}'s family may have: label, broadcast and scope are IPv4's. */
    void checkFamily(InetAddress address) {
        if (address instanceof Inet4Address) {
            return;
        }
        String host = address.getHostAddress();
        if (label != null) {
            throw new IllegalArgumentException("label " + label + " of " + host + ": address labels are IPv4 only");
        }
        if (broadcast != null) {
            throw new IllegalArgumentException("broadcast " + broadcast.getHostAddress() + " of " + host
                    + ": broadcast addresses are IPv4 only");
        }
        if (scope != SCOPE_GLOBAL) {
            throw new IllegalArgumentException("scope " + scope + " of " + host
                    + ": IPv6 address scopes follow from the address; only 0 (global) may be given");
        }
    }

    /** The name of a scope as iproute2 writes it ({@code global}, {@code link}, ...), else its number. */
    public static String scopeName(int scope) {
        return switch (scope) {
            case SCOPE_GLOBAL -> "global";
            case SCOPE_SITE -> "site";
            case SCOPE_LINK -> "link";
            case SCOPE_HOST -> "host";
            case SCOPE_NOWHERE -> "nowhere";
            default -> Integer.toString(scope);
        };
    }

    private static void checkName(String field, String name) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || name.contains("/")
                || name.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException(field + " '" + name + "' length " + name.length()
                    + " out of range 1.." + MAX_NAME_LENGTH + " (a Linux interface name: no '/' or spaces)");
        }
    }

    /** The options as keepalived writes them after the address, e.g. {@code dev lo label lo:1 scope host}; empty for none. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        if (device != null) {
            text.append(" dev ").append(device);
        }
        if (label != null) {
            text.append(" label ").append(label);
        }
        if (broadcast != null) {
            text.append(" brd ").append(broadcast.getHostAddress());
        }
        if (scope != SCOPE_GLOBAL) {
            text.append(" scope ").append(scopeName(scope));
        }
        if (noTrack) {
            text.append(" no_track");
        }
        return text.isEmpty() ? "" : text.substring(1);
    }
}
