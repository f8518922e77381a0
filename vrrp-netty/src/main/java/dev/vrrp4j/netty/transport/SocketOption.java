package dev.vrrp4j.netty.transport;

/**
 * The socket options the transport sets, with their level and number from this machine's headers
 * ({@code <asm-generic/socket.h>}, {@code <bits/in.h>}, {@code <linux/in6.h>}, {@code <linux/netlink.h>},
 * {@code <netinet/icmp6.h>}), so an error message can name them.
 */
enum SocketOption {
    SO_RCVBUF(Level.SOL_SOCKET, 8),
    // Like SO_RCVBUF but may exceed net.core.rmem_max; needs CAP_NET_ADMIN (net/core/sock.c).
    SO_RCVBUFFORCE(Level.SOL_SOCKET, 33, RequiredCapability.CAP_NET_ADMIN),
    // Re-binding a bound socket needs CAP_NET_RAW (net/core/sock.c).
    SO_BINDTODEVICE(Level.SOL_SOCKET, 25, RequiredCapability.CAP_NET_RAW),
    SO_ATTACH_FILTER(Level.SOL_SOCKET, 26),
    // Stamp each received packet with its arrival time (CLOCK_REALTIME, struct timespec) as ancillary data.
    SO_TIMESTAMPNS(Level.SOL_SOCKET, 35),
    IP_TOS(Level.IPPROTO_IP, 1),
    IP_TTL(Level.IPPROTO_IP, 2),
    IP_MULTICAST_IF(Level.IPPROTO_IP, 32),
    IP_MULTICAST_TTL(Level.IPPROTO_IP, 33),
    IP_MULTICAST_LOOP(Level.IPPROTO_IP, 34),
    IP_ADD_MEMBERSHIP(Level.IPPROTO_IP, 35),
    IP_MULTICAST_ALL(Level.IPPROTO_IP, 49),
    IPV6_CHECKSUM(Level.IPPROTO_IPV6, 7),
    IPV6_UNICAST_HOPS(Level.IPPROTO_IPV6, 16),
    IPV6_MULTICAST_IF(Level.IPPROTO_IPV6, 17),
    IPV6_MULTICAST_HOPS(Level.IPPROTO_IPV6, 18),
    IPV6_MULTICAST_LOOP(Level.IPPROTO_IPV6, 19),
    IPV6_JOIN_GROUP(Level.IPPROTO_IPV6, 20),
    IPV6_MULTICAST_ALL(Level.IPPROTO_IPV6, 29),
    IPV6_RECVPKTINFO(Level.IPPROTO_IPV6, 49),
    IPV6_RECVHOPLIMIT(Level.IPPROTO_IPV6, 51),
    IPV6_TCLASS(Level.IPPROTO_IPV6, 67),
    ICMP6_FILTER(Level.IPPROTO_ICMPV6, 1),
    NETLINK_CAP_ACK(Level.SOL_NETLINK, 10),
    NETLINK_EXT_ACK(Level.SOL_NETLINK, 11);

    /** Ancillary data types (cmsg_type) under IPPROTO_IPV6 that recvmsg(2) returns. */
    static final int IPV6_PKTINFO = 50;
    static final int IPV6_HOPLIMIT = 52;
    /** The ancillary data type (cmsg_type) under SOL_SOCKET that SO_TIMESTAMPNS produces. */
    static final int SCM_TIMESTAMPNS = 35;

    enum Level {
        SOL_SOCKET(1), IPPROTO_IP(0), IPPROTO_IPV6(41), IPPROTO_ICMPV6(58), SOL_NETLINK(270);

        final int value;

        Level(int value) {
            this.value = value;
        }
    }

    private final Level level;
    private final int option;
    private final RequiredCapability capability;

    SocketOption(Level level, int option) {
        this(level, option, RequiredCapability.NONE);
    }

    SocketOption(Level level, int option, RequiredCapability capability) {
        this.level = level;
        this.option = option;
        this.capability = capability;
    }

    int level() {
        return level.value;
    }

    String levelName() {
        return level.name();
    }

    int option() {
        return option;
    }

    RequiredCapability capability() {
        return capability;
    }
}
