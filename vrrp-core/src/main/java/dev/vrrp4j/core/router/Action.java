package dev.vrrp4j.core.router;

/**
 * What a {@link VirtualRouter} asks its driver to do. The router queues actions; the driver takes
 * them with {@link VirtualRouter#pollAction()} and performs them in order. The order is part of
 * the contract: on becoming Active the queue holds a {@link SendAdvertisement} (RFC 9568 §6.4.2 sends
 * it first, and every millisecond before it is a millisecond without an Active),
 * {@link AddVirtualAddresses}, {@link AnnounceAddresses}, then {@link StateChanged}, so listeners
 * that react to the state change find the addresses installed and announced.
 */
public sealed interface Action {

    /** Send one advertisement with this priority (0 = leaving) to the group or the unicast peers. */
    record SendAdvertisement(int priority) implements Action {
        private static final SendAdvertisement[] CACHE = new SendAdvertisement[256];

        static {
            for (int p = 0; p < CACHE.length; p++) {
                CACHE[p] = new SendAdvertisement(p);
            }
        }

        public SendAdvertisement {
            if (priority < 0 || priority > 255) {
                throw new IllegalArgumentException("priority " + priority + " out of range 0..255");
            }
        }

        /** A shared instance: the send path allocates nothing. */
        public static SendAdvertisement of(int priority) {
            return CACHE[priority];
        }
    }

    /** Install the virtual addresses on the interface. */
    record AddVirtualAddresses() implements Action {
        public static final AddVirtualAddresses INSTANCE = new AddVirtualAddresses();
    }

    /** Remove the virtual addresses from the interface. */
    record RemoveVirtualAddresses() implements Action {
        public static final RemoveVirtualAddresses INSTANCE = new RemoveVirtualAddresses();
    }

    /**
     * Announce the virtual addresses: gratuitous ARP for IPv4, unsolicited Neighbor Advertisements
     * for IPv6 (RFC 9568 §6.4.1, §6.4.2: "broadcast a gratuitous ARP request" / "send an unsolicited
     * ND Neighbor Advertisement").
     */
    record AnnounceAddresses() implements Action {
        public static final AnnounceAddresses INSTANCE = new AnnounceAddresses();
    }

    /**
     * An Active router heard a lower-priority router claim Active (and answered it, RFC 9568
     * §6.4.3): that router has announced the virtual addresses too, so hosts may now send to it.
     * keepalived announces them again then ({@code garp_lower_prio_repeat}); whether and how often
     * is the node's announcement policy.
     */
    record AnnounceAfterLowerPriority() implements Action {
        public static final AnnounceAfterLowerPriority INSTANCE = new AnnounceAfterLowerPriority();
    }

    /** The router moved from one state to another; queued after the new state's own actions. */
    record StateChanged(State from, State to, TransitionReason reason, long atNanos) implements Action {}

    /**
     * Someone else acts as Active for this virtual router: the first evidence of a new episode (see
     * {@link VirtualRouter#handleAddressConflict}, {@link VirtualRouter#handleAdvertisement}). Queued
     * after the router's own reaction (its answer, or its step down), once per episode; not queued
     * for the further evidence of an episode, which only counts.
     *
     * @param kind          what the evidence was
     * @param otherAddress  {@link SplitBrainKind#ADVERTISEMENT}: the other router's address;
     *                      {@link SplitBrainKind#ADDRESS_CONFLICT}: our virtual address it claimed
     * @param otherPriority the other router's advertised priority; 0 for an address conflict
     * @param otherMac      the other host's MAC as {@code aa:bb:cc:dd:ee:ff} for an address conflict; null otherwise
     * @param ourAddress    our primary address (the advertisement source)
     * @param ourPriority   our priority at the time
     * @param yielding      whether we gave way (RFC 9568 §6.4.3: the other has a higher priority, or the
     *                      same and a higher address); never for an address conflict
     * @param atNanos       when, on the caller's clock
     */
    record SplitBrainDetected(SplitBrainKind kind, java.net.InetAddress otherAddress, int otherPriority,
                              String otherMac, java.net.InetAddress ourAddress, int ourPriority, boolean yielding,
                              long atNanos) implements Action {}
}
