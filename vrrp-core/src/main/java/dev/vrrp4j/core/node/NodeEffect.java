package dev.vrrp4j.core.node;

import dev.vrrp4j.core.router.Action;
import dev.vrrp4j.core.router.IpRoute;
import dev.vrrp4j.core.router.IpRule;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.TransitionReason;
import dev.vrrp4j.core.router.VirtualAddress;

import java.util.List;

/**
 * What a {@link Node} asks its driver to do, taken with {@link Node#poll()} and performed in order.
 * The order is the routers' ({@link Action}): on becoming Active a router's advertisement comes
 * first (RFC 9568 §6.4.2), then its addresses, their announcement, then its state change, and only
 * then what its sync group partners do.
 *
 * <p>The effects of the hot paths (an Active's periodic advertisement, and any address change or
 * announcement) are instances each router keeps, so performing them allocates nothing.
 */
public sealed interface NodeEffect {
    /** The router this effect is about, or null for a group's effect. */
    NodeRouter router();

    /** Send one advertisement with this priority (0 = leaving) to the group or the unicast peers. */
    record SendAdvertisement(NodeRouter router, int priority) implements NodeEffect {}

    /**
     * Install the router's virtual and excluded addresses ({@link RouterSpec#installedAddresses()}) on its
     * interface, then its routes and rules ({@link RouterSpec#routes()}, {@link RouterSpec#rules()}).
     */
    record AddVirtualAddresses(NodeRouter router) implements NodeEffect {}

    /**
     * Remove the router's rules and routes, then its virtual and excluded addresses from its interface
     * (and stop announcing them).
     */
    record RemoveVirtualAddresses(NodeRouter router) implements NodeEffect {}

    /**
     * Announce the router's virtual and excluded addresses (gratuitous ARP, unsolicited NA; RFC 9568
     * §6.4.2), each with its own family's message.
     */
    record AnnounceAddresses(NodeRouter router) implements NodeEffect {}

    /**
     * Announce the addresses again, as the router's {@link AnnouncePolicy#lowerPriorityCount()}
     * says: it is Active and heard a lower-priority router claim Active
     * ({@link Action.AnnounceAfterLowerPriority}).
     */
    record AnnounceAfterLowerPriority(NodeRouter router) implements NodeEffect {}

    /**
     * The router changed state, after the new state's own effects.
     *
     * @param priority the router's priority as it entered the state
     */
    record StateChanged(NodeRouter router, Action.StateChanged change, int priority) implements NodeEffect {}

    /** The router saw the first evidence of a split-brain episode. */
    record SplitBrain(NodeRouter router, Action.SplitBrainDetected detected) implements NodeEffect {}

    /**
     * A live reload changed the addresses (virtual or excluded) of an Active router: remove
     * {@code removed} from its interface, install {@code added} and announce them. The router's
     * configuration already lists the new set.
     */
    record UpdateVirtualAddresses(NodeRouter router, List<VirtualAddress> removed, List<VirtualAddress> added)
            implements NodeEffect {
        public UpdateVirtualAddresses {
            removed = List.copyOf(removed);
            added = List.copyOf(added);
        }
    }

    /**
     * Change routes and policy rules: remove {@code removedRules}, then {@code removedRoutes}, then add
     * {@code addedRoutes}, then {@code addedRules} (a rule may send traffic to a table the routes fill).
     * For a router ({@link #router()} set), a live reload changed the routes or rules of an Active
     * (keepalived {@code virtual_routes} / {@code virtual_rules}; those of a router becoming Active or
     * leaving it go with {@link AddVirtualAddresses} and {@link RemoveVirtualAddresses}). With no
     * router, the node's static ones ({@link NodeConfig#staticRoutes()}): all added at start, all
     * removed at shutdown, the difference at a reload.
     */
    record UpdateRoutes(NodeRouter router, List<IpRoute> removedRoutes, List<IpRoute> addedRoutes,
                        List<IpRule> removedRules, List<IpRule> addedRules) implements NodeEffect {
        public UpdateRoutes {
            removedRoutes = List.copyOf(removedRoutes);
            addedRoutes = List.copyOf(addedRoutes);
            removedRules = List.copyOf(removedRules);
            addedRules = List.copyOf(addedRules);
        }

        /** Whether there is nothing to do. */
        public boolean isEmpty() {
            return removedRoutes.isEmpty() && addedRoutes.isEmpty() && removedRules.isEmpty() && addedRules.isEmpty();
        }

        /** From {@code before} to {@code after}: what only one of them has. */
        static UpdateRoutes between(NodeRouter router, List<IpRoute> routesBefore, List<IpRoute> routesAfter,
                                    List<IpRule> rulesBefore, List<IpRule> rulesAfter) {
            return new UpdateRoutes(router, routesBefore.stream().filter(r -> !routesAfter.contains(r)).toList(),
                    routesAfter.stream().filter(r -> !routesBefore.contains(r)).toList(),
                    rulesBefore.stream().filter(r -> !rulesAfter.contains(r)).toList(),
                    rulesAfter.stream().filter(r -> !rulesBefore.contains(r)).toList());
        }
    }

    /**
     * {@link Node#reconfigure} took effect: the removed routers have left (their effects came
     * before this one) and are no longer the node's; the added ones are, and their effects, and
     * those of the changed ones, come after this one. The driver sets up (and tears down) what it
     * keeps per router, interface and check here.
     *
     * @param generation the configuration's number: 1 for the one the node was built with, then
     *                   one more for each reload
     * @param removed    the routers that left, no longer in {@link Node#routers()}
     * @param added      the routers that joined, in {@link Node#routers()} now
     */
    record Reconfigured(ConfigDiff diff, int generation, List<NodeRouter> removed, List<NodeRouter> added)
            implements NodeEffect {
        public Reconfigured {
            removed = List.copyOf(removed);
            added = List.copyOf(added);
        }

        @Override
        public NodeRouter router() {
            return null;
        }
    }

    /**
     * A sync group's state changed: all members reached {@code to}, or one of them is in Fault.
     * Reported once per change, after the members' own effects.
     */
    record GroupChanged(String group, State from, State to, TransitionReason reason) implements NodeEffect {
        @Override
        public NodeRouter router() {
            return null;
        }
    }
}
