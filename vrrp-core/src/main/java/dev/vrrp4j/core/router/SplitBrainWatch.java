package dev.vrrp4j.core.router;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.Advertisement;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * Split-brain bookkeeping of one {@link VirtualRouter}: turns evidence that someone else acts as
 * Active into episodes, counts them, and builds the one {@link Action.SplitBrainDetected} per
 * episode. Not part of RFC 9568, which resolves two Actives (§6.4.3) without reporting them.
 *
 * <p>An episode starts with the first evidence while we are Active and ends when we leave Active
 * or when no evidence of its kind arrived for one Active_Down_Interval (RFC 9568 §6.1). The two
 * kinds ({@link SplitBrainKind}) have separate episodes.
 *
 * <p>Two handovers produce an "other Active" advertisement without any split brain, and are not
 * counted:
 * <ul>
 *   <li>We just preempted a lower-priority Active: its advertisement sent before it heard ours
 *       crosses ours on the wire. The first such one from the router we preempted, within one
 *       Active_Down_Interval, is expected.</li>
 *   <li>A higher-priority router preempts us (it came back, or started after us). From our side that
 *       looks exactly like a partition healing, so a step-down counts only when we became Active
 *       because an Active we knew fell silent (Active_Down_Timer with a known Active): after a
 *       partition, or after that router crashed. A crashed router that restarts and preempts is
 *       therefore reported too; one that left gracefully (priority 0) or that we never heard is not.</li>
 * </ul>
 *
 * <p>Confined to the router's thread; allocates only when an episode starts or ends.
 */
final class SplitBrainWatch {
    private final VirtualRouter router;
    private final AddressFamily family;
    private byte[] primaryAddress;
    private final RouterCounters counters;
    private final Episode adverts = new Episode(SplitBrainKind.ADVERTISEMENT);
    private final Episode conflicts = new Episode(SplitBrainKind.ADDRESS_CONFLICT);

    private boolean tookOverFromSilentActive;
    private boolean crossingExpected;
    private long crossingExpectedUntilNanos;
    private final byte[] preempted = new byte[16];
    private Action.SplitBrainDetected last;

    /** The router's advertisement source changed in a reload. */
    void primaryAddress(byte[] address) {
        this.primaryAddress = address;
    }

    SplitBrainWatch(VirtualRouter router, byte[] primaryAddress, RouterCounters counters) {
        this.router = router;
        this.family = router.config().family();
        this.primaryAddress = primaryAddress;
        this.counters = counters;
    }

    /** One kind's current episode. */
    private static final class Episode {
        final SplitBrainKind kind;
        boolean open;
        long startNanos;
        long lastNanos;
        long quietNanos;
        long evidence;
        final byte[] other = new byte[16];
        Action.SplitBrainDetected report;

        Episode(SplitBrainKind kind) {
            this.kind = kind;
        }
    }

    /** The router entered Active; {@code activeAddress} is valid when {@code activeKnown}. */
    void enteredActive(long nowNanos, TransitionReason reason, boolean activeKnown, byte[] activeAddress) {
        tookOverFromSilentActive = activeKnown && reason == TransitionReason.ADVERT_TIMEOUT;
        crossingExpected = activeKnown && reason == TransitionReason.PREEMPT;
        if (crossingExpected) {
            System.arraycopy(activeAddress, 0, preempted, 0, family.addressLength());
            crossingExpectedUntilNanos = nowNanos + router.activeDownIntervalNanos();
        }
    }

    /** The router left Active: whatever episode was open is over. */
    void leftActive(long nowNanos) {
        end(adverts, nowNanos, "we left Active");
        end(conflicts, nowNanos, "we left Active");
        crossingExpected = false;
    }

    /** Ends episodes that saw no evidence for their Active_Down_Interval; call while Active. */
    void expire(long nowNanos) {
        expire(adverts, nowNanos);
        expire(conflicts, nowNanos);
    }

    private void expire(Episode episode, long nowNanos) {
        if (episode.open && nowNanos - episode.lastNanos >= episode.quietNanos) {
            end(episode, episode.lastNanos + episode.quietNanos, "no further evidence");
        }
    }

    /**
     * An advertisement with a non-zero priority arrived while we are Active, before the router
     * reacts to it. Returns the action that reports a new episode, or null.
     */
    Action.SplitBrainDetected advertisement(long nowNanos, Advertisement advertisement, int advertPriority,
                                            boolean yielding) {
        if (!adverts.open) {
            if (crossingExpected && !yielding && advertisement.compareSourceTo(preempted) == 0
                    && nowNanos - crossingExpectedUntilNanos < 0) {
                crossingExpected = false; // the one advert the preempted router sent before hearing us
                return null;
            }
            if (yielding && !tookOverFromSilentActive) {
                return null; // a preemption of us, indistinguishable from a heal only when we took over from silence
            }
        }
        // RFC 9568 §6.1 Active_Down_Interval, with the slower of the two advertisement intervals.
        long intervalNanos = Math.max(router.activeAdverIntervalNanos(),
                advertisement.maxAdvertIntervalCentis() * 10_000_000L);
        long quietNanos = 3 * intervalNanos + router.skewTimeNanos();
        if (!evidence(adverts, nowNanos, quietNanos)) {
            return null;
        }
        advertisement.copySource(adverts.other);
        int length = family.addressLength();
        return report(adverts, new Action.SplitBrainDetected(SplitBrainKind.ADVERTISEMENT,
                AddressFamily.address(Arrays.copyOf(adverts.other, length)), advertPriority, null, AddressFamily.address(primaryAddress),
                router.priority(), yielding, nowNanos));
    }

    /** See {@link VirtualRouter#handleAddressConflict}; the caller checked state and address. */
    Action.SplitBrainDetected addressConflict(long nowNanos, byte[] address, long otherMac) {
        if (!evidence(conflicts, nowNanos, router.activeDownIntervalNanos())) {
            return null;
        }
        System.arraycopy(address, 0, conflicts.other, 0, family.addressLength());
        return report(conflicts, new Action.SplitBrainDetected(SplitBrainKind.ADDRESS_CONFLICT,
                AddressFamily.address(Arrays.copyOf(address, family.addressLength())), 0, macText(otherMac), AddressFamily.address(primaryAddress),
                router.priority(), false, nowNanos));
    }

    /** Whether an episode of either kind is open and has seen evidence within its Active_Down_Interval. */
    boolean ongoing(long nowNanos) {
        return router.state() == State.ACTIVE && (live(adverts, nowNanos) || live(conflicts, nowNanos));
    }

    /** The report of the most recent episode of either kind; null if there was none. */
    Action.SplitBrainDetected last() {
        return last;
    }

    private static boolean live(Episode episode, long nowNanos) {
        return episode.open && nowNanos - episode.lastNanos < episode.quietNanos;
    }

    /** Counts one piece of evidence; true when it starts a new episode. */
    private boolean evidence(Episode episode, long nowNanos, long quietNanos) {
        expire(episode, nowNanos);
        boolean starts = !episode.open;
        if (starts) {
            episode.open = true;
            episode.startNanos = nowNanos;
            episode.evidence = 0;
        }
        episode.lastNanos = nowNanos;
        episode.quietNanos = quietNanos;
        episode.evidence++;
        counters.splitBrainEvidence(episode.kind, starts);
        return starts;
    }

    private Action.SplitBrainDetected report(Episode episode, Action.SplitBrainDetected detected) {
        episode.report = detected;
        last = detected;
        return detected;
    }

    private void end(Episode episode, long endNanos, String why) {
        if (!episode.open) {
            return;
        }
        episode.open = false;
        VirtualRouter.LOG.info("{}: {} with {} over ({}): {} {} in {} ms", router.config().name(),
                episode.kind == SplitBrainKind.ADVERTISEMENT ? "split brain" : "address conflict",
                episode.report == null ? "?" : describeOther(episode.report), why, episode.evidence,
                episode.kind == SplitBrainKind.ADVERTISEMENT ? "advertisement(s)" : "ARP packet(s)",
                Math.max(0, endNanos - episode.startNanos) / 1_000_000);
    }

    static String describeOther(Action.SplitBrainDetected detected) {
        return detected.kind() == SplitBrainKind.ADVERTISEMENT ? detected.otherAddress().getHostAddress()
                : detected.otherMac();
    }

    /** {@code aa:bb:cc:dd:ee:ff} of the 48 bits in {@code mac}, first octet most significant. */
    static String macText(long mac) {
        StringBuilder text = new StringBuilder(17);
        for (int shift = 40; shift >= 0; shift -= 8) {
            if (!text.isEmpty()) {
                text.append(':');
            }
            int octet = (int) (mac >>> shift) & 0xff;
            text.append(Character.forDigit(octet >>> 4, 16)).append(Character.forDigit(octet & 0xf, 16));
        }
        return text.toString();
    }
}
