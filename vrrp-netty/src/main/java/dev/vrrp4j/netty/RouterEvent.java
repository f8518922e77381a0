package dev.vrrp4j.netty;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.TransitionReason;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One state change of one virtual router, as a {@link FailoverListener} receives it; or of a
 * {@link SyncGroup}, for a group's listener (then the name is the group's, the VRID 0 and the family
 * null).
 */
public final class RouterEvent {
    private final String routerName;
    private final int vrid;
    private final AddressFamily family;
    private final State from;
    private final State to;
    private final TransitionReason reason;
    private final int priority;
    private final Instant at;
    private final Supplier<State> currentState;

    RouterEvent(String routerName, int vrid, AddressFamily family, State from, State to, TransitionReason reason,
                int priority, Instant at, Supplier<State> currentState) {
        this.routerName = Objects.requireNonNull(routerName);
        this.vrid = vrid;
        this.family = family;
        this.from = from;
        this.to = to;
        this.reason = reason;
        this.priority = priority;
        this.at = at;
        this.currentState = currentState;
    }

    /** Whether this reports a {@link SyncGroup}'s transition rather than one router's. */
    public boolean isGroup() {
        return family == null;
    }

    /** The router's name ({@code VI_1}), or the sync group's. */
    public String routerName() {
        return routerName;
    }

    public int vrid() {
        return vrid;
    }

    public AddressFamily family() {
        return family;
    }

    public State from() {
        return from;
    }

    /** The state this event reports; see {@link #currentState()} for the state now. */
    public State to() {
        return to;
    }

    public TransitionReason reason() {
        return reason;
    }

    /** The router's priority when the change happened. */
    public int priority() {
        return priority;
    }

    /** Wall-clock time of the change. */
    public Instant at() {
        return at;
    }

    /** The router's state at the moment of this call, which may differ from {@link #to()}. */
    public State currentState() {
        return currentState.get();
    }

    @Override
    public String toString() {
        return routerName + ": " + from.keepalivedName() + " -> " + to.keepalivedName() + " (" + reason.text() + ")";
    }
}
