package dev.vrrp4j.netty;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.SplitBrainKind;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.TransitionReason;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FailoverListenerTest {

    @Test
    void ofHandsEveryKindOfEventToTheOneConsumerAndDispatchCallsTheMethodEachStandsFor() throws Exception {
        SplitBrainEvent splitBrain = new SplitBrainEvent("VI_1", 51, AddressFamily.IPV4, SplitBrainKind.ADVERTISEMENT,
                InetAddress.getByName("192.0.2.2"), 100, null, InetAddress.getByName("192.0.2.1"), 200, false,
                Instant.EPOCH);
        RouterEvent active = new RouterEvent("VI_1", 51, AddressFamily.IPV4, State.BACKUP, State.ACTIVE,
                TransitionReason.ADVERT_TIMEOUT, 200, Instant.EPOCH, () -> State.ACTIVE);
        RouterEvent stopped = new RouterEvent("VI_1", 51, AddressFamily.IPV4, State.ACTIVE, State.INITIALIZE,
                TransitionReason.SHUTDOWN, 200, Instant.EPOCH, () -> State.INITIALIZE);
        GroupEvent group = new GroupEvent("VG_1", List.of("VI_1"), State.BACKUP, State.ACTIVE,
                TransitionReason.ADVERT_TIMEOUT, Instant.EPOCH, () -> State.ACTIVE);
        List<VrrpEvent> seen = new ArrayList<>();
        FailoverListener listener = FailoverListener.of(seen::add);

        for (VrrpEvent event : List.of(active, group, splitBrain, stopped)) {
            FailoverListener.dispatch(listener, event);
        }

        assertThat(seen).containsExactly(active, group, splitBrain, stopped);
        assertThat(seen).extracting(VrrpEvent::name).containsExactly("VI_1", "VG_1", "VI_1", "VI_1");
        assertThat(active).hasToString("VI_1: Backup -> Active (advert timeout)");
        assertThat(group).hasToString("sync group VG_1: Backup -> Active (advert timeout)");
    }

    @Test
    void dispatchSendsAStopToOnStoppedAndAGroupChangeToOnGroupChangeOnly() {
        List<String> calls = new ArrayList<>();
        FailoverListener listener = new FailoverListener() {
            @Override
            public void onStopped(RouterEvent event) {
                calls.add("stopped " + event.name());
            }

            @Override
            public void onGroupChange(GroupEvent event) {
                calls.add("group " + event.name() + " " + event.to());
            }

            @Override
            public void onActive(RouterEvent event) {
                calls.add("active " + event.name());
            }
        };
        FailoverListener.dispatch(listener, new GroupEvent("VG_1", List.of("VI_1"), State.ACTIVE, State.FAULT,
                TransitionReason.FAULT, Instant.EPOCH, () -> State.FAULT));
        FailoverListener.dispatch(listener, new RouterEvent("VI_2", 52, AddressFamily.IPV6, State.BACKUP,
                State.INITIALIZE, TransitionReason.SHUTDOWN, 100, Instant.EPOCH, () -> State.INITIALIZE));

        assertThat(calls).containsExactly("group VG_1 FAULT", "stopped VI_2");
    }
}
