package dev.vrrp4j.core.config;

/**
 * keepalived settings that vrrp4j accepts only with the RFC's value, because every router of a
 * virtual router must agree on them and vrrp4j does not implement the others: the number of
 * advertisements in the down timer. Other values are errors rather than warnings: ignoring them
 * would leave peers disagreeing about when one is down.
 */
final class RfcOnlySettings {
    private final Diagnostics diagnostics;
    private final Values values;

    RfcOnlySettings(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.values = new Values(diagnostics);
    }

    /** RFC 9568 §6.1: Master_Down_Interval is 3 advertisement intervals plus the skew; all routers must agree. */
    void requireDownTimerAdverts(Statement line) {
        Long v = values.integerArg(line, 1, 100);
        if (v != null && v != 3) {
            diagnostics.error(line.where(), line.name() + " " + v + " is not supported: vrrp4j uses the RFC 9568 value 3,"
                    + " and all routers of a virtual router must use the same value");
        }
    }
}
