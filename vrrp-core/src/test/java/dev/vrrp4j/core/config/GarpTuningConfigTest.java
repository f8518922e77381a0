package dev.vrrp4j.core.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** The finer gratuitous ARP / NA keywords, with keepalived 2.4.3's defaults (vrrp.c, global_parser.c). */
class GarpTuningConfigTest {
    private static GarpTuning tuning(String global, String instance) throws ConfigException {
        return Resources.parse("global_defs {\n" + global + "}\nvrrp_instance VI_1 {\n    interface eth0\n"
                + "    virtual_router_id 51\n    version 3\n" + instance
                + "    virtual_ipaddress {\n        192.0.2.100/24\n    }\n}\n").instance("VI_1").orElseThrow().garpTuning();
    }

    @Test
    void keepalivedsDefaults() throws Exception {
        assertThat(tuning("", "")).isEqualTo(new GarpTuning(1, 5, Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO));
    }

    @Test
    void theLowerPriorityBurstFollowsTheGlobalMasterSettingsNotTheInstances() throws Exception {
        // keepalived: vrrp_garp_lower_prio_rep defaults to the global vrrp_garp_rep, and an instance's
        // garp_lower_prio_repeat to that, whatever the instance's own garp_master_repeat says.
        assertThat(tuning("    vrrp_garp_master_repeat 2\n    vrrp_garp_master_delay 7\n", "    garp_master_repeat 9\n"))
                .isEqualTo(new GarpTuning(1, 2, Duration.ofSeconds(7), Duration.ZERO, Duration.ZERO));
        assertThat(tuning("    vrrp_min_garp\n", "")).as("vrrp_min_garp: one announcement, no second burst")
                .isEqualTo(new GarpTuning(1, 1, Duration.ZERO, Duration.ZERO, Duration.ZERO));
    }

    @Test
    void globalAndInstanceKeywords() throws Exception {
        GarpTuning tuned = tuning("""
                    vrrp_garp_master_refresh_repeat 3
                    vrrp_garp_lower_prio_repeat 4
                    vrrp_garp_lower_prio_delay 12
                    vrrp_garp_interval 0.001
                    vrrp_gna_interval .000002
                """, """
                    garp_master_refresh_repeat 2
                    garp_lower_prio_repeat 0
                """);
        assertThat(tuned).isEqualTo(new GarpTuning(2, 0, Duration.ofSeconds(12), Duration.ofMillis(1),
                Duration.ofNanos(2_000)));
    }

    @Test
    void badValuesAreErrorsNamingTheKeywordAndTheRange() {
        ConfigException precision = Resources.refuse("global_defs {\n    vrrp_garp_interval 0.0000001\n}\n"
                + "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    version 3\n"
                + "    virtual_ipaddress {\n        192.0.2.100/24\n    }\n}\n");
        assertThat(precision.errors()).extracting(e -> e.where().line() + " " + e.message())
                .containsExactly("2 vrrp_garp_interval 0.0000001 is not a whole number of microseconds");
        ConfigException repeat = Resources.refuse("vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n"
                + "    version 3\n    garp_master_refresh_repeat 0\n    virtual_ipaddress {\n        192.0.2.100/24\n"
                + "    }\n}\n");
        assertThat(repeat.errors()).extracting(e -> e.where().line() + " " + e.message())
                .containsExactly("5 garp_master_refresh_repeat 0 out of range 1..2147483647");
    }
}
