package dev.vrrp4j.netty.testing;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * Who held a virtual address when: the hosts of a LAN, each either holding it or not over time, and
 * the intervals in which the number of holders was zero or more than one. Pure: built from
 * timestamped changes, so the arithmetic is unit-tested apart from the namespaces.
 *
 * <p>A host holds the address while it is on its interface <em>and</em> the host is in service. A
 * host is out of service while its VRRP process is killed or its link is down: the address a
 * {@code kill -9} leaves on the interface is kept by nothing and answered for by nobody the LAN
 * can reach after the new Active's gratuitous ARP; counting it would make every crash a "two
 * holders" interval that lasts until the host restarts.
 */
public final class HolderTimeline {
    /** A host starts or stops having the address, or goes in or out of service, at a wall-clock time. */
    public record Change(double epochSeconds, int host, Kind kind, boolean on) {}

    /** What a {@link Change} is about. */
    public enum Kind {
        /** The address appeared on ({@code on}) or left the host's interface. */
        ADDRESS,
        /** The host came into ({@code on}) or went out of service. */
        SERVICE
    }

    /** A maximal time interval, in epoch seconds, in which the holder count met a condition. */
    public record Interval(double fromEpochSeconds, double toEpochSeconds, int holders) {
        public double millis() {
            return (toEpochSeconds - fromEpochSeconds) * 1000;
        }
    }

    private final int hostCount;
    private final List<Change> changes;

    /** Every host starts without the address and in service; {@code changes} in any order. */
    public HolderTimeline(int hostCount, List<Change> changes) {
        this.hostCount = hostCount;
        List<Change> sorted = new ArrayList<>(changes);
        sorted.sort(Comparator.comparingDouble(Change::epochSeconds));
        this.changes = List.copyOf(sorted);
    }

    /** The number of holders just after {@code epochSeconds}. */
    public int holdersAt(double epochSeconds) {
        State state = new State(hostCount);
        for (Change change : changes) {
            if (change.epochSeconds() > epochSeconds) {
                break;
            }
            state.apply(change);
        }
        return state.holders();
    }

    /**
     * The maximal intervals within [{@code from}, {@code to}] in which the holder count satisfied
     * {@code condition}, clipped to that window.
     */
    public List<Interval> intervals(double from, double to, IntPredicate condition) {
        State state = new State(hostCount);
        List<Interval> result = new ArrayList<>();
        double start = Double.NaN;
        int worst = 0;
        double now = from;
        int index = 0;
        while (index < changes.size() && changes.get(index).epochSeconds() <= from) {
            state.apply(changes.get(index++));
        }
        while (true) {
            int holders = state.holders();
            if (condition.test(holders)) {
                if (Double.isNaN(start)) {
                    start = now;
                    worst = holders;
                } else if (Math.abs(holders - 1) > Math.abs(worst - 1)) {
                    worst = holders;
                }
            } else if (!Double.isNaN(start)) {
                result.add(new Interval(start, now, worst));
                start = Double.NaN;
            }
            if (index >= changes.size() || changes.get(index).epochSeconds() >= to) {
                break;
            }
            // Apply every change at the same instant before testing again: a swap in one
            // timestamp is no interval at all.
            now = changes.get(index).epochSeconds();
            while (index < changes.size() && changes.get(index).epochSeconds() == now) {
                state.apply(changes.get(index++));
            }
        }
        if (!Double.isNaN(start) && to > start) {
            result.add(new Interval(start, to, worst));
        }
        return result;
    }

    /** The longest interval in the window with no holder; null if there is none. */
    public Interval longestWithNone(double from, double to) {
        return longest(intervals(from, to, n -> n == 0));
    }

    /** The longest interval in the window with two or more holders; null if there is none. */
    public Interval longestWithSeveral(double from, double to) {
        return longest(intervals(from, to, n -> n >= 2));
    }

    /** The length of {@code interval} in ms, 0 for none. */
    public static double millis(Interval interval) {
        return interval == null ? 0 : interval.millis();
    }

    private static Interval longest(List<Interval> intervals) {
        return intervals.stream().max(Comparator.comparingDouble(Interval::millis)).orElse(null);
    }

    private static final class State {
        private final boolean[] address;
        private final boolean[] inService;

        State(int hostCount) {
            address = new boolean[hostCount];
            inService = new boolean[hostCount];
            java.util.Arrays.fill(inService, true);
        }

        void apply(Change change) {
            if (change.kind() == Kind.ADDRESS) {
                address[change.host()] = change.on();
            } else {
                inService[change.host()] = change.on();
            }
        }

        int holders() {
            int holders = 0;
            for (int host = 0; host < address.length; host++) {
                if (address[host] && inService[host]) {
                    holders++;
                }
            }
            return holders;
        }
    }
}
