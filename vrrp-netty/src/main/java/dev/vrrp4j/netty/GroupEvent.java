package dev.vrrp4j.netty;

import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.TransitionReason;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * A change of a {@link SyncGroup}'s state, reported once per change: all members Active, all
 * Backup, one of them in Fault (then all are), or all stopped ({@link State#INITIALIZE}, the node
 * closed). The members' own {@link RouterEvent}s still arrive as well.
 */
public final class GroupEvent implements VrrpEvent {
    private final String groupName;
    private final List<String> routers;
    private final State from;
    private final State to;
    private final TransitionReason reason;
    private final Instant at;
    private final Supplier<State> currentState;

    /**
     * The node makes these; the constructor is public so that an application can test its
     * listener without a network.
     *
     * @param routers      the group's members, in the group's order
     * @param reason       the reason of the member change that moved the group
     * @param currentState what {@link #currentState()} answers: the group's live state
     */
    public GroupEvent(String groupName, List<String> routers, State from, State to, TransitionReason reason,
                      Instant at, Supplier<State> currentState) {
        this.groupName = Objects.requireNonNull(groupName, "groupName");
        this.routers = List.copyOf(routers);
        this.from = Objects.requireNonNull(from, "from");
        this.to = Objects.requireNonNull(to, "to");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.at = Objects.requireNonNull(at, "at");
        this.currentState = Objects.requireNonNull(currentState, "currentState");
    }

    /** The group's name ({@code VG_1}). */
    public String groupName() {
        return groupName;
    }

    /** The group's name, as {@link #groupName()}. */
    @Override
    public String name() {
        return groupName;
    }

    /** The names of the group's routers. */
    public List<String> routers() {
        return routers;
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

    /** Wall-clock time of the change. */
    @Override
    public Instant at() {
        return at;
    }

    /** The group's state at the moment of this call, which may differ from {@link #to()}. */
    public State currentState() {
        return currentState.get();
    }

    @Override
    public String toString() {
        return "sync group " + groupName + ": " + RouterEvent.word(from) + " -> " + RouterEvent.word(to) + " ("
                + reason.text() + ")";
    }
}
