package dev.vrrp4j.netty.driver;

import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.VirtualAddress;
import dev.vrrp4j.netty.transport.AddressEvent;
import dev.vrrp4j.netty.transport.AddressMonitor;
import dev.vrrp4j.netty.transport.NativeException;
import dev.vrrp4j.netty.transport.RtNetlink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * Puts back a virtual address that someone else (NetworkManager, systemd-networkd, an operator)
 * removed from an Active router's interface, or from the interface its {@code dev} names, and
 * announces it again, as keepalived does; an address marked {@code no_track} is left removed until
 * the router next becomes Active, as keepalived leaves it. The
 * driver removes addresses only when a router leaves Active, after the router's state has changed,
 * so a removal seen while the router is still Active is never our own and is never fought twice.
 *
 * <p>Runs on the event loop: {@link #onReadable()} when the {@link AddressMonitor} is readable.
 */
final class AddressHealer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AddressHealer.class);

    private final AddressMonitor monitor;
    private final Collection<InterfacePort> ports;
    private final RtNetlink netlink;
    private final EffectRunner effects;
    private long restored;

    AddressHealer(NodeSockets sockets, EffectRunner effects) {
        this.monitor = sockets.addressMonitor;
        this.ports = sockets.ports.values();
        this.netlink = sockets.netlink;
        this.effects = effects;
    }

    int fd() {
        return monitor.fd();
    }

    /** How many virtual addresses were put back since start. */
    long restored() {
        return restored;
    }

    void onReadable() {
        List<AddressEvent> events;
        try {
            events = monitor.poll();
        } catch (NativeException e) {
            LOG.warn("reading address changes failed: {}", e.getMessage());
            return;
        }
        for (AddressEvent event : events) {
            switch (event.kind()) {
                case REMOVED -> onRemoved(event);
                case OVERFLOW -> restoreAll();
                case ADDED -> { }
            }
        }
    }

    private void onRemoved(AddressEvent event) {
        byte[] removed = event.address().getAddress();
        for (InterfacePort port : ports) {
            for (DriverRouter router : port.routers) {
                if (router.router.state() != State.ACTIVE) {
                    continue;
                }
                restoreIfRemoved(router, port, router.config().virtualAddresses(), event, removed, "virtual");
                restoreIfRemoved(router, port, router.router.spec().excludedAddresses(), event, removed, "excluded");
            }
        }
    }

    private void restoreIfRemoved(DriverRouter router, InterfacePort port, List<VirtualAddress> addresses,
                                  AddressEvent event, byte[] removed, String kind) {
        for (VirtualAddress vip : addresses) {
            // keepalived's no_track: an address removed by someone else stays removed until the next takeover
            if (vip.options().noTrack() || !Arrays.equals(vip.address().getAddress(), removed)
                    || !onInterface(port, vip, event.interfaceIndex())) {
                continue;
            }
            LOG.warn("{}: {} address {} was removed from {} by another process while Active;"
                    + " adding it back and announcing it", router.name(), kind, vip, vip.options().deviceOr(port.name));
            restore(router, vip);
        }
    }

    /** Whether {@code vip} belongs on the interface with {@code index}: the router's own, or the one its {@code dev} names. */
    private boolean onInterface(InterfacePort port, VirtualAddress vip, int index) {
        if (!vip.options().onOtherDevice(port.name)) {
            return port.index == index;
        }
        try {
            return netlink.link(vip.options().device()).index() == index; // rare: only when such an address went
        } catch (NativeException e) {
            return false; // its interface is gone, and the address with it
        }
    }

    /** Notifications were lost: make sure every Active router still holds its addresses. */
    private void restoreAll() {
        for (InterfacePort port : ports) {
            for (DriverRouter router : port.routers) {
                if (router.router.state() == State.ACTIVE) {
                    for (VirtualAddress vip : router.router.spec().installedAddresses()) {
                        if (!vip.options().noTrack()) {
                            restore(router, vip);
                        }
                    }
                }
            }
        }
    }

    private void restore(DriverRouter router, VirtualAddress vip) {
        InterfacePort port = router.port;
        boolean elsewhere = vip.options().onOtherDevice(port.name);
        String device = vip.options().deviceOr(port.name);
        try {
            boolean added = elsewhere
                    ? netlink.addAddress(device, vip.address(), vip.prefixLength(), vip.options())
                    : netlink.addAddress(port.index, port.name, vip.address(), vip.prefixLength(), vip.options());
            if (added) {
                restored++;
                router.counters().addressRestored();
                effects.announceBurst(router);
            }
        } catch (NativeException e) {
            LOG.error("{}: adding back {} on {} failed: {}", router.name(), vip, device, e.getMessage());
        }
    }

    @Override
    public void close() {
        monitor.close();
    }
}
