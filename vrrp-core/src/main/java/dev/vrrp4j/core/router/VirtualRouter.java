package dev.vrrp4j.core.router;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.Advertisement;
import dev.vrrp4j.core.packet.PacketDropReason;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;

/**
 * The VRRPv3 state machine of one virtual router (RFC 9568 §6), without I/O; with
 * {@link RouterConfig#version()} 2 the VRRPv2 one (RFC 3768 §6).
 *
 * <p>Inputs are {@code handle…} calls that carry the current time as monotonic nanoseconds (any
 * origin, as {@link System#nanoTime()} gives it); outputs are {@link Action}s queued for the driver
 * ({@link #pollAction()}) and the time of the next timer ({@link #nextDeadlineNanos()}). The router
 * never reads a clock, sleeps, starts a thread or opens a socket, so every scenario is a
 * deterministic test on a simulated clock. A {@link #handleTimeout} that comes before the deadline
 * does nothing. Times may come slightly out of order (an advertisement's arrival stamp can be older
 * than a timeout handled just before it was read); the router takes an older time as the latest it
 * has seen, so its clock never runs backwards.
 *
 * <p>One instance is confined to one thread. Receiving an advertisement from the current Active
 * router while Backup, the steady state, allocates nothing.
 *
 * <p>VRRPv2 differs where RFC 3768 does: an advertisement with another Adver Int, Auth Type or
 * password is dropped and counted (§7.1; RFC 2338 §7.1 for the password), so no interval is
 * learned, and Skew_Time is in seconds, {@code (256 - Priority) / 256} (§6.1), whatever the
 * interval. An advertisement of the other version is dropped ({@link PacketDropReason#VERSION_MISMATCH}).
 * The rest, the immediate answer of an Active router to a lower priority included, is shared.
 *
 * <p>Beyond RFC 9568 it implements keepalived's {@code preempt_delay}, a runtime priority change
 * (for weighted health checks), a {@link State#FAULT} state, and split-brain reporting: while
 * Active, another router's advertisement or another host's ARP for our address starts an episode
 * that is counted, logged once at WARN and reported as {@link Action.SplitBrainDetected}.
 */
public final class VirtualRouter {
    static final Logger LOG = LoggerFactory.getLogger(VirtualRouter.class);
    private static final long NANOS_PER_CENTI = 10_000_000L;
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    // Not final: a live reload replaces them (reconfigure); family, VRID and version never change.
    private RouterConfig config;
    private final AddressFamily family;
    private byte[] primaryAddress;
    private byte[] sortedVirtualAddresses;
    private int virtualAddressCount;
    private final RouterCounters counters = new RouterCounters();
    private final boolean version2;
    /** VRRPv2: the Auth Type and Authentication Data advertisements must carry (RFC 2338 §7.1). */
    private int authType;
    private byte[] authData;
    private final ArrayDeque<Action> actions = new ArrayDeque<>(16);

    private State state = State.INITIALIZE;
    private long latestNanos;
    private boolean clockStarted;
    private int priority;
    private long stateSinceNanos;

    /** RFC 9568 §6.1 Active_Adver_Interval, learned from the Active router's advertisements. */
    private long activeAdverIntervalNanos;
    private boolean adverTimerArmed;
    private long adverTimerDeadlineNanos;
    private boolean activeDownTimerArmed;
    private long activeDownTimerDeadlineNanos;
    /** Why the Active_Down_Timer was last armed, so the transition it causes says why. */
    private TransitionReason activeDownReason = TransitionReason.ADVERT_TIMEOUT;

    private final byte[] activeAddress = new byte[16];
    private boolean activeKnown;
    private int activePriority;

    /** keepalived preempt_delay: when a lower-priority Active stops being tolerated. */
    private boolean preemptHoldArmed;
    private long preemptHoldUntilNanos;
    private boolean addressMismatchLogged;
    private final SplitBrainWatch splitBrain;

    /**
     * @param config         the router's configuration
     * @param primaryAddress this router's primary address on the interface (RFC 9568 §1.6: the IPv4
     *                       primary address, or the IPv6 link-local address), the advertisement
     *                       source and the tie-breaker of §6.4.3
     */
    public VirtualRouter(RouterConfig config, InetAddress primaryAddress) {
        this.config = Objects.requireNonNull(config, "config");
        this.family = config.family();
        this.version2 = config.version() == RouterConfig.VERSION_2;
        this.primaryAddress = primaryBytes(config, primaryAddress);
        this.priority = config.priority();
        this.activeAdverIntervalNanos = config.advertIntervalCentis() * NANOS_PER_CENTI;
        adopt(config);
        this.splitBrain = new SplitBrainWatch(this, this.primaryAddress, counters);
    }

    private byte[] primaryBytes(RouterConfig config, InetAddress primaryAddress) {
        byte[] primary = Objects.requireNonNull(primaryAddress, "primaryAddress").getAddress();
        if (primary.length != family.addressLength()) {
            throw new IllegalArgumentException("primaryAddress " + primaryAddress.getHostAddress() + " is not "
                    + family + " like the router " + config.name());
        }
        return primary;
    }

    /** Takes the settings derived from {@code next}: the sorted address table and VRRPv2's authentication. */
    private void adopt(RouterConfig next) {
        this.config = next;
        this.virtualAddressCount = next.virtualAddresses().size();
        int length = family.addressLength();
        byte[][] sorted = next.virtualAddresses().stream().map(a -> a.address().getAddress())
                .sorted(Arrays::compareUnsigned).toArray(byte[][]::new);
        this.sortedVirtualAddresses = new byte[virtualAddressCount * length];
        for (int i = 0; i < sorted.length; i++) {
            System.arraycopy(sorted[i], 0, sortedVirtualAddresses, i * length, length);
        }
        this.authType = next.hasPassword() ? Advertisement.AUTH_PASSWORD : Advertisement.AUTH_NONE;
        this.authData = next.authData();
    }

    // ------------------------------------------------------------------ inputs

    /** RFC 9568 §6.4.1 Startup event: the owner goes Active at once, everyone else waits in Backup. */
    public void handleStart(long nowNanos) {
        if (state != State.INITIALIZE) {
            throw new IllegalStateException(config.name() + " already started (state " + state + ")");
        }
        clockStarted = false; // times seen while stopped ran no timer and mean nothing now
        nowNanos = clock(nowNanos);
        stateSinceNanos = nowNanos;
        enterRunning(nowNanos, TransitionReason.STARTUP);
    }

    /**
     * RFC 9568 §6.4.2 / §6.4.3 Shutdown event. An Active router sends an advertisement with
     * priority 0 so that Backups take over after Skew_Time, then gives up the addresses. Calling it
     * again, or before start, does nothing.
     */
    public void handleShutdown(long nowNanos) {
        nowNanos = clock(nowNanos);
        if (state == State.INITIALIZE) {
            return;
        }
        if (state == State.ACTIVE) {
            send(0);
        }
        transition(nowNanos, State.INITIALIZE, TransitionReason.SHUTDOWN);
    }

    /**
     * A fault (link down, failed health check with weight 0): leave Backup or Active for
     * {@link State#FAULT}. An Active router first sends priority 0, which speeds up the takeover
     * where the link still works (a failed check) and is simply lost where it does not.
     */
    public void handleFault(long nowNanos) {
        nowNanos = clock(nowNanos);
        if (state == State.INITIALIZE || state == State.FAULT) {
            return;
        }
        if (state == State.ACTIVE) {
            send(0);
        }
        transition(nowNanos, State.FAULT, TransitionReason.FAULT);
    }

    /** The fault cleared: rejoin as at startup (owner Active, others Backup). */
    public void handleFaultCleared(long nowNanos) {
        nowNanos = clock(nowNanos);
        if (state != State.FAULT) {
            return;
        }
        enterRunning(nowNanos, TransitionReason.FAULT_CLEARED);
    }

    /**
     * keepalived {@code vrrp_sync_group}: another member became Active, so this Backup follows at
     * once (not part of RFC 9568). Does nothing unless Backup.
     */
    public void handleSyncActive(long nowNanos) {
        nowNanos = clock(nowNanos);
        if (state == State.BACKUP) {
            becomeActive(nowNanos, TransitionReason.SYNC_GROUP);
        }
    }

    /**
     * keepalived {@code vrrp_sync_group}: another member left Active for Backup, so this Active
     * follows: it gives up its addresses and waits a full Active_Down_Interval like any Backup.
     * Does nothing unless Active.
     */
    public void handleSyncBackup(long nowNanos) {
        nowNanos = clock(nowNanos);
        if (state == State.ACTIVE) {
            activeAdverIntervalNanos = config.advertIntervalCentis() * NANOS_PER_CENTI;
            armActiveDownTimer(nowNanos + activeDownIntervalNanos(), TransitionReason.ADVERT_TIMEOUT);
            transition(nowNanos, State.BACKUP, TransitionReason.SYNC_GROUP);
        }
    }

    /**
     * A well-formed advertisement arrived (the codec has checked the packet itself); RFC 9568 §7.1
     * policy checks, then §6.4.2 (Backup) or §6.4.3 (Active). Allocates nothing on the paths a
     * healthy LAN exercises.
     */
    public void handleAdvertisement(long nowNanos, Advertisement advertisement) {
        nowNanos = clock(nowNanos);
        if (advertisement.family() != family) {
            counters.drop(PacketDropReason.FAMILY_MISMATCH);
            return;
        }
        if (advertisement.vrid() != config.vrid()) {
            counters.drop(PacketDropReason.VRID_MISMATCH);
            return;
        }
        if (advertisement.version() != config.version()) {
            counters.drop(PacketDropReason.VERSION_MISMATCH);
            return;
        }
        if (version2 && !acceptsVersion2(advertisement)) {
            return;
        }
        int advertPriority = advertisement.priority();
        counters.advertReceived(advertPriority, advertisement.checksumForm());
        if (state == State.INITIALIZE || state == State.FAULT) {
            counters.drop(PacketDropReason.NOT_RUNNING);
            return;
        }
        if (config.isOwner()) {
            // RFC 9568 §7.1: the address owner discards advertisements for its VRID.
            counters.drop(PacketDropReason.LOCAL_OWNER);
            reportSplitBrain(advertPriority == 0 ? null
                    : splitBrain.advertisement(nowNanos, advertisement, advertPriority, false));
            return;
        }
        checkAddressList(advertisement);
        if (state == State.BACKUP) {
            onAdvertisementInBackup(nowNanos, advertisement, advertPriority);
        } else {
            // Noted before the reaction, reported after it: our answer (or step-down) goes out first.
            Action.SplitBrainDetected detected = advertPriority == 0 ? null
                    : splitBrain.advertisement(nowNanos, advertisement, advertPriority,
                            otherWins(advertisement, advertPriority));
            onAdvertisementInActive(nowNanos, advertisement, advertPriority);
            reportSplitBrain(detected);
        }
    }

    /**
     * RFC 3768 §7.1 (and RFC 2338 §7.1 for the password, which keepalived still checks): the Auth
     * Type, the Authentication Data and the Adver Int must all be ours, or the packet is dropped.
     */
    private boolean acceptsVersion2(Advertisement advertisement) {
        if (advertisement.authType() != authType) {
            counters.drop(PacketDropReason.AUTH_TYPE_MISMATCH);
            return false;
        }
        if (authType == Advertisement.AUTH_PASSWORD && !advertisement.authDataEquals(authData)) {
            counters.drop(PacketDropReason.AUTH_FAILURE);
            return false;
        }
        if (advertisement.maxAdvertIntervalCentis() != config.advertIntervalCentis()) {
            counters.drop(PacketDropReason.INTERVAL_MISMATCH);
            return false;
        }
        return true;
    }

    /**
     * Another host sent an ARP packet (request or reply, gratuitous or not) whose sender protocol
     * address is {@code address} and whose sender hardware address {@code otherMac} (48 bits, first
     * octet most significant) is not our interface's: it answers for that address. While Active,
     * for one of our virtual addresses, this is {@link SplitBrainKind#ADDRESS_CONFLICT} evidence;
     * otherwise nothing happens. Allocates nothing unless an episode starts.
     *
     * @param address IPv4 address, 4 bytes
     */
    public void handleAddressConflict(long nowNanos, byte[] address, long otherMac) {
        nowNanos = clock(nowNanos);
        if (state != State.ACTIVE || family != AddressFamily.IPV4 || !isVirtualAddress(address)) {
            return;
        }
        reportSplitBrain(splitBrain.addressConflict(nowNanos, address, otherMac));
    }

    /** Fires whichever timers are due at {@code nowNanos}; an early call does nothing. */
    public void handleTimeout(long nowNanos) {
        nowNanos = clock(nowNanos);
        if (state == State.BACKUP && activeDownTimerArmed && nowNanos - activeDownTimerDeadlineNanos >= 0) {
            // RFC 9568 §6.4.2: Active_Down_Timer fired.
            becomeActive(nowNanos, activeDownReason);
        } else if (state == State.ACTIVE && adverTimerArmed && nowNanos - adverTimerDeadlineNanos >= 0) {
            // RFC 9568 §6.4.3: Adver_Timer fired.
            send(priority);
            armAdverTimer(nowNanos);
            splitBrain.expire(nowNanos);
        }
    }

    /**
     * Changes the priority at run time, as weighted health checks do; an Active router advertises it
     * from its next advertisement on, a Backup uses it for the next preemption decision and timer.
     * The owner's 255 cannot be changed, and no router can become an owner this way.
     */
    public void setPriority(long nowNanos, int newPriority) {
        nowNanos = clock(nowNanos);
        if (config.isOwner()) {
            throw new IllegalStateException(config.name() + " is the address owner; its priority stays 255");
        }
        RouterConfig.checkRange("priority", newPriority, 1, 254);
        if (newPriority != priority) {
            LOG.info("{}: priority {} -> {}", config.name(), priority, newPriority);
            priority = newPriority;
        }
    }

    /**
     * A live reload: the same router (family, VRID and version unchanged) with new settings, applied
     * in place. State, timers and the Active last heard are kept. A router that became the address
     * owner (priority 255) goes Active at once (RFC 9568 §6.4.1); a Backup uses the new priority for
     * its next decision and timer (§6.4.2). The rest is the caller's ({@code core.node.Node}): it
     * sets the effective priority ({@link #setPriority}), changes the addresses on the interface, and
     * has an Active whose priority, interval or addresses changed {@link #advertiseNow advertise at
     * once} (§6.4.3), so that a Backup that now has the higher priority stops accepting it from that
     * advertisement on, and takes over when its Active_Down_Timer runs out (§6.4.2).
     *
     * @param primaryAddress the advertisement source, which may have changed too
     * @throws IllegalArgumentException if {@code next} is another router (family, VRID, version)
     */
    public void reconfigure(long nowNanos, RouterConfig next, InetAddress primaryAddress) {
        nowNanos = clock(nowNanos);
        Objects.requireNonNull(next, "next");
        if (next.family() != family || next.vrid() != config.vrid() || next.version() != config.version()) {
            throw new IllegalArgumentException(config.name() + ": a reload cannot change family, VRID or version"
                    + " in place (" + config.family() + "/" + config.vrid() + "/v" + config.version() + " -> "
                    + next.family() + "/" + next.vrid() + "/v" + next.version() + ")");
        }
        RouterConfig before = config;
        byte[] source = primaryBytes(next, primaryAddress);
        if (!Arrays.equals(source, this.primaryAddress)) {
            this.primaryAddress = source;
            splitBrain.primaryAddress(source);
        }
        adopt(next);
        boolean ownerChanged = before.isOwner() != next.isOwner();
        if (next.isOwner() || ownerChanged) {
            priority = next.priority(); // an owner's 255, or the configured one of a former owner
        }
        if (!next.virtualAddresses().equals(before.virtualAddresses())) {
            addressMismatchLogged = false;
        }
        if (state == State.BACKUP && next.isOwner()) {
            becomeActive(nowNanos, TransitionReason.ADDRESS_OWNER);
            return;
        }
        if (state == State.ACTIVE) {
            activeAdverIntervalNanos = next.advertIntervalCentis() * NANOS_PER_CENTI;
        }
    }

    /**
     * An Active router advertises now and restarts its Adver_Timer (RFC 9568 §6.4.3), as after a
     * reload changed its priority; does nothing in other states.
     */
    public void advertiseNow(long nowNanos) {
        nowNanos = clock(nowNanos);
        if (state == State.ACTIVE) {
            send(priority);
            armAdverTimer(nowNanos);
        }
    }

    // ------------------------------------------------------------------ outputs

    /**
     * The next queued action, or {@code null} when there is none. Handing out a
     * {@link Action.StateChanged} logs the transition at INFO.
     */
    public Action pollAction() {
        Action action = actions.poll();
        if (action instanceof Action.StateChanged changed) {
            // Logged when handed out rather than when decided: StateChanged comes after the entry
            // actions, so a new Active's first advertisement leaves before the (cold, ~1 ms) log line.
            LOG.info("{}: {} -> {} ({})", config.name(), changed.from().keepalivedName(),
                    changed.to().keepalivedName(), changed.reason().text());
        } else if (action instanceof Action.SplitBrainDetected detected) {
            logSplitBrain(detected);
        }
        return action;
    }

    /** Whether any timer is armed; {@link #nextDeadlineNanos()} is meaningful only then. */
    public boolean hasDeadline() {
        return (state == State.ACTIVE && adverTimerArmed) || (state == State.BACKUP && activeDownTimerArmed);
    }

    /** When {@link #handleTimeout} should next be called; {@link Long#MAX_VALUE} when nothing is armed. */
    public long nextDeadlineNanos() {
        if (state == State.ACTIVE && adverTimerArmed) {
            return adverTimerDeadlineNanos;
        }
        if (state == State.BACKUP && activeDownTimerArmed) {
            return activeDownTimerDeadlineNanos;
        }
        return Long.MAX_VALUE;
    }

    public State state() {
        return state;
    }

    /** The priority in effect now (the configured one unless {@link #setPriority} changed it). */
    public int priority() {
        return priority;
    }

    public RouterConfig config() {
        return config;
    }

    public RouterCounters counters() {
        return counters;
    }

    /** When the current state was entered, on the caller's clock. */
    public long stateSinceNanos() {
        return stateSinceNanos;
    }

    /** RFC 9568 §6.1 Active_Adver_Interval in nanoseconds: learned in Backup, our own when Active. */
    public long activeAdverIntervalNanos() {
        return activeAdverIntervalNanos;
    }

    /**
     * RFC 9568 §6.1: Skew_Time = ((256 - Priority) * Active_Adver_Interval) / 256; for VRRPv2,
     * RFC 3768 §6.1: Skew_Time = (256 - Priority) / 256 seconds.
     */
    public long skewTimeNanos() {
        long unitNanos = version2 ? NANOS_PER_SECOND : activeAdverIntervalNanos;
        return (256 - priority) * unitNanos / 256;
    }

    /**
     * RFC 9568 §6.1: Active_Down_Interval = (3 * Active_Adver_Interval) + Skew_Time; RFC 3768 §6.1
     * Master_Down_Interval is the same with the configured Advertisement_Interval.
     */
    public long activeDownIntervalNanos() {
        return 3 * activeAdverIntervalNanos + skewTimeNanos();
    }

    /** The current Active router's address as last heard (ours when Active); null if unknown. Allocates. */
    public InetAddress activeAddress() {
        if (state == State.ACTIVE) {
            return AddressFamily.address(primaryAddress);
        }
        return activeKnown ? AddressFamily.address(Arrays.copyOf(activeAddress, family.addressLength())) : null;
    }

    /**
     * Whether a split-brain episode ({@link SplitBrainKind}, either kind) is going on: we are Active
     * and saw evidence within the last Active_Down_Interval.
     */
    public boolean splitBrainOngoing(long nowNanos) {
        return splitBrain.ongoing(clock(nowNanos));
    }

    /** The report of the latest split-brain episode, of either kind; null if there was none. */
    public Action.SplitBrainDetected lastSplitBrain() {
        return splitBrain.last();
    }

    /** The current Active router's priority as last advertised (ours when Active); 0 if unknown. */
    public int activePriority() {
        return state == State.ACTIVE ? priority : activeKnown ? activePriority : 0;
    }

    @Override
    public String toString() {
        return config.name() + "[vrid " + config.vrid() + " " + family + (version2 ? " v2 " : " ")
                + state.keepalivedName()
                + " prio " + priority + "]";
    }

    // ------------------------------------------------------------------ RFC 9568 §6.4

    private void enterRunning(long nowNanos, TransitionReason reason) {
        if (config.isOwner()) {
            becomeActive(nowNanos, reason == TransitionReason.STARTUP ? TransitionReason.ADDRESS_OWNER : reason);
            return;
        }
        // RFC 9568 §6.4.1: Active_Adver_Interval := Advertisement_Interval, then wait one Active_Down_Interval.
        activeAdverIntervalNanos = config.advertIntervalCentis() * NANOS_PER_CENTI;
        activeKnown = false;
        preemptHoldArmed = config.preemptDelayMillis() > 0;
        preemptHoldUntilNanos = nowNanos + config.preemptDelayMillis() * 1_000_000L;
        armActiveDownTimer(nowNanos + activeDownIntervalNanos(), TransitionReason.ADVERT_TIMEOUT);
        transition(nowNanos, State.BACKUP, reason);
    }

    private void onAdvertisementInBackup(long nowNanos, Advertisement advertisement, int advertPriority) {
        if (advertPriority == 0) {
            // §6.4.2: the Active router is leaving; take over after Skew_Time unless someone else does.
            armActiveDownTimer(nowNanos + skewTimeNanos(), TransitionReason.ACTIVE_LEFT);
            return;
        }
        if (!config.preempt() || advertPriority >= priority || withinPreemptDelay(nowNanos)) {
            // §6.4.2: accept this Active: learn its interval and restart the Active_Down_Timer.
            learnInterval(advertisement);
            armActiveDownTimer(nowNanos + activeDownIntervalNanos(), TransitionReason.ADVERT_TIMEOUT);
            rememberActive(advertisement, advertPriority);
            if (advertPriority >= priority) {
                preemptHoldArmed = false;
            }
            return;
        }
        // §6.4.2: preempt mode and a lower priority: discard, so the timer runs out and we take over.
        rememberActive(advertisement, advertPriority);
        activeDownReason = TransitionReason.PREEMPT;
    }

    private boolean withinPreemptDelay(long nowNanos) {
        if (config.preemptDelayMillis() == 0) {
            return false;
        }
        if (!preemptHoldArmed) {
            // First sight of a lower-priority Active since we last accepted an equal or higher one.
            preemptHoldArmed = true;
            preemptHoldUntilNanos = nowNanos + config.preemptDelayMillis() * 1_000_000L;
        }
        return nowNanos - preemptHoldUntilNanos < 0;
    }

    private void onAdvertisementInActive(long nowNanos, Advertisement advertisement, int advertPriority) {
        if (advertPriority == 0) {
            // §6.4.3: a Backup-turned-Active left; assert ourselves at once.
            send(priority);
            armAdverTimer(nowNanos);
            return;
        }
        if (otherWins(advertisement, advertPriority)) {
            // §6.4.3: the other router wins; learn its interval and become Backup.
            learnInterval(advertisement);
            rememberActive(advertisement, advertPriority);
            armActiveDownTimer(nowNanos + activeDownIntervalNanos(), TransitionReason.ADVERT_TIMEOUT);
            transition(nowNanos, State.BACKUP, TransitionReason.HIGHER_PRIORITY);
            return;
        }
        // §6.4.3 (new in RFC 9568): a lower-priority router believes it is Active; answer at once so it
        // steps down now rather than after its own timers.
        send(priority);
        actions.add(Action.AnnounceAfterLowerPriority.INSTANCE);
        armAdverTimer(nowNanos);
    }

    /** RFC 9568 §6.4.2: Active_Adver_Interval := the advertised one. VRRPv2 learns nothing (RFC 3768 §6.1). */
    private void learnInterval(Advertisement advertisement) {
        if (!version2) {
            activeAdverIntervalNanos = advertisement.maxAdvertIntervalCentis() * NANOS_PER_CENTI;
        }
    }

    /** RFC 9568 §6.4.3: an Active router yields to a higher priority, or to the same one from a higher address. */
    private boolean otherWins(Advertisement advertisement, int advertPriority) {
        return advertPriority > priority
                || (advertPriority == priority && advertisement.compareSourceTo(primaryAddress) > 0);
    }

    /** The input's time, or the latest one seen if it is older (see the class comment). */
    private long clock(long nowNanos) {
        if (!clockStarted || nowNanos - latestNanos > 0) {
            latestNanos = nowNanos;
            clockStarted = true;
        }
        return latestNanos;
    }

    private void becomeActive(long nowNanos, TransitionReason reason) {
        transition(nowNanos, State.ACTIVE, reason);
    }

    /**
     * The one place state changes: runs the exit actions of the old state and the entry actions of
     * the new one, counts the change, and queues {@link Action.StateChanged} last, so that listeners
     * run after the internal effects; {@link #pollAction} logs it once when it hands it out.
     */
    private void transition(long nowNanos, State to, TransitionReason reason) {
        State from = state;
        splitBrainOnTransition(nowNanos, from, to, reason);
        if (from == State.ACTIVE) {
            adverTimerArmed = false;
            actions.add(Action.RemoveVirtualAddresses.INSTANCE);
        }
        if (to != State.BACKUP) {
            activeDownTimerArmed = false;
        }
        state = to;
        stateSinceNanos = nowNanos;
        if (to == State.ACTIVE) {
            // RFC 9568 §6.4.1 / §6.4.2: advertise first (it silences the other candidates at once),
            // then install and announce the addresses, then arm the Adver_Timer.
            activeKnown = false;
            activeAdverIntervalNanos = config.advertIntervalCentis() * NANOS_PER_CENTI;
            send(priority);
            actions.add(Action.AddVirtualAddresses.INSTANCE);
            actions.add(Action.AnnounceAddresses.INSTANCE);
            armAdverTimer(nowNanos);
        }
        counters.transition();
        actions.add(new Action.StateChanged(from, to, reason, nowNanos)); // logged by pollAction
    }

    // ------------------------------------------------------------------ split brain (not in RFC 9568)

    private void splitBrainOnTransition(long nowNanos, State from, State to, TransitionReason reason) {
        if (from == State.ACTIVE) {
            splitBrain.leftActive(nowNanos);
        }
        if (to == State.ACTIVE) {
            splitBrain.enteredActive(nowNanos, reason, activeKnown, activeAddress);
        }
    }

    private void reportSplitBrain(Action.SplitBrainDetected detected) {
        if (detected != null) {
            actions.add(detected);
        }
    }

    private void logSplitBrain(Action.SplitBrainDetected detected) {
        if (detected.kind() == SplitBrainKind.ADVERTISEMENT) {
            LOG.warn("{}: split brain: {} (priority {}) also claims Active; we are {} (priority {}), {}",
                    config.name(), detected.otherAddress().getHostAddress(), detected.otherPriority(),
                    detected.ourAddress().getHostAddress(), detected.ourPriority(),
                    detected.yielding() ? "stepping down (RFC 9568 §6.4.3)" : "keeping Active (RFC 9568 §6.4.3)");
        } else {
            LOG.warn("{}: address conflict: {} answers ARP for our virtual address {} while we ({}) are Active;"
                            + " another host has the address configured", config.name(), detected.otherMac(),
                    detected.otherAddress().getHostAddress(), detected.ourAddress().getHostAddress());
        }
    }

    private boolean isVirtualAddress(byte[] address) {
        int length = family.addressLength();
        for (int i = 0; i < virtualAddressCount; i++) {
            if (Arrays.equals(sortedVirtualAddresses, i * length, (i + 1) * length, address, 0, length)) {
                return true;
            }
        }
        return false;
    }

    private void send(int advertPriority) {
        counters.advertSent(advertPriority);
        actions.add(Action.SendAdvertisement.of(advertPriority));
    }

    private void armAdverTimer(long nowNanos) {
        adverTimerArmed = true;
        adverTimerDeadlineNanos = nowNanos + config.advertIntervalCentis() * NANOS_PER_CENTI;
    }

    private void armActiveDownTimer(long deadlineNanos, TransitionReason reason) {
        activeDownTimerArmed = true;
        activeDownTimerDeadlineNanos = deadlineNanos;
        activeDownReason = reason;
    }

    private void rememberActive(Advertisement advertisement, int advertPriority) {
        advertisement.copySource(activeAddress);
        activeKnown = true;
        activePriority = advertPriority;
    }

    /** RFC 9568 §7.1: a differing address list is a misconfiguration to log, not a reason to drop. */
    private void checkAddressList(Advertisement advertisement) {
        if (sameAddresses(advertisement)) {
            addressMismatchLogged = false;
            return;
        }
        counters.addressListMismatch();
        if (!addressMismatchLogged) {
            addressMismatchLogged = true;
            LOG.warn("{}: advertisement from {} lists {}, we have {}; check both configurations", config.name(),
                    advertisement.sourceAddress().getHostAddress(),
                    advertisement.addressList().stream().map(InetAddress::getHostAddress).toList(),
                    config.virtualAddresses());
        }
    }

    private boolean sameAddresses(Advertisement advertisement) {
        if (advertisement.addressCount() != virtualAddressCount) {
            return false;
        }
        // Order may differ between implementations: every received address must be one of ours.
        for (int i = 0; i < virtualAddressCount; i++) {
            if (!advertisement.addressIn(i, sortedVirtualAddresses, virtualAddressCount)) {
                return false;
            }
        }
        return true;
    }
}
