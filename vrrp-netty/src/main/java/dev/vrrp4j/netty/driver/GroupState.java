package dev.vrrp4j.netty.driver;

import dev.vrrp4j.core.router.State;

import java.util.ArrayList;
import java.util.List;

/** A sync group as the driver runs it: its members and the group state last reported. */
final class GroupState {
    final String name;
    final List<RouterSlot> members = new ArrayList<>();
    State reported = State.INITIALIZE;

    GroupState(String name) {
        this.name = name;
    }

    /** All Active, all Backup, all stopped, or Fault if any is; null while members disagree otherwise. */
    State current() {
        boolean allActive = true;
        boolean allBackup = true;
        boolean allStopped = true;
        for (RouterSlot member : members) {
            State state = member.router.state();
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
