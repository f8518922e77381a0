package dev.vrrp4j.netty.keepalived;

import dev.vrrp4j.core.config.ConfigException;
import dev.vrrp4j.core.config.GlobalDefs;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.netty.AnnounceSettings;
import dev.vrrp4j.netty.EventLoopPriority;
import dev.vrrp4j.netty.RouterStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A keepalived.conf to a node in one call, without starting it (no root, no sockets). */
class KeepalivedConfTest {
    @TempDir
    Path directory;

    @Test
    void aConfigBecomesANodeWithItsRoutersAndWarningsInOneCall() throws Exception {
        Path file = Files.writeString(directory.resolve("keepalived.conf"), """
                vrrp_instance VI_1 {
                    state MASTER
                    interface eth0
                    virtual_router_id 51
                    priority 150
                    advert_int 1
                    authentication {
                        auth_type PASS
                        auth_pass secret
                    }
                    virtual_ipaddress {
                        192.0.2.100/24 label eth0:vip
                    }
                    notify_master "/usr/local/bin/up"
                }
                vrrp_instance VI_2 {
                    interface eth0
                    virtual_router_id 52
                    priority 100
                    virtual_ipaddress {
                        192.0.2.200/24
                    }
                }
                vrrp_sync_group VG_1 {
                    group {
                        VI_1
                        VI_2
                    }
                }
                """);

        KeepalivedConf.Result loaded = KeepalivedConf.load(file).toNode();

        try (var node = loaded.node()) {
            assertThat(node.status().routers()).extracting(RouterStatus::name).containsExactly("VI_1", "VI_2");
            assertThat(node.status().router("VI_1").configuredPriority()).isEqualTo(150);
            assertThat(node.status().router("VI_1").state()).isEqualTo(State.INITIALIZE); // not started
        }
        // The parser's warning (state MASTER inside a sync group); the label is installed, not warned
        // about. VRRPv2 is keepalived's default, so auth_pass is used, not warned about.
        assertThat(loaded.warnings()).extracting(w -> w.keyword()).containsExactly("state");
        assertThat(loaded.warnings()).allSatisfy(w -> assertThat(w.where().toString()).startsWith(file.toString()));
    }

    @Test
    void addressesWithDevOfAnotherInterfaceAndTheirOptionsBuildANodeWithoutWarnings() throws Exception {
        Path file = Files.writeString(directory.resolve("keepalived.conf"), """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    virtual_ipaddress {
                        192.0.2.100/24 dev eth1 label eth1:vip brd + scope site
                        192.0.2.101/32 dev lo scope host no_track
                    }
                    virtual_ipaddress_excluded {
                        2001:db8::7/64 dev dummy0
                    }
                }
                """);

        KeepalivedConf conf = KeepalivedConf.load(file);
        KeepalivedConf.Result loaded = conf.toNode();
        loaded.node().close();

        assertThat(loaded.warnings()).isEmpty();
        var instance = conf.config().instance("VI_1").orElseThrow();
        assertThat(instance.toRouterConfig().virtualAddresses()).extracting(Object::toString).containsExactly(
                "192.0.2.100/24 dev eth1 label eth1:vip brd 192.0.2.255 scope site",
                "192.0.2.101/32 dev lo scope host no_track");
        assertThat(instance.excludedVirtualAddresses()).extracting(Object::toString)
                .containsExactly("2001:db8:0:0:0:0:0:7/64 dev dummy0");
    }

    @Test
    void aVersion2InstanceWithoutAddressesBecomesARouterWithNone() throws Exception {
        Path file = Files.writeString(directory.resolve("keepalived.conf"), """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    no_virtual_ipaddress
                    notify_master "/usr/local/bin/move-floating-ip"
                }
                """);

        KeepalivedConf.Result loaded = KeepalivedConf.load(file).toNode();

        try (var node = loaded.node()) {
            assertThat(node.status().routers()).extracting(RouterStatus::name).containsExactly("VI_1");
        }
        assertThat(loaded.warnings()).isEmpty();
    }

    @Test
    void aWeightedTrackInterfaceBecomesAnInterfaceWeight() throws Exception {
        Path file = Files.writeString(directory.resolve("keepalived.conf"), """
                vrrp_instance VI_1 {
                    interface eth0
                    virtual_router_id 51
                    priority 150
                    track_interface {
                        eth1 weight -20
                        eth2
                    }
                    virtual_ipaddress {
                        192.0.2.100/24
                    }
                }
                """);

        KeepalivedConf.Result loaded = KeepalivedConf.load(file).toNode();

        try (var node = loaded.node()) {
            assertThat(node.status().router("VI_1").configuredPriority()).isEqualTo(150);
        }
        assertThat(loaded.warnings()).isEmpty();
    }

    @Test
    void vrrpRtPriorityWinsOverVrrpPriorityForTheEventLoop() throws Exception {
        GlobalDefs neither = GlobalDefs.DEFAULTS;
        GlobalDefs nice = globals("vrrp_priority -5");
        GlobalDefs both = globals("vrrp_priority -5\n    vrrp_rt_priority 30");

        assertThat(KeepalivedConf.eventLoopPriority(neither)).isEqualTo(EventLoopPriority.INHERIT);
        assertThat(KeepalivedConf.eventLoopPriority(nice)).isEqualTo(EventLoopPriority.nice(-5));
        assertThat(KeepalivedConf.eventLoopPriority(both)).isEqualTo(EventLoopPriority.realtime(30));
    }

    @Test
    void garpTuningReachesTheAnnounceSettingsWithKeepalivedsDefaults() throws Exception {
        AnnounceSettings defaults = announce("", "");
        assertThat(defaults.refreshCount()).isEqualTo(1);
        assertThat(defaults.lowerPriorityCount()).as("garp_lower_prio_repeat: vrrp_garp_master_repeat").isEqualTo(5);
        assertThat(defaults.lowerPriorityDelay()).isEqualTo(java.time.Duration.ofSeconds(5));
        assertThat(defaults.arpInterval()).isZero();

        AnnounceSettings tuned = announce("""
                    vrrp_garp_master_repeat 3
                    vrrp_garp_lower_prio_delay 10
                    vrrp_garp_interval 0.001
                    vrrp_gna_interval 0.000250
                """, """
                    garp_master_refresh 60
                    garp_master_refresh_repeat 2
                    garp_lower_prio_repeat 1
                """);
        assertThat(tuned.burstCount()).isEqualTo(3);
        assertThat(tuned.refreshInterval()).isEqualTo(java.time.Duration.ofSeconds(60));
        assertThat(tuned.refreshCount()).isEqualTo(2);
        assertThat(tuned.lowerPriorityCount()).isEqualTo(1);
        assertThat(tuned.lowerPriorityDelay()).isEqualTo(java.time.Duration.ofSeconds(10));
        assertThat(tuned.arpInterval()).isEqualTo(java.time.Duration.ofMillis(1));
        assertThat(tuned.naInterval()).isEqualTo(java.time.Duration.ofNanos(250_000));
    }

    private GlobalDefs globals(String lines) throws Exception {
        Path file = java.nio.file.Files.writeString(directory.resolve("globals.conf"), "global_defs {\n    " + lines
                + "\n}\nvrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    version 3\n"
                + "    virtual_ipaddress {\n        192.0.2.100/24\n    }\n}\n");
        return dev.vrrp4j.core.config.KeepalivedConfigParser.parse(file).globals();
    }

    private AnnounceSettings announce(String globalLines, String instanceLines) throws Exception {
        Path file = java.nio.file.Files.writeString(directory.resolve("garp.conf"), "global_defs {\n" + globalLines
                + "}\nvrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    version 3\n"
                + instanceLines + "    virtual_ipaddress {\n        192.0.2.100/24\n    }\n}\n");
        return KeepalivedConf.announce(dev.vrrp4j.core.config.KeepalivedConfigParser.parse(file).instances().getFirst());
    }
}
