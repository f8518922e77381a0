package dev.vrrp4j.netty.transport;

import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * Watches one interface for up / down / removed changes through an rtnetlink socket subscribed to
 * RTNLGRP_LINK, so the driver can move a router to Initialize when its interface fails and back
 * when it recovers (RFC 9568 §6.4, keepalived's "interface down -> FAULT").
 *
 * <p>The socket is non-blocking: register {@link #fd()} for readability (see
 * {@link EpollReadinessRegistration}) and call {@link #poll()} when it fires. The kernel sends an
 * RTM_NEWLINK for many changes that do not matter here (statistics, MTU, addresses of other
 * layers); only changes of {@link LinkEvent.State} are reported. If the kernel drops events
 * because the socket fell behind (ENOBUFS), the monitor re-reads the interface's state.
 *
 * <p>Not thread-safe: use it from one thread (the event loop).
 */
public final class LinkMonitor implements AutoCloseable {
    private final String interfaceName;
    private final String receiveCall;
    private final NetlinkSocket events;
    private final RtNetlink queries;
    private int index;
    private LinkEvent.State state;

    private LinkMonitor(String interfaceName, NetlinkSocket events, RtNetlink queries) {
        this.interfaceName = interfaceName;
        this.receiveCall = "link monitor " + interfaceName;
        this.events = events;
        this.queries = queries;
    }

    /**
     * Starts watching {@code interfaceName} in the calling thread's network namespace. The
     * interface need not exist yet: its state is then {@link LinkEvent.State#REMOVED} until it appears.
     */
    public static LinkMonitor open(String interfaceName) throws NativeException {
        LinuxSyscalls.checkInterfaceName(interfaceName);
        // Subscribe before reading the state, so no change falls between the two.
        NetlinkSocket events = NetlinkSocket.open(NetlinkSocket.RTMGRP_LINK, "link monitor socket for " + interfaceName);
        RtNetlink queries = null;
        try {
            queries = RtNetlink.open();
            LinkMonitor monitor = new LinkMonitor(interfaceName, events, queries);
            monitor.resynchronize(null);
            return monitor;
        } catch (NativeException | RuntimeException e) {
            events.close();
            if (queries != null) {
                queries.close();
            }
            throw e;
        }
    }

    /** The descriptor to wait on for readability. */
    public int fd() {
        return events.fd();
    }

    /** The watched interface's name. */
    public String interfaceName() {
        return interfaceName;
    }

    /** The state as of the last {@link #poll()} (or of opening). */
    public LinkEvent.State state() {
        return state;
    }

    /**
     * Reads every pending notification without blocking and returns the state changes of the
     * watched interface, oldest first; empty when nothing changed.
     */
    public List<LinkEvent> poll() throws NativeException {
        List<LinkEvent> changes = null;
        while (true) {
            int length;
            try {
                length = events.receive(receiveCall);
            } catch (NativeException e) {
                if (e.errno() != Errno.ENOBUFS) {
                    throw e;
                }
                changes = resynchronize(changes);
                continue;
            }
            if (length < 0) {
                return changes == null ? List.of() : changes;
            }
            changes = parse(events.response(), length, changes);
        }
    }

    private List<LinkEvent> parse(MemorySegment messages, int length, List<LinkEvent> changes) {
        long offset = 0;
        while (offset + NetlinkSocket.NLMSG_HDRLEN <= length) {
            int messageLength = messages.get(JAVA_INT, offset);
            if (messageLength < NetlinkSocket.NLMSG_HDRLEN || offset + messageLength > length) {
                break;
            }
            int type = messages.get(JAVA_SHORT, offset + 4) & 0xffff;
            if (type == NetlinkSocket.RTM_NEWLINK || type == NetlinkSocket.RTM_DELLINK) {
                LinkInfo link = RtNetlink.parseLink(messages, offset, messageLength);
                if (link != null && link.name().equals(interfaceName)) {
                    LinkEvent.State next = type == NetlinkSocket.RTM_DELLINK ? LinkEvent.State.REMOVED
                            : link.operational() ? LinkEvent.State.UP : LinkEvent.State.DOWN;
                    changes = update(link.index(), next, changes);
                } else if (link != null && link.index() == index && type == NetlinkSocket.RTM_NEWLINK) {
                    changes = update(index, LinkEvent.State.REMOVED, changes); // renamed away
                }
            }
            offset += NetlinkSocket.align(messageLength);
        }
        return changes;
    }

    private List<LinkEvent> resynchronize(List<LinkEvent> changes) throws NativeException {
        try {
            LinkInfo link = queries.link(interfaceName);
            return update(link.index(), link.operational() ? LinkEvent.State.UP : LinkEvent.State.DOWN, changes);
        } catch (NativeException e) {
            if (e.errno() != Errno.ENODEV) {
                throw e;
            }
            return update(index, LinkEvent.State.REMOVED, changes);
        }
    }

    private List<LinkEvent> update(int newIndex, LinkEvent.State next, List<LinkEvent> changes) {
        boolean first = state == null;
        index = newIndex;
        if (next == state) {
            return changes;
        }
        state = next;
        if (first) {
            return changes; // the initial state is not a change
        }
        List<LinkEvent> list = changes == null ? new ArrayList<>(2) : changes;
        list.add(new LinkEvent(interfaceName, newIndex, next));
        return list;
    }

    @Override
    public void close() {
        events.close();
        queries.close();
    }

    @Override
    public String toString() {
        return "LinkMonitor[" + interfaceName + " " + state + "]";
    }
}
