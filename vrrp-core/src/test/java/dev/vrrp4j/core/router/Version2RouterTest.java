package dev.vrrp4j.core.router;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.packet.Advertisement;
import dev.vrrp4j.core.packet.PacketDropReason;
import dev.vrrp4j.core.router.SimulatedLan.Host;
import dev.vrrp4j.core.router.SimulatedLan.Sent;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.vrrp4j.core.router.SimulatedLan.MS;
import static dev.vrrp4j.core.router.SimulatedLan.SECOND;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * VRRPv2 (RFC 3768) where it differs from VRRPv3, on the simulated LAN with exact times:
 * Skew_Time is (256 - Priority) / 256 seconds whatever the interval (§6.1), an advertisement with
 * another Adver Int, Auth Type or password is dropped and counted (§7.1; RFC 2338 §7.1), and a
 * router of one version ignores the other's advertisements.
 */
class Version2RouterTest {
    /** RFC 3768 §6.1 at Advertisement_Interval 2 s: 3 * 2 s + (256 - 200) / 256 s. */
    private static final long DOWN_200_AT_2S = 6 * SECOND + 56 * SECOND / 256;   // 6.21875 s
    /** The same for priority 100: 6 s + 156/256 s (VRRPv3 would wait 6 s + 2 * 156/256 s). */
    private static final long DOWN_100_AT_2S = 6 * SECOND + 156 * SECOND / 256;  // 6.609375 s
    private static final long SKEW_100 = 156 * SECOND / 256;                     // 0.609375 s

    private final SimulatedLan lan = new SimulatedLan();

    private static RouterConfig.Builder v2(int priority) {
        return RouterConfig.builder("VI_1", AddressFamily.IPV4, 51).priority(priority).version(2)
                .advertIntervalCentis(200).virtualAddresses("192.0.2.100/24");
    }

    @Test
    void skewTimeIsInSecondsWhateverTheInterval() {
        VirtualRouter v2 = new VirtualRouter(v2(100).build(), VirtualAddress.parseLiteral("192.0.2.1"));
        VirtualRouter v3 = new VirtualRouter(v2(100).version(3).build(), VirtualAddress.parseLiteral("192.0.2.1"));

        assertThat(v2.skewTimeNanos()).isEqualTo(SKEW_100);
        assertThat(v2.activeDownIntervalNanos()).isEqualTo(DOWN_100_AT_2S);
        assertThat(v3.skewTimeNanos()).as("VRRPv3 scales the skew with the interval").isEqualTo(2 * SKEW_100);
    }

    @Test
    void coldStartElectsTheHigherPriorityAtItsMasterDownIntervalAndAdvertisesEveryTwoSeconds() {
        Host a = lan.add("A", "192.0.2.1", v2(200).authPassword("s3cr3t").build());
        Host b = lan.add("B", "192.0.2.2", v2(100).authPassword("s3cr3t").build());
        lan.startAll();
        lan.runUntil(20 * SECOND);

        assertThat(a.lastEntered(State.ACTIVE)).isEqualTo(DOWN_200_AT_2S);
        assertThat(b.everWas(State.ACTIVE)).isFalse();
        List<Sent> sent = lan.sentBy(a);
        assertThat(sent).extracting(Sent::atNanos).containsExactly(DOWN_200_AT_2S, DOWN_200_AT_2S + 2 * SECOND,
                DOWN_200_AT_2S + 4 * SECOND, DOWN_200_AT_2S + 6 * SECOND, DOWN_200_AT_2S + 8 * SECOND,
                DOWN_200_AT_2S + 10 * SECOND, DOWN_200_AT_2S + 12 * SECOND);
        assertThat(b.router.counters().advertsReceived()).isEqualTo(7);
        assertThat(b.router.counters().dropsByReason()).isEmpty();
    }

    @Test
    void backupTakesOverAtMasterDownIntervalAfterTheLastAdvertAndAfterSkewTimeOnPriorityZero() {
        Host a = lan.add("A", "192.0.2.1", v2(200).build());
        Host b = lan.add("B", "192.0.2.2", v2(100).build());
        lan.startAll();
        lan.runUntil(10_500 * MS);
        lan.kill(a);
        long lastAdvert = lan.sentBy(a).getLast().atNanos();
        lan.runUntil(30 * SECOND);

        assertThat(lastAdvert).isEqualTo(DOWN_200_AT_2S + 4 * SECOND);
        assertThat(b.lastEntered(State.ACTIVE)).isEqualTo(lastAdvert + lan.latencyNanos() + DOWN_100_AT_2S);

        lan.restart(a); // preempts B after its own Master_Down_Interval
        long restart = lan.now();
        lan.runUntil(50 * SECOND);
        assertThat(a.lastEntered(State.ACTIVE)).isEqualTo(restart + DOWN_200_AT_2S);
        lan.shutdown(a);
        long stop = lan.now();
        lan.runUntil(60 * SECOND);
        assertThat(b.lastEntered(State.ACTIVE)).isEqualTo(stop + lan.latencyNanos() + SKEW_100);
        assertThat(b.transitions.getLast().reason()).isEqualTo(TransitionReason.ACTIVE_LEFT);
    }

    @Test
    void aWrongPasswordIsDroppedAndCountedSoBothBecomeActive() {
        Host a = lan.add("A", "192.0.2.1", v2(200).authPassword("s3cr3t").build());
        Host b = lan.add("B", "192.0.2.2", v2(100).authPassword("wrong").build());
        lan.startAll();
        lan.runUntil(20 * SECOND);

        assertThat(a.lastEntered(State.ACTIVE)).isEqualTo(DOWN_200_AT_2S);
        assertThat(b.lastEntered(State.ACTIVE)).as("B never accepts A").isEqualTo(DOWN_100_AT_2S);
        assertThat(lan.holders()).containsExactlyInAnyOrder(a, b);
        assertThat(b.router.counters().drops(PacketDropReason.AUTH_FAILURE)).isEqualTo(lan.sentBy(a).size());
        assertThat(a.router.counters().drops(PacketDropReason.AUTH_FAILURE)).isEqualTo(lan.sentBy(b).size());
        assertThat(b.router.counters().advertsReceived()).as("dropped before counting as received").isZero();
    }

    @Test
    void aPasswordAgainstNoneIsAnAuthTypeMismatch() {
        Host a = lan.add("A", "192.0.2.1", v2(200).authPassword("s3cr3t").build());
        Host b = lan.add("B", "192.0.2.2", v2(100).build());
        lan.startAll();
        lan.runUntil(10 * SECOND);

        assertThat(lan.holders()).containsExactlyInAnyOrder(a, b);
        assertThat(b.router.counters().dropsByReason()).isEqualTo(Map.of(PacketDropReason.AUTH_TYPE_MISMATCH,
                (long) lan.sentBy(a).size()));
    }

    @Test
    void anotherAdvertisementIntervalIsDroppedNotLearned() {
        Host a = lan.add("A", "192.0.2.1", v2(200).advertIntervalCentis(100).build());
        Host b = lan.add("B", "192.0.2.2", v2(100).build());
        lan.startAll();
        lan.runUntil(10 * SECOND);

        assertThat(b.lastEntered(State.ACTIVE)).as("B's own 2 s timer ran out").isEqualTo(DOWN_100_AT_2S);
        assertThat(b.router.activeAdverIntervalNanos()).isEqualTo(2 * SECOND);
        assertThat(b.router.counters().drops(PacketDropReason.INTERVAL_MISMATCH)).isPositive();
        assertThat(a.router.counters().drops(PacketDropReason.INTERVAL_MISMATCH)).isPositive();
    }

    @Test
    void version2And3RoutersOfOneVridIgnoreEachOther() {
        Host a = lan.add("A", "192.0.2.1", v2(200).build());
        Host b = lan.add("B", "192.0.2.2", v2(100).version(3).build());
        lan.startAll();
        lan.runUntil(10 * SECOND);

        assertThat(lan.holders()).containsExactlyInAnyOrder(a, b);
        assertThat(a.router.counters().drops(PacketDropReason.VERSION_MISMATCH)).isEqualTo(lan.sentBy(b).size());
        assertThat(b.router.counters().drops(PacketDropReason.VERSION_MISMATCH)).isEqualTo(lan.sentBy(a).size());
    }

    @Test
    void theAdvertisementCarriesThePasswordPaddedToEightBytes() {
        RouterConfig config = v2(100).authPassword("s3cr3t").build();
        assertThat(config.authData()).isEqualTo("s3cr3t\0\0".getBytes(StandardCharsets.US_ASCII));
        assertThat(v2(100).build().authData()).isEqualTo(new byte[8]);
        Advertisement advert = new Advertisement().setVersion2(51, 100, 2, Advertisement.AUTH_PASSWORD,
                "s3cr3t".getBytes(StandardCharsets.US_ASCII));
        assertThat(advert.authDataEquals(config.authData())).isTrue();
    }

    @Test
    void configurationErrorsNameTheFieldTheValueAndTheRange() {
        assertThatThrownBy(() -> v2(100).advertIntervalCentis(150).build())
                .hasMessage("advertIntervalCentis 150 is not a whole number of seconds 1..255 (100..25500"
                        + " centiseconds), as VRRPv2 requires (RFC 3768 §5.3.7)");
        assertThatThrownBy(() -> v2(100).advertIntervalCentis(25600).build())
                .hasMessageStartingWith("advertIntervalCentis 25600 is not a whole number of seconds 1..255");
        assertThatThrownBy(() -> RouterConfig.builder("VI_6", AddressFamily.IPV6, 51).version(2)
                .virtualAddresses("2001:db8::1/64").build())
                .hasMessage("version 2 with family IPV6: VRRPv2 (RFC 3768) is IPv4 only; use version 3");
        assertThatThrownBy(() -> v2(100).authPassword("123456789").build())
                .hasMessage("authPassword length in UTF-8 bytes 9 out of range 0..8");
        assertThatThrownBy(() -> v2(100).version(3).advertIntervalCentis(100).authPassword("s3cr3t").build())
                .hasMessageContaining("authPassword is set but VI_1 is VRRPv3");
        assertThatThrownBy(() -> v2(100).version(4).build()).hasMessage("version 4 out of range 2..3");
        assertThat(v2(100).authPassword("s3cr3t").build().toString()).doesNotContain("s3cr3t").contains("********");
    }
}
