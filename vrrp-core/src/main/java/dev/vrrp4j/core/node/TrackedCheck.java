package dev.vrrp4j.core.node;

import dev.vrrp4j.core.health.CheckState;

import java.util.ArrayList;
import java.util.List;

/** One distinct check of the node: its rise/fall state and the routers that track it. */
final class TrackedCheck {
    final TrackedCheckSpec spec;
    final CheckState state;
    final List<NodeRouter> routers = new ArrayList<>();

    TrackedCheck(TrackedCheckSpec spec) {
        this.spec = spec;
        this.state = new CheckState(spec.name(), spec.policy(), true);
    }

    /** This check, its state kept, with no router tracking it yet (a reload re-links them). */
    TrackedCheck reset() {
        routers.clear();
        return this;
    }
}
