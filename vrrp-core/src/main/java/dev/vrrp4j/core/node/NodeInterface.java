package dev.vrrp4j.core.node;

import dev.vrrp4j.core.packet.AddressFamily;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One interface of a node: its routers by VRID, one table per family (RFC 9568 §1: the families
 * are independent), and its link state. The driver keeps this handle beside its sockets and names
 * the interface with it on every input, so the hot path needs no lookup by name.
 */
public final class NodeInterface {
    private final String name;
    private final NodeRouter[] ipv4Routers = new NodeRouter[256];
    private final NodeRouter[] ipv6Routers = new NodeRouter[256];
    final List<NodeRouter> routers = new ArrayList<>();
    boolean linkUp = true;
    /** False while the interface does not exist ({@link LinkState#REMOVED}). */
    boolean present = true;

    NodeInterface(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** The link state the node last learned; up until told otherwise. */
    public boolean linkUp() {
        return linkUp;
    }

    /** Its routers, in configuration order. */
    public List<NodeRouter> routers() {
        return Collections.unmodifiableList(routers);
    }

    /** Whether any router on it runs {@code family}: the driver opens that family's sockets only then. */
    public boolean hasFamily(AddressFamily family) {
        for (NodeRouter router : routers) {
            if (router.config().family() == family) {
                return true;
            }
        }
        return false;
    }

    /** How many routers of {@code family} it runs. */
    public int routerCount(AddressFamily family) {
        int count = 0;
        for (NodeRouter router : routers) {
            count += router.config().family() == family ? 1 : 0;
        }
        return count;
    }

    /** The router of {@code family} with this VRID, or null. Allocates nothing. */
    public NodeRouter router(AddressFamily family, int vrid) {
        return table(family)[vrid & 0xff];
    }

    NodeRouter[] table(AddressFamily family) {
        return family == AddressFamily.IPV4 ? ipv4Routers : ipv6Routers;
    }

    @Override
    public String toString() {
        return name;
    }
}
