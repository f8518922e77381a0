package dev.vrrp4j.core.config;

import java.net.InetAddress;

/**
 * keepalived settings that vrrp4j accepts only with the RFC's value, because every router of a
 * virtual router must agree on them and vrrp4j does not implement the others: the multicast group
 * and the number of advertisements in the down timer. Other values are errors rather than warnings:
 * ignoring them would leave peers unable to hear each other, or disagreeing about when one is down.
 */
final class RfcOnlySettings {
    /** RFC 9568 §5.1.1.2 / §5.1.2.2: the only groups vrrp4j sends to. */
    static final String MCAST_GROUP4 = "224.0.0.18";
    static final String MCAST_GROUP6 = "ff02::12";

    private final Diagnostics diagnostics;
    private final Values values;

    RfcOnlySettings(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.values = new Values(diagnostics);
    }

    /** {@code vrrp_mcast_group4/6}: accepted when it is the RFC's group. */
    void requireGroup(Statement line, String expected) {
        String v = values.oneArg(line);
        InetAddress address = values.literal(line, line.name(), v);
        if (address != null && !address.equals(Values.address(expected))) {
            diagnostics.error(line.where(), line.name() + " " + v + ": vrrp4j only uses the RFC 9568 group " + expected
                    + "; peers using another group would not hear it");
        }
    }

    /** {@code mcast_dst_ip} of an instance, checked once its family is known. */
    void requireGroup(Token destination, boolean ipv6) {
        String expected = ipv6 ? MCAST_GROUP6 : MCAST_GROUP4;
        if (!Values.address(destination.text()).equals(Values.address(expected))) {
            diagnostics.error(destination.where(), "mcast_dst_ip " + destination.text() + ": vrrp4j only uses the"
                    + " RFC 9568 group " + expected + "; peers using another group would not hear it");
        }
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
