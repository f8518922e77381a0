/**
 * The Linux native layer of vrrp4j: raw IP protocol 112 sockets for VRRP advertisements
 * (RFC 9568 §5), gratuitous ARP and unsolicited neighbor advertisements announcing virtual
 * addresses (§6.4.2), and rtnetlink for adding and removing them and watching links. Written with
 * the Foreign Function and Memory API; nothing outside this package sees a {@code MemorySegment}.
 *
 * <p>Every socket is opened with SOCK_NONBLOCK | SOCK_CLOEXEC, in the network namespace of the
 * opening thread, and reports failures as {@link dev.vrrp4j.netty.transport.NativeException}
 * naming the call, the errno and, for permission failures, the capability to grant.
 *
 * <p><b>Event loop integration.</b> Every readable descriptor (VRRP receive sockets for both
 * families, the link monitor) is watched through {@link dev.vrrp4j.netty.transport.EpollReadinessRegistration},
 * Netty 4.2's {@code IoEventLoop.register(EpollIoHandle)}, and read with this package's own
 * recvmsg. {@code new EpollDatagramChannel(fd)} does accept a raw IPv4 socket and delivers the
 * packet with its IP header, but it cannot deliver the IPv6 hop limit and destination (ancillary
 * data) that RFC 9568 §7.1 checks, allocates a {@code DatagramPacket} per packet, and cannot take
 * netlink sockets; one mechanism for all descriptors is simpler to reason about and to test, and
 * keeps the receive path allocation-free. Sending never waits (a full socket buffer drops the
 * datagram and says so), so send-only sockets are not registered at all.
 */
package dev.vrrp4j.netty.transport;
