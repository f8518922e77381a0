package dev.vrrp4j.netty.driver;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.netty.transport.ArpWatchSocket;
import dev.vrrp4j.netty.transport.EpollReadinessRegistration;
import dev.vrrp4j.netty.transport.GratuitousArpSender;
import dev.vrrp4j.netty.transport.LinkMonitor;
import dev.vrrp4j.netty.transport.NeighborAdvertisementSender;
import dev.vrrp4j.netty.transport.VrrpReceiveSocket;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything the driver holds for one interface: the receive sockets shared by all virtual
 * routers on it (demultiplexed by VRID), the announcers, the ARP watch and the link monitor.
 */
final class InterfacePort {
    final String name;
    /** The interface's index, for address changes without a lookup on the takeover path. */
    final int index;
    VrrpReceiveSocket receive4;
    VrrpReceiveSocket receive6;
    GratuitousArpSender arp;
    /** Every ARP packet on the interface, for address conflicts; open while the port has IPv4 routers. */
    ArpWatchSocket arpWatch;
    /** The interface's MAC (48 bits), so our own ARP is not taken for a conflict. */
    long mac = -1;
    NeighborAdvertisementSender neighborAdvertiser;
    LinkMonitor linkMonitor;
    boolean linkUp = true;
    /** Routers by VRID, one table per family (RFC 9568 §1: the families are independent). */
    final RouterSlot[] ipv4Routers = new RouterSlot[256];
    final RouterSlot[] ipv6Routers = new RouterSlot[256];
    final List<RouterSlot> routers = new ArrayList<>();
    final List<EpollReadinessRegistration> registrations = new ArrayList<>();

    InterfacePort(String name, int index) {
        this.name = name;
        this.index = index;
    }

    RouterSlot[] table(AddressFamily family) {
        return family == AddressFamily.IPV4 ? ipv4Routers : ipv6Routers;
    }
}
