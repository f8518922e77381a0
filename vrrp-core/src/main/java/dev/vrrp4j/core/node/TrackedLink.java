package dev.vrrp4j.core.node;

import java.util.ArrayList;
import java.util.List;

/** A tracked interface (keepalived {@code track_interface}) and the routers that fault while it is down. */
final class TrackedLink {
    final String name;
    boolean up = true;
    final List<NodeRouter> routers = new ArrayList<>();

    TrackedLink(String name) {
        this.name = name;
    }

    /** This interface, its link state kept, with no router tracking it yet (a reload re-links them). */
    TrackedLink reset() {
        routers.clear();
        return this;
    }
}
