package dev.vrrp4j.core.node;

import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.TransitionReason;

import java.util.ArrayList;
import java.util.List;

/** A sync group as the node runs it: its members and the group state last reported. */
final class SyncGroupState {
    final String name;
    final List<NodeRouter> members = new ArrayList<>();
    State reported = State.INITIALIZE;
    /** Members queued by one change whose actions are not all out yet: the group waits for them. */
    int pendingMembers;
    /** The reason of the latest change of a member, reported with the group's change. */
    TransitionReason lastReason;

    SyncGroupState(String name) {
        this.name = name;
    }

    /** All Active, all Backup, all stopped, or Fault if any is; null while members disagree otherwise. */
    State current() {
        boolean allActive = true;
        boolean allBackup = true;
        boolean allStopped = true;
        for (NodeRouter member : members) {
            State state = member.state();
            if (state == State.FAULT) {
                return State.FAULT;
            }
            allActive &= state == State.ACTIVE;
            allBackup &= state == State.BACKUP;
            allStopped &= state == State.INITIALIZE;
        }
        return allActive ? State.ACTIVE : allBackup ? State.BACKUP : allStopped ? State.INITIALIZE : null;
    }
}
