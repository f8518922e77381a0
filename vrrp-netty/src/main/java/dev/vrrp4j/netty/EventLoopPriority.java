package dev.vrrp4j.netty;

import dev.vrrp4j.netty.transport.NativeException;
import dev.vrrp4j.netty.transport.ThreadScheduling;
import org.slf4j.LoggerFactory;

/**
 * The CPU scheduling of the node's event-loop thread (the thread that sends and receives every
 * advertisement and runs every timer), like keepalived's {@code vrrp_priority} (a nice value) and
 * {@code vrrp_rt_priority} (a realtime priority) for its VRRP process. Only that one thread is
 * changed: the application's threads, the listener and the health checks keep theirs.
 *
 * <p>Why: an application busy on every core (or a concurrent collector's threads) delays the
 * thread that must send an advertisement every interval, and a Backup takes over if three in a
 * row are late. Measured in {@code benchmarks/README.md} ("jitter under load").
 *
 * <p>Raising a priority needs CAP_SYS_NICE (or root, or an RLIMIT_NICE / RLIMIT_RTPRIO that
 * allows it). If it is refused, the node logs a warning naming the capability and runs at the
 * normal priority, as keepalived does.
 *
 * @param policy the scheduling policy
 * @param value  the nice value (-20..19) for {@link Policy#NICE}, the realtime priority (1..99)
 *               for {@link Policy#REALTIME}, 0 for {@link Policy#INHERIT}
 */
public record EventLoopPriority(Policy policy, int value) {
    /** How the event-loop thread is scheduled. */
    public enum Policy {
        /** As the thread that starts the node: nothing is changed. */
        INHERIT,
        /** SCHED_OTHER with a nice value: more CPU share under contention, never starves others. */
        NICE,
        /**
         * SCHED_RR with a realtime priority: runs before every ordinary thread on the machine. The
         * loop uses little CPU (well under 1 % of a core at one router), which is what makes this
         * safe; the kernel's realtime throttling still keeps 5 % for the rest.
         */
        REALTIME
    }

    /** The default: the event loop runs like any other thread. */
    public static final EventLoopPriority INHERIT = new EventLoopPriority(Policy.INHERIT, 0);

    public EventLoopPriority {
        if (policy == null) {
            throw new IllegalArgumentException("eventLoopPriority.policy: must not be null");
        }
        switch (policy) {
            case INHERIT -> {
                if (value != 0) {
                    throw new IllegalArgumentException("eventLoopPriority.value: " + value + " given for INHERIT, which takes none (0)");
                }
            }
            case NICE -> {
                if (value < -20 || value > 19) {
                    throw new IllegalArgumentException("eventLoopPriority.nice: " + value + " is out of range -20..19");
                }
            }
            case REALTIME -> {
                if (value < 1 || value > 99) {
                    throw new IllegalArgumentException("eventLoopPriority.realtime: " + value + " is out of range 1..99");
                }
            }
        }
    }

    /** SCHED_OTHER with nice value {@code nice} (-20 is the highest priority, 19 the lowest). */
    public static EventLoopPriority nice(int nice) {
        return new EventLoopPriority(Policy.NICE, nice);
    }

    /** SCHED_RR with realtime priority {@code priority} (1..99, higher runs first). */
    public static EventLoopPriority realtime(int priority) {
        return new EventLoopPriority(Policy.REALTIME, priority);
    }

    /** Applies this scheduling to the calling thread (the event loop). A refusal is a warning, as in keepalived. */
    void applyToCurrentThread() {
        try {
            switch (policy) {
                case INHERIT -> { }
                case NICE -> {
                    ThreadScheduling.setCurrentThreadNice(value);
                    LoggerFactory.getLogger(EventLoopPriority.class).info("event loop runs at nice {}", value);
                }
                case REALTIME -> {
                    ThreadScheduling.setCurrentThreadRealtime(value);
                    LoggerFactory.getLogger(EventLoopPriority.class).info("event loop runs at SCHED_RR priority {}", value);
                }
            }
        } catch (NativeException e) {
            LoggerFactory.getLogger(EventLoopPriority.class)
                    .warn("event loop priority not changed, running at the normal priority: {}", e.getMessage());
        }
    }
}
