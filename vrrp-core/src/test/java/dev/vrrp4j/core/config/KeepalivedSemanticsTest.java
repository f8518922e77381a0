package dev.vrrp4j.core.config;

import dev.vrrp4j.core.packet.ChecksumForm;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The adjustments keepalived 2.2.7 makes to what a configuration says (observed with
 * {@code keepalived -t} and its configuration dump), which vrrp4j repeats and reports.
 */
class KeepalivedSemanticsTest {

    private static String instance(String... lines) {
        return "vrrp_instance VI_1 {\n    interface eth0\n    virtual_router_id 51\n    version 3\n"
                + String.join("\n", lines) + "\n    virtual_ipaddress {\n        192.0.2.100/24\n    }\n}\n";
    }

    private static final String SCRIPTS = """
            vrrp_script chk_a {
                script "/usr/bin/pidof a"
                weight -20
            }
            vrrp_script chk_b {
                script "/usr/bin/pidof b"
            }
            """;

    @Test
    void defaultsAreKeepalivedsOnes() throws Exception {
        VrrpInstance vi = Resources.parse(instance()).instance("VI_1").orElseThrow();

        assertThat(vi.initialState()).isEqualTo("BACKUP");
        assertThat(vi.priority()).isEqualTo(100);
        assertThat(vi.advertIntervalCentis()).isEqualTo(100);
        assertThat(vi.preempt()).isTrue();
        assertThat(vi.preemptDelayMillis()).isZero();
        assertThat(vi.accept()).isTrue();
        assertThat(vi.unicastSrcIp()).isNull();
        assertThat(vi.unicastPeers()).isEmpty();
        assertThat(vi.notifyCommands()).isEqualTo(NotifyCommands.NONE);
        assertThat(vi.garpMasterDelay()).isEqualTo(Duration.ofSeconds(5));
        assertThat(vi.garpMasterRepeat()).isEqualTo(5);
        assertThat(vi.garpMasterRefresh()).isZero();
        assertThat(vi.v3ChecksumAsV2()).isFalse();
    }

    @Test
    void excludedAddressesOfEitherFamilyAreKeptApartFromTheAdvertisedOnes() throws Exception {
        // keepalived 2.2.7 -t accepts this without a remark (see KeepalivedCrossCheckTest)
        KeepalivedConfig config = Resources.parse(instance("    virtual_ipaddress_excluded {",
                "        198.51.100.7/24 dev eth0", "        2001:db8::7/64", "        192.0.2.100/24",
                "        198.51.100.7", "    }"));

        VrrpInstance vi = config.instance("VI_1").orElseThrow();
        assertThat(vi.virtualAddresses()).extracting(VirtualIp::toString).containsExactly("192.0.2.100/24");
        assertThat(vi.excludedAddresses()).extracting(VirtualIp::toString)
                .containsExactly("198.51.100.7/24 dev eth0", "2001:db8::7/64");
        assertThat(vi.family()).as("the advertised addresses give the family").isEqualTo(
                dev.vrrp4j.core.packet.AddressFamily.IPV4);
        assertThat(config.warnings()).extracting(w -> w.where().line() + " " + w.keyword() + ": " + w.message()).containsExactly(
                "9 virtual_ipaddress_excluded: virtual_ipaddress_excluded 198.51.100.7 is listed twice in vrrp_instance VI_1"
                        + " (first at /etc/keepalived/keepalived.conf:6); it is installed once, as 198.51.100.7/24 dev eth0",
                "8 virtual_ipaddress_excluded: virtual_ipaddress_excluded 192.0.2.100 is also in virtual_ipaddress of"
                        + " vrrp_instance VI_1 (at /etc/keepalived/keepalived.conf:12); it is installed once and advertised,"
                        + " as 192.0.2.100/24");
    }

    @Test
    void aBadExcludedAddressIsAnErrorNamingItsBlockAndLine() {
        ConfigException e = org.assertj.core.api.Assertions.catchThrowableOfType(ConfigException.class,
                () -> Resources.parse(instance("    virtual_ipaddress_excluded {", "        198.51.100/24", "    }")));

        assertThat(e.errors()).extracting(ConfigError::toString).singleElement().asString()
                .startsWith("/etc/keepalived/keepalived.conf:6: virtual_ipaddress_excluded 198.51.100/24: '198.51.100' is not"
                        + " an IPv4 address in dotted-quad form");
    }

    @Test
    void dontTrackPrimaryIsReadAndOffByDefault() throws Exception {
        assertThat(Resources.parse(instance()).instance("VI_1").orElseThrow().dontTrackPrimary()).isFalse();
        KeepalivedConfig config = Resources.parse(instance("    dont_track_primary"));
        assertThat(config.instance("VI_1").orElseThrow().dontTrackPrimary()).isTrue();
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void anAddressListedTwiceIsAWarningAndIsInstalledOnce() throws Exception {
        // keepalived 2.2.7 -t accepts this without a remark (see KeepalivedCrossCheckTest); 2.4 drops the repeat
        KeepalivedConfig config = Resources.parse(instance("    virtual_ipaddress {", "        192.0.2.101/24",
                "        192.0.2.100/32 dev eth1", "        192.0.2.101", "    }"));

        assertThat(config.instance("VI_1").orElseThrow().virtualAddresses()).extracting(VirtualIp::toString)
                .containsExactly("192.0.2.101/24", "192.0.2.100/32 dev eth1");
        assertThat(config.warnings()).extracting(w -> w.where().line() + " " + w.keyword() + ": " + w.message()).containsExactly(
                "8 virtual_ipaddress: virtual_ipaddress 192.0.2.101 is listed twice in vrrp_instance VI_1"
                        + " (first at /etc/keepalived/keepalived.conf:6); it is installed once, as 192.0.2.101/24",
                "11 virtual_ipaddress: virtual_ipaddress 192.0.2.100 is listed twice in vrrp_instance VI_1"
                        + " (first at /etc/keepalived/keepalived.conf:7); it is installed once, as 192.0.2.100/32 dev eth1");
    }

    @Test
    void nopreemptIsIgnoredWithStateMaster() throws Exception {
        KeepalivedConfig config = Resources.parse(instance("    state MASTER", "    nopreempt"));

        assertThat(config.instance("VI_1").orElseThrow().preempt()).isTrue();
        assertThat(config.warnings()).singleElement().satisfies(w -> {
            assertThat(w.keyword()).isEqualTo("nopreempt");
            assertThat(w.where().line()).isEqualTo(6);
            assertThat(w.message()).contains("nopreempt does not work with state MASTER");
        });
    }

    @Test
    void nopreemptWorksWithStateBackup() throws Exception {
        KeepalivedConfig config = Resources.parse(instance("    state BACKUP", "    nopreempt"));

        assertThat(config.instance("VI_1").orElseThrow().preempt()).isFalse();
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void theLastOfPreemptAndNopreemptWins() throws Exception {
        assertThat(Resources.parse(instance("    nopreempt", "    preempt")).instance("VI_1").orElseThrow().preempt()).isTrue();
        assertThat(Resources.parse(instance("    preempt", "    nopreempt")).instance("VI_1").orElseThrow().preempt()).isFalse();
    }

    @Test
    void preemptDelayIsFractionalSecondsAndClearedWithStateMasterOrNopreempt() throws Exception {
        assertThat(Resources.parse(instance("    preempt_delay 4.12")).instance("VI_1").orElseThrow().preemptDelayMillis())
                .isEqualTo(4120);

        KeepalivedConfig master = Resources.parse(instance("    state MASTER", "    preempt_delay 30"));
        assertThat(master.instance("VI_1").orElseThrow().preemptDelayMillis()).isZero();
        assertThat(master.warnings()).extracting(ConfigWarning::keyword).containsExactly("preempt_delay");

        KeepalivedConfig nopreempt = Resources.parse(instance("    nopreempt", "    preempt_delay 30"));
        assertThat(nopreempt.instance("VI_1").orElseThrow().preemptDelayMillis()).isZero();
        assertThat(nopreempt.warnings()).singleElement().extracting(ConfigWarning::message).asString()
                .contains("preempt_delay has no effect with nopreempt");
    }

    @Test
    void noAcceptTurnsAcceptModeOff() throws Exception {
        assertThat(Resources.parse(instance("    no_accept")).instance("VI_1").orElseThrow().accept()).isFalse();
        assertThat(Resources.parse(instance("    no_accept", "    accept")).instance("VI_1").orElseThrow().accept()).isTrue();
    }

    @Test
    void mcastSrcIpIsTheSourceAddressLikeUnicastSrcIp() throws Exception {
        VrrpInstance vi = Resources.parse(instance("    mcast_src_ip 192.0.2.11")).instance("VI_1").orElseThrow();

        assertThat(vi.unicastSrcIp()).isEqualTo("192.0.2.11");
        assertThat(vi.unicastPeers()).as("still multicast").isEmpty();
    }

    @Test
    void theRfcMulticastGroupMayBeSpelledOut() throws Exception {
        KeepalivedConfig config = Resources.parse("global_defs {\n    vrrp_mcast_group4 224.0.0.18\n}\n"
                + instance("    mcast_dst_ip 224.0.0.18"));

        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void weightedTrackInterfacesAdjustThePriorityAndTheOwnInterfaceIsIgnoredWhateverItsWeight() throws Exception {
        KeepalivedConfig config = Resources.parse(instance("    track_interface {", "        eth1 weight -20",
                "        eth2 weight 30 noreverse", "        eth3 weight 0", "        eth0 weight -50", "        eth4",
                "        eth1 weight 10", "    }"));

        VrrpInstance vi = config.instance("VI_1").orElseThrow();
        assertThat(vi.weightedTrackInterfaces()).containsExactly(new TrackInterfaceRef("eth1", -20),
                new TrackInterfaceRef("eth2", 30));
        assertThat(vi.trackInterfaces()).as("weight 0 and none: FAULT while down").containsExactly("eth3", "eth4");
        assertThat(config.warnings()).extracting(w -> w.where().line() + ": " + w.message()).containsExactly(
                "9: vrrp_instance VI_1 tracks its own interface eth0 anyway; keepalived ignores this entry, and so does"
                        + " vrrp4j",
                "11: track_interface eth1 is listed twice in vrrp_instance VI_1 (first at"
                        + " /etc/keepalived/keepalived.conf:6); it is tracked once, as first listed");
    }

    @Test
    void weightedTrackInterfacesAreDroppedOnTheOwnerAndFaultInASyncGroupWithoutTrackingWeight() throws Exception {
        KeepalivedConfig owner = Resources.parse(instance("    priority 255", "    track_interface {",
                "        eth1 weight -20", "        eth2", "    }"));
        String members = instance("    track_interface {", "        eth1 weight -20", "    }")
                + instance().replace("VI_1", "VI_2").replace("51", "52").replace("192.0.2.100", "192.0.2.101");
        KeepalivedConfig grouped = Resources.parse(members + "vrrp_sync_group G {\n    group { VI_1 VI_2 }\n}\n");
        KeepalivedConfig weighted = Resources.parse(members
                + "vrrp_sync_group G {\n    group { VI_1 VI_2 }\n    sync_group_tracking_weight\n}\n");

        assertThat(owner.instance("VI_1").orElseThrow().weightedTrackInterfaces()).isEmpty();
        assertThat(owner.instance("VI_1").orElseThrow().trackInterfaces()).containsExactly("eth2");
        assertThat(owner.warnings()).extracting(ConfigWarning::message).containsExactly("vrrp_instance VI_1 has"
                + " priority 255 (address owner): keepalived ignores the weighted track_interface eth1, and so does vrrp4j");
        assertThat(grouped.instance("VI_1").orElseThrow().trackInterfaces()).containsExactly("eth1");
        assertThat(grouped.instance("VI_1").orElseThrow().weightedTrackInterfaces()).isEmpty();
        assertThat(grouped.warnings()).extracting(ConfigWarning::message).containsExactly("vrrp_instance VI_1 is in"
                + " vrrp_sync_group G: keepalived ignores the weight of track_interface eth1 and puts the instance in"
                + " FAULT while it is down, and so does vrrp4j (sync_group_tracking_weight in the group keeps the weight)");
        assertThat(weighted.instance("VI_1").orElseThrow().weightedTrackInterfaces())
                .containsExactly(new TrackInterfaceRef("eth1", -20));
        assertThat(weighted.warnings()).isEmpty();
    }

    @Test
    void theMulticastGroupIsTheInstancesElseTheGlobalOneOfItsFamilyElseTheRfcs() throws Exception {
        String v6 = instance().replace("VI_1", "VI_6").replace("51", "56").replace("192.0.2.100/24", "fe80::56");
        KeepalivedConfig config = Resources.parse("global_defs {\n    vrrp_mcast_group4 224.0.0.19\n"
                + "    vrrp_mcast_group6 ff02::19\n}\n" + instance()
                + instance("    mcast_dst_ip 239.255.0.18").replace("VI_1", "VI_2").replace("51", "52") + v6);
        KeepalivedConfig rfc = Resources.parse(instance());

        assertThat(config.instance("VI_1").orElseThrow().multicastGroup()).isEqualTo("224.0.0.19");
        assertThat(config.instance("VI_2").orElseThrow().multicastGroup()).isEqualTo("239.255.0.18");
        assertThat(config.instance("VI_6").orElseThrow().multicastGroup()).isEqualTo("ff02::19");
        assertThat(rfc.instance("VI_1").orElseThrow().multicastGroup()).as("RFC 9568's group").isNull();
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void mcastDstIpIsIgnoredWithUnicastPeersAndANonLinkLocalGlobalIpv6GroupIsAWarning() throws Exception {
        KeepalivedConfig unicast = Resources.parse(instance("    mcast_dst_ip 224.0.0.19", "    unicast_peer {",
                "        192.0.2.2", "    }"));
        KeepalivedConfig site = Resources.parse("global_defs {\n    vrrp_mcast_group6 ff05::12\n}\n" + instance());

        assertThat(unicast.instance("VI_1").orElseThrow().multicastGroup()).isNull();
        assertThat(unicast.warnings()).extracting(ConfigWarning::message).containsExactly("mcast_dst_ip 224.0.0.19 in"
                + " vrrp_instance VI_1, which has unicast_peer: advertisements go to the peers; keepalived ignores it,"
                + " and so does vrrp4j");
        assertThat(site.globals().vrrpMcastGroup6()).isEqualTo("ff05::12");
        assertThat(site.warnings()).extracting(w -> w.where().line() + ": " + w.message()).containsExactly("2:"
                + " vrrp_mcast_group6 ff05::12 should be link-local multicast (ff02::/16), as keepalived warns too;"
                + " routers on the link hear it all the same");
    }

    @Test
    void weightedTrackScriptsAreIgnoredOnTheAddressOwner() throws Exception {
        KeepalivedConfig config = Resources.parse(SCRIPTS + instance("    priority 255", "    track_script {",
                "        chk_a", "        chk_b", "    }"));

        assertThat(config.instance("VI_1").orElseThrow().trackScripts()).containsExactly(new TrackScriptRef("chk_b", null));
        assertThat(config.warnings()).extracting(ConfigWarning::message).containsExactly(
                "vrrp_instance VI_1 has priority 255 (address owner): keepalived ignores the weighted track_script chk_a,"
                        + " and so does vrrp4j",
                "vrrp_script chk_a is not tracked by any vrrp_instance; it will not run (keepalived does not run it either)");
    }

    @Test
    void weightedTrackScriptsAreIgnoredInASyncGroupUnlessTheGroupKeepsWeights() throws Exception {
        String members = instance("    track_script {", "        chk_a", "        chk_b weight 0", "    }")
                + instance().replace("VI_1", "VI_2").replace("51", "52").replace("192.0.2.100", "192.0.2.101");
        KeepalivedConfig plain = Resources.parse(SCRIPTS + members + "vrrp_sync_group G {\n    group { VI_1 VI_2 }\n}\n");
        KeepalivedConfig weighted = Resources.parse(SCRIPTS + members
                + "vrrp_sync_group G {\n    group { VI_1 VI_2 }\n    sync_group_tracking_weight\n}\n");

        assertThat(plain.instance("VI_1").orElseThrow().trackScripts()).containsExactly(new TrackScriptRef("chk_b", 0));
        assertThat(plain.warnings()).extracting(ConfigWarning::keyword).containsExactly("track_script", "vrrp_script");
        assertThat(weighted.instance("VI_1").orElseThrow().trackScripts())
                .containsExactly(new TrackScriptRef("chk_a", null), new TrackScriptRef("chk_b", 0));
        assertThat(weighted.warnings()).isEmpty();
    }

    @Test
    void trackingTheInstancesOwnInterfaceIsDropped() throws Exception {
        KeepalivedConfig config = Resources.parse(instance("    track_interface {", "        eth0", "        eth1 weight 0",
                "        eth2", "    }"));

        assertThat(config.instance("VI_1").orElseThrow().trackInterfaces()).containsExactly("eth1", "eth2");
        assertThat(config.warnings()).singleElement().extracting(ConfigWarning::where).extracting(SourceLocation::line)
                .isEqualTo(6);
    }

    @Test
    void trackScriptWeightOverridesTheScriptsWeight() throws Exception {
        KeepalivedConfig config = Resources.parse(SCRIPTS + instance("    track_script {", "        chk_a weight 10 noreverse",
                "        chk_b", "    }"));

        VrrpInstance vi = config.instance("VI_1").orElseThrow();
        assertThat(vi.trackScripts()).containsExactly(new TrackScriptRef("chk_a", 10), new TrackScriptRef("chk_b", null));
        assertThat(vi.trackScripts().get(0).effectiveWeight(config.script("chk_a").orElseThrow())).isEqualTo(10);
        assertThat(vi.trackScripts().get(1).effectiveWeight(config.script("chk_b").orElseThrow())).isZero();
    }

    @Test
    void scriptTimeoutDefaultsToTheInterval() throws Exception {
        KeepalivedConfig config = Resources.parse("vrrp_script chk {\n    script \"/bin/true\"\n    interval 7\n}\n"
                + instance("    track_script {", "        chk", "    }"));

        VrrpScript chk = config.script("chk").orElseThrow();
        assertThat(chk.interval()).isEqualTo(Duration.ofSeconds(7));
        assertThat(chk.timeout()).isEqualTo(Duration.ofSeconds(7));
        assertThat(chk.weight()).isZero();
        assertThat(chk.rise()).isEqualTo(1);
        assertThat(chk.fall()).isEqualTo(1);
    }

    @Test
    void v3ChecksumAsV2IsAGlobalDefaultThatInstancesOverride() throws Exception {
        KeepalivedConfig config = Resources.parse("global_defs {\n    v3_checksum_as_v2\n}\n" + instance()
                + instance("    v3_checksum_as_v2 off").replace("VI_1", "VI_2").replace("51", "52"));

        assertThat(config.globals().v3ChecksumAsV2()).isTrue();
        assertThat(config.instance("VI_1").orElseThrow().toRouterConfig().ipv4ChecksumForm()).isEqualTo(ChecksumForm.MESSAGE_ONLY);
        assertThat(config.instance("VI_2").orElseThrow().toRouterConfig().ipv4ChecksumForm()).isEqualTo(ChecksumForm.PSEUDO_HEADER);
    }

    @Test
    void gratuitousArpSettingsComeFromGlobalDefsAndVrrpMinGarp() throws Exception {
        KeepalivedConfig minimal = Resources.parse("global_defs {\n    vrrp_min_garp\n}\n" + instance());
        assertThat(minimal.instance("VI_1").orElseThrow().garpMasterRepeat()).isEqualTo(1);
        assertThat(minimal.instance("VI_1").orElseThrow().garpMasterDelay()).isZero();

        KeepalivedConfig tuned = Resources.parse("global_defs {\n    vrrp_garp_master_delay 10\n    vrrp_garp_master_refresh 60\n}\n"
                + instance("    garp_master_repeat 2", "    garp_master_delay 0"));
        VrrpInstance vi = tuned.instance("VI_1").orElseThrow();
        assertThat(vi.garpMasterDelay()).isZero();
        assertThat(vi.garpMasterRepeat()).isEqualTo(2);
        assertThat(vi.garpMasterRefresh()).isEqualTo(Duration.ofSeconds(60));
        assertThat(tuned.globals().garpMasterDelay()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void vrrpPriorityAndVrrpRtPriorityAreReadWithKeepalivedsRanges() throws Exception {
        KeepalivedConfig config = Resources.parse("global_defs {\n    vrrp_priority -10\n    vrrp_rt_priority 20\n}\n" + instance());
        assertThat(config.globals().vrrpNice()).isEqualTo(-10);
        assertThat(config.globals().vrrpRealtimePriority()).isEqualTo(20);
        assertThat(config.warnings()).isEmpty();
        assertThat(Resources.parse(instance()).globals().vrrpRealtimePriority()).isNull();

        assertThat(Resources.refuse("global_defs {\n    vrrp_rt_priority 100\n}\n" + instance()).errors())
                .singleElement().extracting(ConfigError::message).asString()
                .contains("vrrp_rt_priority").contains("100").contains("1..99");
        assertThat(Resources.refuse("global_defs {\n    vrrp_priority -21\n}\n" + instance()).errors())
                .singleElement().extracting(ConfigError::message).asString()
                .contains("vrrp_priority").contains("-21").contains("-20..19");
    }

    @Test
    void notifyWithAUserRunsTheCommandAndWarnsAboutTheUser() throws Exception {
        KeepalivedConfig config = Resources.parse(instance("    notify_master /etc/keepalived/master.sh root"));

        assertThat(config.instance("VI_1").orElseThrow().notifyCommands().master()).containsExactly("/etc/keepalived/master.sh");
        assertThat(config.warnings()).singleElement().extracting(ConfigWarning::message).asString()
                .isEqualTo("notify_master: keepalived would run /etc/keepalived/master.sh as user 'root'; vrrp4j runs"
                        + " notify scripts as its own user (if 'root' is meant as an argument, quote the whole command)");
    }

    @Test
    void aSyncGroupStartsAsMasterOnlyIfAllItsInstancesSaySo() throws Exception {
        String second = instance("    state MASTER").replace("VI_1", "VI_2").replace("51", "52").replace("192.0.2.100", "192.0.2.101");
        KeepalivedConfig allMaster = Resources.parse(instance("    state MASTER") + second
                + "vrrp_sync_group G {\n    group { VI_1 VI_2 }\n}\n");
        KeepalivedConfig mixed = Resources.parse(instance("    state MASTER") + second.replace("MASTER", "BACKUP")
                + "vrrp_sync_group G {\n    group { VI_1 VI_2 }\n}\n");

        assertThat(allMaster.instances()).extracting(VrrpInstance::initialState).containsExactly("MASTER", "MASTER");
        assertThat(allMaster.warnings()).isEmpty();
        assertThat(mixed.instances()).extracting(VrrpInstance::initialState).containsExactly("BACKUP", "BACKUP");
        assertThat(mixed.warnings()).singleElement().satisfies(w -> {
            assertThat(w.where().line()).isEqualTo(5);
            assertThat(w.message()).isEqualTo("vrrp_instance VI_1 is in vrrp_sync_group G, whose instances are not all"
                    + " state MASTER: keepalived starts it as BACKUP, and so does vrrp4j");
        });
    }

    @Test
    void aSyncGroupOfOneIsAcceptedWithAWarning() throws Exception {
        KeepalivedConfig config = Resources.parse(instance() + "vrrp_sync_group G {\n    group {\n        VI_1\n    }\n}\n");

        assertThat(config.syncGroups()).singleElement().satisfies(g -> assertThat(g.instances()).containsExactly("VI_1"));
        assertThat(config.warnings()).extracting(ConfigWarning::keyword).containsExactly("vrrp_sync_group");
    }

    @Test
    void advertIntervalIsCentiseconds() throws Exception {
        assertThat(Resources.parse(instance("    advert_int 0.01")).instance("VI_1").orElseThrow().advertIntervalCentis()).isEqualTo(1);
        assertThat(Resources.parse(instance("    advert_int 40.95")).instance("VI_1").orElseThrow().advertIntervalCentis()).isEqualTo(4095);
        assertThat(Resources.parse(instance("    advert_int 3")).instance("VI_1").orElseThrow().advertIntervalCentis()).isEqualTo(300);
        assertThat(Resources.parse(instance("    advert_int 1.50")).instance("VI_1").orElseThrow().advertIntervalCentis()).isEqualTo(150);
    }
}
