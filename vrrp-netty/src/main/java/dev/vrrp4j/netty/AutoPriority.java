package dev.vrrp4j.netty;

import dev.vrrp4j.netty.transport.ThreadScheduling;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Objects;

/**
 * keepalived's {@code max_auto_priority} / {@code min_auto_priority_delay}: when the event loop
 * wakes for a timer at least {@code minDelay} late (the machine is starving it), it raises its
 * own scheduling, first to SCHED_RR priority 1 (or one above the {@link EventLoopPriority}
 * realtime priority it has), then by one more at each further late wake-up, up to
 * {@code maxRealtimePriority}. It never lowers it again, as keepalived does not. Needs
 * CAP_SYS_NICE; refused, it logs that once and stops trying.
 *
 * @param maxRealtimePriority the highest SCHED_RR priority it may reach, 1..99; 0 is {@link #OFF}
 * @param minDelay            how late a wake-up must be to count, 1 µs..10 s (keepalived's default 1 s;
 *                            the loop notices a wake-up from 1 ms late)
 */
public record AutoPriority(int maxRealtimePriority, Duration minDelay) {
    /** keepalived's {@code min_auto_priority_delay} default. */
    public static final Duration DEFAULT_MIN_DELAY = Duration.ofSeconds(1);
    /** No automatic raise: the default, as in keepalived. */
    public static final AutoPriority OFF = new AutoPriority(0, DEFAULT_MIN_DELAY);

    public AutoPriority {
        if (maxRealtimePriority < 0 || maxRealtimePriority > 99) {
            throw new IllegalArgumentException("autoPriority.maxRealtimePriority: " + maxRealtimePriority
                    + " is out of range 0..99");
        }
        Objects.requireNonNull(minDelay, "autoPriority.minDelay");
        if (minDelay.compareTo(Duration.ofNanos(1_000)) < 0 || minDelay.compareTo(Duration.ofSeconds(10)) > 0) {
            throw new IllegalArgumentException("autoPriority.minDelay: " + minDelay.toNanos() / 1_000
                    + " µs is out of range 1..10000000 µs");
        }
    }

    /** Raises up to {@code maxRealtimePriority} after wake-ups at least {@code minDelay} late. */
    public static AutoPriority upTo(int maxRealtimePriority, Duration minDelay) {
        if (maxRealtimePriority == 0) {
            throw new IllegalArgumentException("autoPriority.maxRealtimePriority: 0 raises nothing; use AutoPriority.OFF");
        }
        return new AutoPriority(maxRealtimePriority, minDelay);
    }

    /** The event loop's state of it: what it has raised to. Used on the loop only. */
    static final class Raiser {
        private static final Logger LOG = LoggerFactory.getLogger(AutoPriority.class);

        /** Sets the calling thread's SCHED_RR priority; a seam for tests. */
        @FunctionalInterface
        interface Scheduler {
            void setRealtime(int priority) throws Exception;
        }

        private final AutoPriority policy;
        private final Scheduler scheduler;
        private int current;
        private boolean refused;

        Raiser(AutoPriority policy, EventLoopPriority start, Scheduler scheduler) {
            this.policy = policy;
            this.scheduler = scheduler;
            this.current = start.policy() == EventLoopPriority.Policy.REALTIME ? start.value() : 0;
        }

        Raiser(AutoPriority policy, EventLoopPriority start) {
            this(policy, start, ThreadScheduling::setCurrentThreadRealtime);
        }

        /** The loop woke {@code lateNanos} after a deadline. */
        void onLate(long lateNanos) {
            if (refused || lateNanos < policy.minDelay().toNanos() || current >= policy.maxRealtimePriority()) {
                return;
            }
            int next = current + 1;
            try {
                scheduler.setRealtime(next);
            } catch (Exception e) { // NativeException: no CAP_SYS_NICE, or an RLIMIT_RTPRIO below it
                refused = true;
                LOG.warn("event loop woke {} ms late, but raising it to SCHED_RR priority {} was refused: {}",
                        lateNanos / 1_000_000, next, e.getMessage());
                return;
            }
            current = next;
            LOG.warn("event loop woke {} ms late: it now runs at SCHED_RR priority {} (at most {})",
                    lateNanos / 1_000_000, next, policy.maxRealtimePriority());
        }

        int current() {
            return current;
        }
    }
}
