package dev.vrrp4j.netty;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.TransitionReason;

import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One state change of one virtual router (RFC 9568 §6.4), as a {@link FailoverListener} receives
 * it. A {@link SyncGroup}'s own changes arrive as {@link GroupEvent}s.
 */
public final class RouterEvent implements VrrpEvent {
    private final String routerName;
    private final int vrid;
    private final AddressFamily family;
    private final State from;
    private final State to;
    private final TransitionReason reason;
    private final int priority;
    private final Instant at;
    private final Supplier<State> currentState;

    /**
     * The node makes these; the constructor is public so that an application can test its
     * listener without a network.
     *
     * @param currentState what {@link #currentState()} answers: the router's live state
     */
    public RouterEvent(String routerName, int vrid, AddressFamily family, State from, State to,
                       TransitionReason reason, int priority, Instant at, Supplier<State> currentState) {
        this.routerName = Objects.requireNonNull(routerName, "routerName");
        this.vrid = vrid;
        this.family = Objects.requireNonNull(family, "family");
        this.from = Objects.requireNonNull(from, "from");
        this.to = Objects.requireNonNull(to, "to");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.priority = priority;
        this.at = Objects.requireNonNull(at, "at");
        this.currentState = Objects.requireNonNull(currentState, "currentState");
    }

    /** The router's name ({@code VI_1}). */
    public String routerName() {
        return routerName;
    }

    /** The router's name, as {@link #routerName()}. */
    @Override
    public String name() {
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
    @Override
    public Instant at() {
        return at;
    }

    /** The router's state at the moment of this call, which may differ from {@link #to()}. */
    public State currentState() {
        return currentState.get();
    }

    @Override
    public String toString() {
        return routerName + ": " + word(from) + " -> " + word(to) + " (" + reason.text() + ")";
    }

    /** The API's vocabulary in messages: Active, Backup, Fault, Initialize. */
    static String word(State state) {
        String name = state.name();
        return name.charAt(0) + name.substring(1).toLowerCase(java.util.Locale.ROOT);
    }
}
