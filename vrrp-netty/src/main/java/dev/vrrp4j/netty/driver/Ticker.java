package dev.vrrp4j.netty.driver;

import dev.vrrp4j.core.node.Node;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.netty.transport.NativeException;
import dev.vrrp4j.netty.transport.TimerFd;
import dev.vrrp4j.netty.transport.VrrpSendSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's one timer, a {@link TimerFd} at the earliest deadline of all routers, and what runs
 * when it fires. When it fires late (a GC pause, a stopped process), every packet already queued is
 * read and handed to the node first, and only then do expired timers run: an Active that was
 * merely paused is heard before a Backup declares it dead. It logs how late the timer was.
 */
final class Ticker {
    private static final Logger LOG = LoggerFactory.getLogger(Ticker.class);
    private static final long LATE_WARNING_NANOS = 20_000_000L;
    /**
     * A timer this late means the loop was busy or stopped: what arrived meanwhile is read before
     * any timeout runs. Below it the sockets were read in this very loop iteration, and draining
     * them again would only delay a takeover (0.1 ms, measured).
     */
    private static final long DRAIN_LATENESS_NANOS = 1_000_000L;
    private static final long TICK_NANOS = 5_000_000L;

    private final Node node;
    private final NodeSockets sockets;
    private final TimerFd timerFd;
    private final PacketReader reader;
    private final EffectRunner effects;
    private final TransitionSink sink;
    private boolean armed;
    private long deadlineNanos;
    private int probeIndex;
    private boolean stopped;

    Ticker(NodeSockets sockets, PacketReader reader, EffectRunner effects, TransitionSink sink) {
        this.node = sockets.node;
        this.sink = sink;
        this.sockets = sockets;
        this.timerFd = sockets.timerFd;
        this.reader = reader;
        this.effects = effects;
    }

    /**
     * Arms the timer at the earliest deadline; a timer already due earlier is kept and re-armed when
     * it fires, which saves a system call per advertisement on a Backup whose deadlines only move
     * later. Call after every input.
     */
    void reschedule() {
        if (stopped || !node.hasDeadline()) {
            return;
        }
        long earliest = node.nextDeadlineNanos();
        // Never sleep longer than a tick: a Backup otherwise wakes a few times a second, and its
        // first takeover ran the wake-up path cold (0.2-0.4 ms of it, measured; 0.1 ms with the tick).
        long tick = System.nanoTime() + TICK_NANOS;
        if (earliest - tick > 0) {
            earliest = tick;
        }
        if (armed && deadlineNanos - earliest <= 0) {
            return; // fires no later than needed; an early fire is harmless (the core ignores it)
        }
        try {
            timerFd.armAt(earliest);
        } catch (NativeException e) {
            LOG.error("arming the timer failed; timeouts will not run: {}", e.getMessage());
            return;
        }
        deadlineNanos = earliest;
        armed = true;
    }

    /** The timerfd is readable. */
    void onReadable() {
        try {
            if (timerFd.acknowledge() == 0) {
                return; // re-armed after it expired and before this read: the new deadline is still ahead
            }
        } catch (NativeException e) {
            LOG.warn("reading the timer failed: {}", e.getMessage());
        }
        onTimer();
    }

    private void onTimer() {
        armed = false;
        long firedAt = System.nanoTime();
        long lateNanos = firedAt - deadlineNanos;
        if (lateNanos > DRAIN_LATENESS_NANOS || (reader.backlog() && node.backupTimeoutDue(firedAt))) {
            // A Backup about to declare the Active dead must first hear whatever is queued: the Active
            // may still be talking and only this loop was behind (a GC pause, a stopped process, a
            // burst of work), or a read stopped at a full batch. Otherwise the sockets were read in
            // this loop iteration or the last, within the last millisecond.
            int drained = reader.drainAll();
            if (lateNanos > LATE_WARNING_NANOS) {
                LOG.warn("timer fired {} ms late (GC pause or stopped process?); read {} queued packets before running it",
                        lateNanos / 1_000_000, drained);
            }
            if (lateNanos > DRAIN_LATENESS_NANOS) {
                try {
                    sink.onLateWakeUp(lateNanos);
                } catch (RuntimeException e) {
                    LOG.error("late wake-up handling failed", e);
                }
            }
        }
        try {
            node.handleTimeout(System.nanoTime());
            effects.run();
            probeSendPath();
        } catch (RuntimeException e) {
            LOG.error("timer handling failed", e);
        }
        reschedule();
    }

    /**
     * Probes one Backup's send path, a different router each call: a Backup wakes every tick, and
     * so its first real advertisement, maybe weeks later, finds the code compiled and the kernel's
     * path warm (measured: the first sendto after a start-up-only warm-up took 0.11-0.22 ms).
     */
    private void probeSendPath() {
        DriverRouter[] routers = sockets.routers; // grown by a reload, with a gap for each router removed
        probeIndex = (probeIndex + 1) % routers.length;
        DriverRouter router = routers[probeIndex];
        if (router != null && router.router.state() == State.BACKUP) {
            effects.send(router, router.router.priority(), VrrpSendSocket.Mode.PROBE);
        }
    }

    /** No more arming: the node is shutting down. */
    void stop() {
        stopped = true;
        try {
            timerFd.disarm();
        } catch (NativeException e) {
            LOG.debug("disarming the timer failed: {}", e.getMessage());
        }
    }
}
