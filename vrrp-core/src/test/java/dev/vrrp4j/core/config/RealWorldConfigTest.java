package dev.vrrp4j.core.config;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.ChecksumForm;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.VirtualAddress;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Configurations in the style of public keepalived guides, read end to end from files. */
class RealWorldConfigTest {

    @Test
    void nginxFailoverMasterGetsKeepalivedsDefaultsAndSplitCommands() throws Exception {
        Path file = Resources.keepalived("nginx-failover/lb1.conf");
        KeepalivedConfig config = KeepalivedConfigParser.parse(file);

        assertThat(config.globals().routerId()).isEqualTo("LB1");
        assertThat(config.globals().enableScriptSecurity()).isTrue();
        assertThat(config.globals().scriptUser()).isEqualTo("root");
        assertThat(config.globals().vrrpVersion()).isNull();

        VrrpScript check = config.script("chk_nginx").orElseThrow();
        assertThat(check.command()).containsExactly("/usr/bin/killall", "-0", "nginx");
        assertThat(check.interval()).isEqualTo(Duration.ofSeconds(2));
        assertThat(check.timeout()).as("keepalived waits one interval when no timeout is set").isEqualTo(check.interval());
        assertThat(check.weight()).isEqualTo(-20);
        assertThat(check.rise()).isEqualTo(2);
        assertThat(check.fall()).isEqualTo(2);
        assertThat(check.where()).isEqualTo(new SourceLocation(file, 11));

        VrrpInstance vi = config.instance("VI_1").orElseThrow();
        assertThat(vi.initialState()).isEqualTo("MASTER");
        assertThat(vi.interfaceName()).isEqualTo("eth0");
        assertThat(vi.vrid()).isEqualTo(51);
        assertThat(vi.priority()).isEqualTo(150);
        assertThat(vi.advertIntervalCentis()).isEqualTo(100);
        assertThat(vi.version()).isEqualTo(3);
        assertThat(vi.preempt()).isTrue();
        assertThat(vi.accept()).as("keepalived's default without strict mode").isTrue();
        assertThat(vi.isIpv6()).isFalse();
        assertThat(vi.virtualAddresses()).containsExactly(
                new VirtualIp("192.0.2.100", 24, "eth0", "eth0:vip", new SourceLocation(file, 38)));
        assertThat(vi.unicastSrcIp()).isEqualTo("192.0.2.11");
        assertThat(vi.unicastPeers()).containsExactly("192.0.2.12");
        assertThat(vi.trackScripts()).containsExactly(new TrackScriptRef("chk_nginx", null));
        assertThat(vi.trackScripts().getFirst().effectiveWeight(check)).isEqualTo(-20);
        assertThat(vi.notifyCommands().master()).containsExactly("/etc/keepalived/notify.sh", "MASTER");
        assertThat(vi.notifyCommands().backup()).containsExactly("/etc/keepalived/notify.sh", "BACKUP");
        assertThat(vi.notifyCommands().fault()).containsExactly("/etc/keepalived/notify.sh", "FAULT");
        assertThat(vi.notifyCommands().stop()).isEmpty();
        assertThat(vi.garpMasterDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(vi.garpMasterRepeat()).isEqualTo(5);
        assertThat(vi.garpMasterRefresh()).isZero();
        assertThat(vi.where()).isEqualTo(new SourceLocation(file, 19));

        assertThat(config.warnings()).singleElement().satisfies(w -> {
            assertThat(w.keyword()).isEqualTo("authentication");
            assertThat(w.where()).isEqualTo(new SourceLocation(file, 32));
            assertThat(w.toString()).startsWith(file + ":32: warning: authentication is not supported");
        });
    }

    @Test
    void nginxFailoverMasterMapsToTheRouterCore() throws Exception {
        VrrpInstance vi = KeepalivedConfigParser.parse(Resources.keepalived("nginx-failover/lb1.conf"))
                .instance("VI_1").orElseThrow();

        RouterConfig router = vi.toRouterConfig();

        assertThat(router.name()).isEqualTo("VI_1");
        assertThat(router.family()).isEqualTo(AddressFamily.IPV4);
        assertThat(router.vrid()).isEqualTo(51);
        assertThat(router.priority()).isEqualTo(150);
        assertThat(router.advertIntervalCentis()).isEqualTo(100);
        assertThat(router.acceptMode()).isTrue();
        // dev eth0 is the instance's own interface: the same as none; the label is installed
        assertThat(router.virtualAddresses()).containsExactly(VirtualAddress.parse("192.0.2.100/24")
                .withOptions(dev.vrrp4j.core.router.AddressOptions.DEFAULT.withLabel("eth0:vip")));
        assertThat(router.ipv4ChecksumForm()).isEqualTo(ChecksumForm.PSEUDO_HEADER);
    }

    @Test
    void nginxFailoverBackupKeepsNopreemptAndPerTrackWeight() throws Exception {
        KeepalivedConfig config = KeepalivedConfigParser.parse(Resources.keepalived("nginx-failover/lb2.conf"));

        VrrpInstance vi = config.instance("VI_1").orElseThrow();
        assertThat(vi.initialState()).isEqualTo("BACKUP");
        assertThat(vi.preempt()).isFalse();
        assertThat(vi.trackInterfaces()).containsExactly("eth1");
        assertThat(vi.trackScripts()).containsExactly(new TrackScriptRef("chk_nginx", -30));
        assertThat(vi.trackScripts().getFirst().effectiveWeight(config.script("chk_nginx").orElseThrow())).isEqualTo(-30);
        assertThat(config.script("chk_nginx").orElseThrow().command()).containsExactly("/usr/bin/pidof", "nginx");
        assertThat(vi.notifyCommands().generic()).containsExactly("/etc/keepalived/notify.sh");
        assertThat(vi.notifyCommands().stop()).containsExactly("/etc/keepalived/stopped.sh");
        assertThat(vi.notifyCommands().master()).isEmpty();
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void theClassicGuideWithoutAVersionRunsAsVrrpV2WithItsPassword() throws Exception {
        Path file = Resources.keepalived("nginx-failover/lb1.conf");
        String guide = Files.readString(file).replace("    version 3\n", "    # (no version: keepalived defaults to 2)\n");

        KeepalivedConfig config = Resources.parse(guide);

        RouterConfig router = config.instance("VI_1").orElseThrow().toRouterConfig();
        assertThat(router.version()).isEqualTo(2);
        assertThat(router.authPassword()).isEqualTo("s3cr3t");
        assertThat(router.advertIntervalSeconds()).isEqualTo(1);
        assertThat(config.warnings()).as("the authentication block is used, not ignored").isEmpty();
    }

    @Test
    void syncGroupOfTwoInstancesWithGlobalDefaults() throws Exception {
        Path file = Resources.keepalived("multi-instance-sync.conf");
        KeepalivedConfig config = KeepalivedConfigParser.parse(file);

        assertThat(config.instances()).extracting(VrrpInstance::name).containsExactly("VI_EXT", "VI_INT");
        VrrpInstance ext = config.instance("VI_EXT").orElseThrow();
        VrrpInstance internal = config.instance("VI_INT").orElseThrow();
        assertThat(ext.version()).as("vrrp_version 3 in global_defs").isEqualTo(3);
        assertThat(ext.advertIntervalCentis()).as("advert_int 0.5").isEqualTo(50);
        assertThat(ext.garpMasterDelay()).isEqualTo(Duration.ofSeconds(2));
        assertThat(ext.garpMasterRepeat()).isEqualTo(3);
        assertThat(ext.garpMasterRefresh()).isZero();
        assertThat(internal.garpMasterRefresh()).isEqualTo(Duration.ofSeconds(60));
        assertThat(internal.interfaceName()).isEqualTo("eth1");
        assertThat(internal.virtualAddresses()).extracting(VirtualIp::toString)
                .containsExactly("198.51.100.1/24", "198.51.100.2/24");
        assertThat(ext.trackScripts()).as("unweighted: kept in a sync group").containsExactly(new TrackScriptRef("chk_uplink", null));

        SyncGroupDef group = config.syncGroups().getFirst();
        assertThat(group.name()).isEqualTo("VG_1");
        assertThat(group.instances()).containsExactly("VI_EXT", "VI_INT");
        assertThat(group.where()).isEqualTo(new SourceLocation(file, 19));
        assertThat(group.notifyCommands().master()).containsExactly("/usr/local/sbin/gw-notify.sh", "master");
        assertThat(group.notifyCommands().fault()).containsExactly("/usr/local/sbin/gw-notify.sh", "fault");
        assertThat(config.syncGroupOf("VI_INT")).contains(group);

        VrrpScript uplink = config.script("chk_uplink").orElseThrow();
        assertThat(uplink.command()).containsExactly("/bin/sh", "-c", "ping -c1 -W1 203.0.113.1 >/dev/null");
        assertThat(uplink.timeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void ipv6InstanceIsVrrpV3WithoutSayingSo() throws Exception {
        KeepalivedConfig config = KeepalivedConfigParser.parse(Resources.keepalived("ipv6.conf"));

        VrrpInstance v6 = config.instance("VI_6").orElseThrow();
        assertThat(v6.isIpv6()).isTrue();
        assertThat(v6.family()).isEqualTo(AddressFamily.IPV6);
        assertThat(v6.version()).isEqualTo(3);
        assertThat(v6.virtualAddresses()).extracting(VirtualIp::toString)
                .containsExactly("fe80::60/64", "2001:db8:60::1/64", "2001:db8:60::2/128");
        assertThat(v6.unicastSrcIp()).isEqualTo("2001:db8:60::11");
        assertThat(v6.unicastPeers()).containsExactly("2001:db8:60::12");
        assertThat(v6.toRouterConfig().virtualAddresses().getFirst().address().isLinkLocalAddress()).isTrue();

        VrrpInstance v4 = config.instance("VI_4").orElseThrow();
        assertThat(v4.isIpv6()).isFalse();
        assertThat(v4.vrid()).as("the same VRID is fine in the other family").isEqualTo(v6.vrid());
    }

    @Test
    void confDGlobIsReadInSortedOrderRelativeToTheIncludingFile() throws Exception {
        Path main = Resources.keepalived("include/keepalived.conf");
        KeepalivedConfig config = KeepalivedConfigParser.parse(main);

        assertThat(config.scripts()).extracting(VrrpScript::name).containsExactly("chk_web", "chk_db");
        assertThat(config.instances()).extracting(VrrpInstance::name).containsExactly("VI_WEB", "VI_DB");
        VrrpInstance web = config.instance("VI_WEB").orElseThrow();
        assertThat(web.where()).isEqualTo(new SourceLocation(main.getParent().resolve("conf.d/10-web.conf"), 1));
        assertThat(web.version()).isEqualTo(3);
        assertThat(web.virtualAddresses()).extracting(VirtualIp::toString).containsExactly("192.0.2.80/24");
        assertThat(web.trackScripts()).containsExactly(new TrackScriptRef("chk_web", null));
        assertThat(config.script("chk_db").orElseThrow().where())
                .isEqualTo(new SourceLocation(main.getParent().resolve("scripts/checks.inc"), 5));
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void lvsBlocksAreSkippedWithOneWarningPerKeywordAndTheVrrpPartStillParses() throws Exception {
        Path file = Resources.keepalived("lvs.conf");
        KeepalivedConfig config = KeepalivedConfigParser.parse(file);

        assertThat(config.instances()).singleElement().satisfies(vi -> {
            assertThat(vi.name()).isEqualTo("VI_1");
            assertThat(vi.virtualAddresses()).extracting(VirtualIp::toString).containsExactly("192.0.2.200/32", "192.0.2.201/32");
        });
        assertThat(config.warnings()).extracting(ConfigWarning::keyword).containsExactly(
                "notification_email", "notification_email_from", "smtp_server", "smtp_connect_timeout",
                "lvs_sync_daemon", "smtp_alert", "virtual_server_group", "virtual_server");
        assertThat(config.warnings()).extracting(w -> w.where().line()).containsExactly(4, 8, 9, 10, 12, 22, 29, 34);
        assertThat(config.warnings()).filteredOn(w -> w.keyword().equals("virtual_server")).singleElement()
                .extracting(ConfigWarning::message).asString()
                .isEqualTo("virtual_server is not supported by vrrp4j (LVS/IPVS load balancing is not part of vrrp4j);"
                        + " the block is ignored");
        assertThat(config.warnings()).allSatisfy(w -> assertThat(w.where().file()).isEqualTo(file));
    }

    @Test
    void everySampleConfigurationParses() throws Exception {
        for (String name : List.of("nginx-failover/lb1.conf", "nginx-failover/lb2.conf", "multi-instance-sync.conf",
                "ipv6.conf", "include/keepalived.conf", "lvs.conf")) {
            KeepalivedConfig config = KeepalivedConfigParser.parse(Resources.keepalived(name));
            assertThat(config.instances()).as(name).isNotEmpty();
            config.instances().forEach(VrrpInstance::toRouterConfig);
        }
    }
}
