package dev.vrrp4j.core.health;

/**
 * How the results of one health check count, with keepalived's {@code vrrp_script} /
 * {@code track_script} semantics.
 *
 * @param rise   consecutive successes that make a failing check healthy, 1..1000
 * @param fall   consecutive failures that make a healthy check failing, 1..1000
 * @param weight -253..253: {@code > 0} adds to the priority while healthy, {@code < 0} subtracts
 *               while failing, {@code 0} puts the router in Fault while failing
 */
public record CheckPolicy(int rise, int fall, int weight) {
    public CheckPolicy {
        checkRange("rise", rise, 1, 1000);
        checkRange("fall", fall, 1, 1000);
        checkRange("weight", weight, -253, 253);
    }

    private static void checkRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(field + " " + value + " out of range " + min + ".." + max);
        }
    }
}
