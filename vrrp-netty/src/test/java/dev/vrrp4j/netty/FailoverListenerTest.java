package dev.vrrp4j.netty;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.SplitBrainKind;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class FailoverListenerTest {

    @Test
    void ofHandsSplitBrainEventsToTheirOwnConsumerAndTheOneArgumentFormDropsThem() throws Exception {
        SplitBrainEvent event = new SplitBrainEvent("VI_1", 51, AddressFamily.IPV4, SplitBrainKind.ADVERTISEMENT,
                InetAddress.getByName("192.0.2.2"), 100, null, InetAddress.getByName("192.0.2.1"), 200, false,
                Instant.EPOCH);
        List<SplitBrainEvent> seen = new ArrayList<>();

        FailoverListener.of(e -> { }, seen::add).onSplitBrain(event);
        FailoverListener.of(e -> { }).onSplitBrain(event);

        assertThat(seen).containsExactly(event);
    }
}
