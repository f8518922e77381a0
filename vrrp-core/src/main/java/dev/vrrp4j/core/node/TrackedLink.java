package dev.vrrp4j.core.node;

import java.util.ArrayList;
import java.util.List;

/**
 * A tracked interface (keepalived {@code track_interface}) and the routers that track it: to fault
 * while it is down, or with a weight ({@link Weighted}).
 */
final class TrackedLink {
    /** A router's weighted tracking of a link ({@link TrackedInterfaceSpec}). */
    record Weighted(TrackedLink link, int weight) {}

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
