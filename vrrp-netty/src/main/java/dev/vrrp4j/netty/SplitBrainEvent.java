package dev.vrrp4j.netty;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.SplitBrainKind;

import java.net.InetAddress;
import java.time.Instant;
import java.util.Objects;

/**
 * The start of a split-brain episode of one virtual router, as {@link FailoverListener#onSplitBrain}
 * receives it: while this router was Active, someone else acted as Active too. Reported once per
 * episode; an episode ends when the router leaves Active or sees no further evidence for one
 * Active_Down_Interval (RFC 9568 §6.1). {@link VrrpNode#status()} counts them.
 *
 * <ul>
 *   <li>{@link SplitBrainKind#ADVERTISEMENT}: another router advertised our VRID with a non-zero
 *       priority. RFC 9568 §6.4.3 resolves it: {@link #yielding()} says whether this router gave way
 *       (the other has the higher priority, or the same and the higher address) or kept Active.
 *       Typical causes: a network partition that healed, a link that works in one direction only,
 *       a paused process, or two configurations sharing a VRID by mistake.</li>
 *   <li>{@link SplitBrainKind#ADDRESS_CONFLICT}: an ARP packet claimed one of our IPv4 virtual
 *       addresses from another MAC: a host (not necessarily a VRRP router) has the address
 *       configured. VRRP cannot resolve this; the router keeps the address.</li>
 * </ul>
 *
 * @param routerName    the router's name ({@code VI_1})
 * @param vrid          its VRID
 * @param family        its address family
 * @param kind          what the evidence was
 * @param otherAddress  the other router's address ({@code ADVERTISEMENT}), or our virtual address that
 *                      was claimed ({@code ADDRESS_CONFLICT})
 * @param otherPriority the other router's advertised priority; 0 for an address conflict
 * @param otherMac      the other host's MAC ({@code aa:bb:cc:dd:ee:ff}) for an address conflict; null otherwise
 * @param ourAddress    this router's primary address
 * @param ourPriority   this router's priority at the time
 * @param yielding      whether this router stepped down because of it
 * @param at            wall-clock time of the evidence
 */
public record SplitBrainEvent(String routerName, int vrid, AddressFamily family, SplitBrainKind kind,
                              InetAddress otherAddress, int otherPriority, String otherMac, InetAddress ourAddress,
                              int ourPriority, boolean yielding, Instant at) implements VrrpEvent {
    public SplitBrainEvent {
        Objects.requireNonNull(routerName, "routerName");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(otherAddress, "otherAddress");
        Objects.requireNonNull(at, "at");
    }

    /** The router's name, as {@link #routerName()}. */
    @Override
    public String name() {
        return routerName;
    }

    /** The other party: a router's address, or a MAC for an address conflict. */
    public String other() {
        return kind == SplitBrainKind.ADVERTISEMENT ? otherAddress.getHostAddress() : otherMac;
    }

    @Override
    public String toString() {
        return kind == SplitBrainKind.ADVERTISEMENT
                ? routerName + ": split brain: " + otherAddress.getHostAddress() + " (priority " + otherPriority
                        + ") also claims Active; " + (yielding ? "stepped down" : "kept Active")
                : routerName + ": address conflict: " + otherMac + " claims " + otherAddress.getHostAddress();
    }
}
