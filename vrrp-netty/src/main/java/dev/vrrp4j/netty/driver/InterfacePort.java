package dev.vrrp4j.netty.driver;

import dev.vrrp4j.core.node.LinkState;
import dev.vrrp4j.core.node.NodeInterface;
import dev.vrrp4j.netty.transport.ArpWatchSocket;
import dev.vrrp4j.netty.transport.EpollReadinessRegistration;
import dev.vrrp4j.netty.transport.GratuitousArpSender;
import dev.vrrp4j.netty.transport.LinkMonitor;
import dev.vrrp4j.netty.transport.NeighborAdvertisementSender;
import dev.vrrp4j.netty.transport.VrrpReceiveSocket;

import java.util.ArrayList;
import java.util.List;

/**
 * The sockets of one interface routers run on: the receive sockets shared by all of them (the
 * {@link dev.vrrp4j.core.node.Node} demultiplexes by VRID), the announcers, the ARP watch and the
 * link monitor, beside the node's handle for the interface.
 */
final class InterfacePort {
    final String name;
    /** The interface's index, for address changes without a lookup on the takeover path; -1 while absent. */
    int index;
    /**
     * Whether the interface exists. One that is missing at start, or deleted later, has only its
     * link monitor open (its routers are in Fault); when it appears its sockets are opened.
     */
    boolean present = true;
    /** The node's handle, named on every input from this interface. */
    NodeInterface iface;
    VrrpReceiveSocket receive4;
    VrrpReceiveSocket receive6;
    GratuitousArpSender arp;
    /** Every ARP packet on the interface, for address conflicts; open while the port has IPv4 routers. */
    ArpWatchSocket arpWatch;
    /** The interface's MAC (48 bits), so our own ARP is not taken for a conflict. */
    long mac = -1;
    NeighborAdvertisementSender neighborAdvertiser;
    LinkMonitor linkMonitor;
    boolean linkUpAtStart = true;

    /** What the node is told of the link when the port is added: gone, up or down. */
    LinkState linkStateAtStart() {
        return !present ? LinkState.REMOVED : linkUpAtStart ? LinkState.UP : LinkState.DOWN;
    }
    final List<DriverRouter> routers = new ArrayList<>();
    /** The sockets' registrations on the loop; the link monitor's is {@link #linkRegistration}. */
    final List<EpollReadinessRegistration> registrations = new ArrayList<>();
    EpollReadinessRegistration linkRegistration;

    InterfacePort(String name, int index) {
        this.name = name;
        this.index = index;
    }
}
