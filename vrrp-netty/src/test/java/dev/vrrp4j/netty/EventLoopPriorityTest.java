package dev.vrrp4j.netty;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventLoopPriorityTest {

    @Test
    void rangesAreKeepalivedsAndErrorsNameFieldValueAndRange() {
        assertThat(EventLoopPriority.nice(-20).value()).isEqualTo(-20);
        assertThat(EventLoopPriority.nice(19).value()).isEqualTo(19);
        assertThat(EventLoopPriority.realtime(1).policy()).isEqualTo(EventLoopPriority.Policy.REALTIME);
        assertThat(EventLoopPriority.realtime(99).value()).isEqualTo(99);
        assertThatThrownBy(() -> EventLoopPriority.nice(-21))
                .hasMessage("eventLoopPriority.nice: -21 is out of range -20..19");
        assertThatThrownBy(() -> EventLoopPriority.nice(20))
                .hasMessage("eventLoopPriority.nice: 20 is out of range -20..19");
        assertThatThrownBy(() -> EventLoopPriority.realtime(0))
                .hasMessage("eventLoopPriority.realtime: 0 is out of range 1..99");
        assertThatThrownBy(() -> EventLoopPriority.realtime(100))
                .hasMessage("eventLoopPriority.realtime: 100 is out of range 1..99");
        assertThatThrownBy(() -> new EventLoopPriority(EventLoopPriority.Policy.INHERIT, 3))
                .hasMessageContaining("INHERIT");
    }
}
