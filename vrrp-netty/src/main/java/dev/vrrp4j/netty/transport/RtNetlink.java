package dev.vrrp4j.netty.transport;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.AddressOptions;
import dev.vrrp4j.core.router.IpRoute;
import dev.vrrp4j.core.router.IpRule;

import java.lang.foreign.MemorySegment;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * rtnetlink requests: add and remove the virtual addresses (RFC 9568 §6.4.2: the Active router
 * "accepts packets addressed to the IPvX address(es) associated with the virtual router"), add and
 * remove routes and policy rules (keepalived's {@code virtual_routes}, {@code virtual_rules} and their
 * {@code static_*} forms), and query an interface's index, hardware address, state, primary IPv4 address and IPv6 link-local
 * address.
 *
 * <p>Address changes are idempotent: adding an address that is present or removing one that is
 * absent succeeds and returns false, so a restarted node converges whatever it left behind. IPv6
 * addresses are added with IFA_F_NODAD, as keepalived does: a virtual address moves between
 * routers and must be usable at once, not after a second of duplicate address detection.
 *
 * <p>The socket lives in the network namespace of the thread that opened it, and names are
 * resolved there. Methods are synchronized: one request is in flight at a time.
 */
public final class RtNetlink implements AutoCloseable {
    static final int IFLA_ADDRESS = 1;
    static final int IFLA_IFNAME = 3;
    static final int IFINFOMSG_SIZE = 16;
    static final int IFF_UP = 0x1;
    static final int IFF_RUNNING = 0x40;
    static final int IFF_LOOPBACK = 0x8;
    static final int IFF_NOARP = 0x80;
    static final int IFA_ADDRESS = 1;
    static final int IFA_LOCAL = 2;
    static final int IFA_LABEL = 3;
    static final int IFA_BROADCAST = 4;
    private static final int IFA_FLAGS = 8;
    private static final int IFA_F_SECONDARY = 0x01;
    private static final int IFA_F_NODAD = 0x02;
    private static final int IFA_F_DADFAILED = 0x08;
    private static final int IFA_F_TENTATIVE = 0x40;
    static final int IFADDRMSG_SIZE = 8;

    private final NetlinkSocket netlink;

    private RtNetlink(NetlinkSocket netlink) {
        this.netlink = netlink;
    }

    /** Opens a NETLINK_ROUTE socket in the calling thread's network namespace. */
    public static RtNetlink open() throws NativeException {
        return new RtNetlink(NetlinkSocket.open(0, "rtnetlink request socket"));
    }

    /** The interface's index, hardware address and state; ENODEV if there is no such interface. */
    public synchronized LinkInfo link(String interfaceName) throws NativeException {
        return link(interfaceName, "RTM_GETLINK " + interfaceName);
    }

    private LinkInfo link(String interfaceName, String call) throws NativeException {
        LinuxSyscalls.checkInterfaceName(interfaceName);
        netlink.begin(NetlinkSocket.RTM_GETLINK, NetlinkSocket.NLM_F_ACK);
        netlink.body(IFINFOMSG_SIZE); // ifi_family AF_UNSPEC, ifi_index 0: look up by IFLA_IFNAME
        netlink.attribute(IFLA_IFNAME, interfaceName);
        LinkInfo[] found = new LinkInfo[1];
        int errno = netlink.exchange(call, RequiredCapability.NONE, (type, offset, length) -> {
            if (type == NetlinkSocket.RTM_NEWLINK) {
                found[0] = parseLink(netlink.response(), offset, length);
            }
        });
        if (errno != 0) {
            throw new NativeException(call, errno, RequiredCapability.NONE, netlink.extendedAck());
        }
        if (found[0] == null) {
            throw new NativeException(call + " (no link in the answer)", Errno.ENODEV.value(), RequiredCapability.NONE);
        }
        return found[0];
    }

    /** Parses an RTM_NEWLINK / RTM_DELLINK message at {@code offset}; null if it has no name. */
    static LinkInfo parseLink(MemorySegment message, long offset, int length) {
        long body = offset + NetlinkSocket.NLMSG_HDRLEN; // struct ifinfomsg { u8 family; u8 pad; u16 type; int index; u32 flags; u32 change; }
        int index = message.get(JAVA_INT, body + 4);
        int flags = message.get(JAVA_INT, body + 8);
        String[] name = new String[1];
        MacAddress[] mac = new MacAddress[1];
        NetlinkSocket.forEachAttribute(message, body + IFINFOMSG_SIZE, offset + length, (type, data, dataLength) -> {
            if (type == IFLA_IFNAME) {
                name[0] = NetlinkSocket.string(message, data, dataLength);
            } else if (type == IFLA_ADDRESS && dataLength == 6) {
                mac[0] = MacAddress.of(NetlinkSocket.bytes(message, data, dataLength));
            }
        });
        if (name[0] == null || index <= 0) {
            return null;
        }
        return new LinkInfo(name[0], index, mac[0], (flags & IFF_UP) != 0, (flags & IFF_RUNNING) != 0,
                (flags & (IFF_LOOPBACK | IFF_NOARP)) == 0);
    }

    /** The interface's first non-secondary IPv4 address, the one it sends from by default. */
    public synchronized Optional<Inet4Address> primaryIpv4Address(String interfaceName) throws NativeException {
        LinkInfo link = link(interfaceName, "RTM_GETADDR " + interfaceName);
        for (Entry entry : addresses(LinuxSyscalls.AF_INET, link.index(), "RTM_GETADDR " + interfaceName)) {
            if ((entry.flags & IFA_F_SECONDARY) == 0) {
                return Optional.of((Inet4Address) SocketAddresses.toInetAddress(entry.address, 4, 0));
            }
        }
        return Optional.empty();
    }

    /**
     * The interface's usable (not tentative, not failed) IPv6 link-local address, with the
     * interface as its scope: the source of IPv6 advertisements (RFC 9568 §5.1.2.1).
     */
    public synchronized Optional<Inet6Address> ipv6LinkLocalAddress(String interfaceName) throws NativeException {
        LinkInfo link = link(interfaceName, "RTM_GETADDR " + interfaceName);
        for (Entry entry : addresses(LinuxSyscalls.AF_INET6, link.index(), "RTM_GETADDR " + interfaceName)) {
            boolean linkLocal = (entry.address[0] & 0xff) == 0xfe && (entry.address[1] & 0xc0) == 0x80;
            if (linkLocal && (entry.flags & (IFA_F_TENTATIVE | IFA_F_DADFAILED)) == 0) {
                return Optional.of((Inet6Address) SocketAddresses.toInetAddress(entry.address, 16, link.index()));
            }
        }
        return Optional.empty();
    }

    private record Entry(byte[] address, int prefixLength, int flags) {}

    private List<Entry> addresses(int family, int index, String call) throws NativeException {
        netlink.begin(NetlinkSocket.RTM_GETADDR, NetlinkSocket.NLM_F_DUMP);
        long body = netlink.body(IFADDRMSG_SIZE);
        netlink.request().set(JAVA_BYTE, body, (byte) family);
        List<Entry> entries = new ArrayList<>();
        MemorySegment message = netlink.response();
        int errno = netlink.exchange(call, RequiredCapability.NONE, (type, offset, length) -> {
            long header = offset + NetlinkSocket.NLMSG_HDRLEN; // struct ifaddrmsg { u8 family, prefixlen, flags, scope; u32 index; }
            if (type != NetlinkSocket.RTM_NEWADDR || message.get(JAVA_BYTE, header) != family
                    || message.get(JAVA_INT, header + 4) != index) {
                return; // without strict checking the kernel dumps every interface
            }
            int prefixLength = message.get(JAVA_BYTE, header + 1) & 0xff;
            int[] flags = {message.get(JAVA_BYTE, header + 2) & 0xff};
            byte[][] local = new byte[1][];
            byte[][] address = new byte[1][];
            NetlinkSocket.forEachAttribute(message, header + IFADDRMSG_SIZE, offset + length, (attribute, data, dataLength) -> {
                switch (attribute) {
                    case IFA_LOCAL -> local[0] = NetlinkSocket.bytes(message, data, dataLength);
                    case IFA_ADDRESS -> address[0] = NetlinkSocket.bytes(message, data, dataLength);
                    case IFA_FLAGS -> flags[0] = message.get(JAVA_INT, data); // the full 32-bit flags
                    default -> { }
                }
            });
            // IFA_LOCAL is the interface's own address; IFA_ADDRESS is the peer on point-to-point links.
            byte[] own = local[0] != null ? local[0] : address[0];
            if (own != null) {
                entries.add(new Entry(own, prefixLength, flags[0]));
            }
        });
        if (errno != 0) {
            throw new NativeException(call, errno, RequiredCapability.NONE, netlink.extendedAck());
        }
        return entries;
    }

    /**
     * Fails unless this process may add and remove addresses (CAP_NET_ADMIN over the socket's
     * network namespace), changing nothing either way: it sends an RTM_NEWADDR without an address,
     * which the kernel refuses with EPERM before reading it when the capability is missing, and as
     * invalid (EINVAL) when it is there. A node checks this at start: without the capability it
     * would become Active and advertise while unable to add its virtual addresses, and the Backup
     * would defer to an Active that takes the traffic nowhere.
     */
    public synchronized void checkAddressChangesPermitted() throws NativeException {
        String call = "RTM_NEWADDR (checking that virtual addresses can be added)";
        netlink.begin(NetlinkSocket.RTM_NEWADDR, NetlinkSocket.NLM_F_ACK);
        long body = netlink.body(IFADDRMSG_SIZE); // interface index 0 and no IFA_LOCAL: invalid on purpose
        netlink.request().set(JAVA_BYTE, body, (byte) LinuxSyscalls.AF_INET);
        int errno = netlink.exchange(call, RequiredCapability.CAP_NET_ADMIN, null);
        if (errno == Errno.EPERM.value() || errno == Errno.EACCES.value()) {
            throw new NativeException(call, errno, RequiredCapability.CAP_NET_ADMIN);
        }
    }

    /**
     * Adds {@code address/prefixLengthBits} to the interface. Returns true if added, false if it
     * was already there (EEXIST).
     */
    public synchronized boolean addAddress(String interfaceName, InetAddress address, int prefixLengthBits)
            throws NativeException {
        return addAddress(interfaceName, address, prefixLengthBits, AddressOptions.DEFAULT);
    }

    /**
     * {@link #addAddress(String, InetAddress, int)} with the label, broadcast address and scope of
     * {@code options} (IFA_LABEL, IFA_BROADCAST, ifa_scope; {@link AddressOptions#device()} is not
     * read: the address goes on {@code interfaceName}), as keepalived installs a
     * {@code virtual_ipaddress} line's options.
     */
    public synchronized boolean addAddress(String interfaceName, InetAddress address, int prefixLengthBits,
                                           AddressOptions options) throws NativeException {
        String call = "RTM_NEWADDR " + describe(address, prefixLengthBits) + " dev " + interfaceName;
        return addAddress(link(interfaceName, call).index(), interfaceName, address, prefixLengthBits, options);
    }

    /**
     * {@link #addAddress(String, InetAddress, int)} on the interface with index {@code interfaceIndex},
     * without looking it up first: on a takeover that lookup (RTM_GETLINK and its answer, parsed
     * cold) took 0.35–1.3 ms between the first advertisement and the gratuitous ARP.
     * {@code interfaceName} is for error messages.
     */
    public synchronized boolean addAddress(int interfaceIndex, String interfaceName, InetAddress address,
                                           int prefixLengthBits) throws NativeException {
        return addAddress(interfaceIndex, interfaceName, address, prefixLengthBits, AddressOptions.DEFAULT);
    }

    /** {@link #addAddress(int, String, InetAddress, int)} with {@code options}, as {@link #addAddress(String, InetAddress, int, AddressOptions)}. */
    public synchronized boolean addAddress(int interfaceIndex, String interfaceName, InetAddress address,
                                           int prefixLengthBits, AddressOptions options) throws NativeException {
        String call = "RTM_NEWADDR " + describe(address, prefixLengthBits) + " dev " + interfaceName;
        int errno = changeAddress(NetlinkSocket.RTM_NEWADDR, NetlinkSocket.NLM_F_CREATE | NetlinkSocket.NLM_F_EXCL,
                interfaceIndex, address, prefixLengthBits, options, call);
        if (errno == Errno.EEXIST.value()) {
            return false;
        }
        if (errno != 0) {
            throw new NativeException(call, errno, RequiredCapability.CAP_NET_ADMIN, netlink.extendedAck());
        }
        return true;
    }

    /**
     * Removes {@code address/prefixLengthBits} from the interface. Returns true if removed, false
     * if it was not there (EADDRNOTAVAIL).
     */
    public synchronized boolean deleteAddress(String interfaceName, InetAddress address, int prefixLengthBits)
            throws NativeException {
        String call = "RTM_DELADDR " + describe(address, prefixLengthBits) + " dev " + interfaceName;
        return deleteAddress(link(interfaceName, call).index(), interfaceName, address, prefixLengthBits);
    }

    /** {@link #deleteAddress(String, InetAddress, int)} by index, as {@link #addAddress(int, String, InetAddress, int)}. */
    public synchronized boolean deleteAddress(int interfaceIndex, String interfaceName, InetAddress address,
                                              int prefixLengthBits) throws NativeException {
        String call = "RTM_DELADDR " + describe(address, prefixLengthBits) + " dev " + interfaceName;
        // No label or scope: the kernel matches a removal on the address and prefix (and on a label only if given).
        int errno = changeAddress(NetlinkSocket.RTM_DELADDR, 0, interfaceIndex, address, prefixLengthBits,
                AddressOptions.DEFAULT, call);
        if (errno == Errno.EADDRNOTAVAIL.value()) {
            return false;
        }
        if (errno != 0) {
            throw new NativeException(call, errno, RequiredCapability.CAP_NET_ADMIN, netlink.extendedAck());
        }
        return true;
    }

    private int changeAddress(int type, int flags, int index, InetAddress address, int prefixLengthBits,
                              AddressOptions options, String call) throws NativeException {
        boolean ipv6 = address instanceof Inet6Address;
        int maxPrefix = ipv6 ? 128 : 32;
        if (prefixLengthBits < 0 || prefixLengthBits > maxPrefix) {
            throw new IllegalArgumentException("prefix length " + prefixLengthBits + " of " + address.getHostAddress()
                    + " out of range 0.." + maxPrefix);
        }
        netlink.begin(type, flags | NetlinkSocket.NLM_F_ACK);
        long body = netlink.body(IFADDRMSG_SIZE);
        MemorySegment request = netlink.request();
        request.set(JAVA_BYTE, body, (byte) (ipv6 ? LinuxSyscalls.AF_INET6 : LinuxSyscalls.AF_INET));
        request.set(JAVA_BYTE, body + 1, (byte) prefixLengthBits);
        request.set(JAVA_BYTE, body + 2, (byte) (ipv6 ? IFA_F_NODAD : 0));
        request.set(JAVA_BYTE, body + 3, (byte) options.scope()); // 0: RT_SCOPE_UNIVERSE
        request.set(JAVA_INT, body + 4, index);
        byte[] bytes = address.getAddress();
        netlink.attribute(IFA_LOCAL, bytes);
        netlink.attribute(IFA_ADDRESS, bytes); // as iproute2 does for a non-peer address
        if (ipv6) {
            netlink.attribute(IFA_FLAGS, IFA_F_NODAD);
        }
        if (options.broadcast() != null && !ipv6) {
            netlink.attribute(IFA_BROADCAST, options.broadcast().getAddress());
        }
        if (options.label() != null && !ipv6) {
            netlink.attribute(IFA_LABEL, options.label()); // NUL-terminated, as keepalived sends it
        }
        return netlink.exchange(call, RequiredCapability.CAP_NET_ADMIN, null);
    }

    // ---- routes and rules (keepalived virtual_routes / virtual_rules, static_routes / static_rules) ----

    private static final int RTMSG_SIZE = 12; // struct rtmsg
    private static final int FIB_RULE_HDR_SIZE = 12; // struct fib_rule_hdr
    private static final int RTA_DST = 1;
    private static final int RTA_OIF = 4;
    private static final int RTA_GATEWAY = 5;
    private static final int RTA_PRIORITY = 6;
    private static final int RTA_PREFSRC = 7;
    private static final int RTA_TABLE = 15;
    private static final int RT_SCOPE_NOWHERE = 255;
    private static final int FRA_DST = 1;
    private static final int FRA_SRC = 2;
    private static final int FRA_IIFNAME = 3;
    private static final int FRA_PRIORITY = 6;
    private static final int FRA_FWMARK = 10;
    private static final int FRA_TABLE = 15;
    private static final int FRA_FWMASK = 16;
    private static final int FRA_OIFNAME = 17;
    private static final int FRA_PROTOCOL = 21;

    /**
     * Adds the route, as keepalived does (without NLM_F_EXCL or NLM_F_REPLACE: iproute2's
     * {@code ip route prepend}). Returns true if added, false if the kernel already had it (EEXIST).
     * A {@code dev} that does not exist is ENODEV.
     */
    public synchronized boolean addRoute(IpRoute route) throws NativeException {
        String call = "RTM_NEWROUTE " + route;
        int errno = changeRoute(NetlinkSocket.RTM_NEWROUTE, NetlinkSocket.NLM_F_CREATE, route, call);
        if (errno == Errno.EEXIST.value()) {
            return false;
        }
        if (errno != 0) {
            throw new NativeException(call, errno, RequiredCapability.CAP_NET_ADMIN, netlink.extendedAck());
        }
        return true;
    }

    /**
     * Removes the route: only one with the same protocol, table, destination, gateway, device and
     * metric, so a route someone else installed stays. Returns false if there was none (ESRCH), or
     * if its device is gone (and the route with it).
     */
    public synchronized boolean deleteRoute(IpRoute route) throws NativeException {
        String call = "RTM_DELROUTE " + route;
        int errno;
        try {
            errno = changeRoute(NetlinkSocket.RTM_DELROUTE, 0, route, call);
        } catch (NativeException e) {
            if (e.errno() == Errno.ENODEV) {
                return false;
            }
            throw e;
        }
        if (errno == Errno.ESRCH.value()) {
            return false;
        }
        if (errno != 0) {
            throw new NativeException(call, errno, RequiredCapability.CAP_NET_ADMIN, netlink.extendedAck());
        }
        return true;
    }

    private int changeRoute(int type, int flags, IpRoute route, String call) throws NativeException {
        int deviceIndex = route.device() == null ? 0 : link(route.device(), call).index();
        netlink.begin(type, flags | NetlinkSocket.NLM_F_ACK);
        long body = netlink.body(RTMSG_SIZE);
        MemorySegment request = netlink.request();
        boolean ipv6 = route.family() == AddressFamily.IPV6;
        request.set(JAVA_BYTE, body, (byte) (ipv6 ? LinuxSyscalls.AF_INET6 : LinuxSyscalls.AF_INET));
        request.set(JAVA_BYTE, body + 1, (byte) route.destinationPrefixBits());
        // a table above 255 goes in RTA_TABLE only, with rtm_table RT_TABLE_UNSPEC
        request.set(JAVA_BYTE, body + 4, (byte) (route.table() < 256 ? route.table() : 0));
        request.set(JAVA_BYTE, body + 5, (byte) route.protocol());
        // a delete matches any scope, as keepalived asks
        request.set(JAVA_BYTE, body + 6, (byte) (type == NetlinkSocket.RTM_DELROUTE ? RT_SCOPE_NOWHERE : route.scope()));
        request.set(JAVA_BYTE, body + 7, (byte) route.type().rtnType());
        netlink.attribute(RTA_TABLE, (int) route.table());
        if (route.destinationPrefixBits() > 0) {
            netlink.attribute(RTA_DST, route.destination().getAddress());
        }
        if (route.preferredSource() != null) {
            netlink.attribute(RTA_PREFSRC, route.preferredSource().getAddress());
        }
        if (route.gateway() != null) {
            netlink.attribute(RTA_GATEWAY, route.gateway().getAddress());
        }
        if (deviceIndex != 0) {
            netlink.attribute(RTA_OIF, deviceIndex);
        }
        if (route.metric() >= 0) {
            netlink.attribute(RTA_PRIORITY, (int) route.metric());
        }
        return netlink.exchange(call, RequiredCapability.CAP_NET_ADMIN, null);
    }

    /** Adds the rule (NLM_F_EXCL, as keepalived). Returns true if added, false if it was there (EEXIST). */
    public synchronized boolean addRule(IpRule rule) throws NativeException {
        String call = "RTM_NEWRULE " + rule;
        int errno = changeRule(NetlinkSocket.RTM_NEWRULE, NetlinkSocket.NLM_F_CREATE | NetlinkSocket.NLM_F_EXCL, rule,
                call);
        if (errno == Errno.EEXIST.value()) {
            return false;
        }
        if (errno != 0) {
            throw new NativeException(call, errno, RequiredCapability.CAP_NET_ADMIN, netlink.extendedAck());
        }
        return true;
    }

    /**
     * Removes the rule: only one with the same selectors, action, priority and protocol. Returns
     * false if there was none (ENOENT).
     */
    public synchronized boolean deleteRule(IpRule rule) throws NativeException {
        String call = "RTM_DELRULE " + rule;
        int errno = changeRule(NetlinkSocket.RTM_DELRULE, 0, rule, call);
        if (errno == Errno.ENOENT.value()) {
            return false;
        }
        if (errno != 0) {
            throw new NativeException(call, errno, RequiredCapability.CAP_NET_ADMIN, netlink.extendedAck());
        }
        return true;
    }

    private int changeRule(int type, int flags, IpRule rule, String call) throws NativeException {
        netlink.begin(type, flags | NetlinkSocket.NLM_F_ACK);
        long body = netlink.body(FIB_RULE_HDR_SIZE);
        MemorySegment request = netlink.request();
        boolean ipv6 = rule.family() == AddressFamily.IPV6;
        request.set(JAVA_BYTE, body, (byte) (ipv6 ? LinuxSyscalls.AF_INET6 : LinuxSyscalls.AF_INET));
        request.set(JAVA_BYTE, body + 1, (byte) rule.toPrefixBits());
        request.set(JAVA_BYTE, body + 2, (byte) rule.fromPrefixBits());
        request.set(JAVA_BYTE, body + 4, (byte) (rule.table() < 256 ? rule.table() : 0));
        request.set(JAVA_BYTE, body + 7, (byte) rule.action().frAction());
        if (rule.action() == IpRule.Action.TABLE) {
            netlink.attribute(FRA_TABLE, (int) rule.table());
        }
        if (rule.from() != null) {
            netlink.attribute(FRA_SRC, rule.from().getAddress());
        }
        if (rule.to() != null) {
            netlink.attribute(FRA_DST, rule.to().getAddress());
        }
        netlink.attribute(FRA_PRIORITY, (int) rule.priority());
        if (rule.fwmark() >= 0) {
            netlink.attribute(FRA_FWMARK, (int) rule.fwmark());
        }
        if (rule.fwmask() >= 0) {
            netlink.attribute(FRA_FWMASK, (int) rule.fwmask());
        }
        if (rule.inputInterface() != null) {
            netlink.attribute(FRA_IIFNAME, rule.inputInterface());
        }
        if (rule.outputInterface() != null) {
            netlink.attribute(FRA_OIFNAME, rule.outputInterface());
        }
        netlink.attribute(FRA_PROTOCOL, new byte[] {(byte) IpRoute.PROTOCOL_KEEPALIVED});
        return netlink.exchange(call, RequiredCapability.CAP_NET_ADMIN, null);
    }

    private static String describe(InetAddress address, int prefixLengthBits) {
        String text = address.getHostAddress();
        int scope = text.indexOf('%');
        return (scope < 0 ? text : text.substring(0, scope)) + "/" + prefixLengthBits;
    }

    @Override
    public void close() {
        netlink.close();
    }

    @Override
    public String toString() {
        return netlink.toString();
    }
}
