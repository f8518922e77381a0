package dev.vrrp4j.netty.chaos;

import java.util.Locale;

/**
 * The RFC 9568 §6.1 timers the chaos scenarios are held to, at the suite's 100 ms advertisement
 * interval, and the tolerances added to them. Every bound in the suite is one of these plus
 * {@link #TOLERANCE_MS}.
 */
final class ChaosBounds {
    /** The advertisement interval of every router in the suite, in centiseconds (100 ms). */
    static final int INTERVAL_CENTIS = 10;
    static final double INTERVAL_MS = INTERVAL_CENTIS * 10.0;

    /**
     * Measurement: the {@code ip -ts monitor} and tcpdump timestamps are taken in user space when the
     * kernel's notification or packet is read, 1–4 ms late on an idle machine, more when the two
     * cores are busy; an interval measured between two hosts has two such stamps.
     */
    static final double MEASUREMENT_TOLERANCE_MS = 10;

    /**
     * Scheduling: a timer or a received packet handled late on a loaded 2-core CI machine shared with
     * other builds; the same allowance the takeover-timing ITs use (precision is the benchmarks'
     * business, this suite is about correctness under faults).
     */
    static final double LOAD_ALLOWANCE_MS = 100;

    /** What every bound adds to the RFC's value. */
    static final double TOLERANCE_MS = MEASUREMENT_TOLERANCE_MS + LOAD_ALLOWANCE_MS;

    private ChaosBounds() {}

    /** RFC 9568 §6.1: Skew_Time = ((256 - Priority) * Active_Adver_Interval) / 256. */
    static double skewMs(int priority) {
        return (256 - priority) * INTERVAL_MS / 256;
    }

    /** RFC 9568 §6.1: Active_Down_Interval = (3 * Active_Adver_Interval) + Skew_Time. */
    static double activeDownMs(int priority) {
        return 3 * INTERVAL_MS + skewMs(priority);
    }

    static String describeTolerance() {
        return String.format(Locale.ROOT, "%.0f ms measurement + %.0f ms scheduling allowance = %.0f ms, "
                + "advertisement interval %.0f ms", MEASUREMENT_TOLERANCE_MS, LOAD_ALLOWANCE_MS, TOLERANCE_MS, INTERVAL_MS);
    }
}
