package dev.vrrp4j.netty.integration;

import dev.vrrp4j.netty.testing.LanExtension;
import dev.vrrp4j.netty.testing.NetnsLan;
import dev.vrrp4j.netty.testing.NodeProcess;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The most common deployment mistake, run for real: a node started without CAP_NET_RAW or without
 * CAP_NET_ADMIN (root with the capability removed from its bounding set by util-linux
 * {@code setpriv}). It must refuse to start, say which capability to grant and which call
 * needed it, exit non-zero, and leave nothing behind: no virtual address, no advertisement on
 * the wire. A node that cannot add its addresses must not run: it would become Active and
 * advertise, and the Backup would defer to an Active that takes the traffic nowhere.
 */
class MissingCapabilityIT {
    private static final String VIP4 = "192.0.2.100";
    private static final String VIP6 = "2001:db8::100";
    private static final String IPV4_ROUTER = "name=VI_1,vrid=51,interval=10,vips=" + VIP4 + "/24,priority=200";
    private static final String IPV6_ROUTER = "name=VI_6,family=ipv6,vrid=51,interval=10,vips=fe80::51/64+" + VIP6
            + "/64,priority=200";

    @RegisterExtension
    final LanExtension bed = new LanExtension(1);
    private NodeProcess node;

    /**
     * Root without {@code capability}: dropped from the bounding set and the inheritable and
     * ambient sets, so the JVM that setpriv executes never has it.
     */
    private static List<String> without(String capability) {
        return List.of("setpriv", "--inh-caps=-all", "--ambient-caps=-all", "--bounding-set=-" + capability);
    }

    /**
     * The node refused to start with {@code VrrpStartException} (the API's one start failure, not
     * the transport's exception), naming the call, the errno and the capability, and left nothing.
     */
    private void assertFailedCleanly(String expectedFailure, String call, String capability) throws Exception {
        int exit = node.awaitExit(Duration.ofSeconds(10));
        List<String> output = node.lines();
        assertThat(exit).as("exit status; output:\n%s", String.join("\n", output)).isNotZero();
        assertThat(output).contains("FAILED " + expectedFailure).doesNotContain("STARTED");
        assertThat(output).contains("FAILURE dev.vrrp4j.netty.VrrpStartException call=" + call + " errno=EPERM capability="
                + capability);
        assertThat(output).noneMatch(line -> line.startsWith("EVENT "));
        assertThat(bed.lan().ipAddr(bed.host(0))).doesNotContain(VIP4).doesNotContain(VIP6).doesNotContain("fe80::51/");
        // Three advertisement intervals: anything the node had sent would be on the bridge by now.
        Thread.sleep(300);
        assertThat(bed.wire().adverts()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"ipv4, AF_INET", "ipv6, AF_INET6"})
    void withoutCapNetRawTheNodeRefusesToStartNamingTheSocketCallAndTheCapability(String family, String domain)
            throws Exception {
        node = bed.track(NodeProcess.launch(bed.lan(), bed.host(0), without("net_raw"),
                family.equals("ipv4") ? IPV4_ROUTER : IPV6_ROUTER));
        assertFailedCleanly("socket(" + domain + ", SOCK_RAW, 112) failed: EPERM (Operation not permitted): "
                + "CAP_NET_RAW is required", "socket(" + domain + ", SOCK_RAW, 112)", "CAP_NET_RAW");
    }

    @Test
    void withoutCapNetAdminTheNodeRefusesToStartNamingTheCapability() throws Exception {
        node = bed.track(NodeProcess.launch(bed.lan(), bed.host(0), without("net_admin"), IPV4_ROUTER));
        int exit = node.awaitExit(Duration.ofSeconds(10));
        String failure = node.lines().stream().filter(line -> line.startsWith("FAILED ")).findFirst()
                .orElseThrow(() -> new AssertionError("no FAILED line; exit " + exit + ", output:\n"
                        + String.join("\n", node.lines())));
        assertThat(failure).contains("RTM_NEWADDR").contains("EPERM (Operation not permitted)")
                .endsWith("CAP_NET_ADMIN is required");
        String call = failure.substring("FAILED ".length(), failure.indexOf(" failed: "));
        assertFailedCleanly(failure.substring("FAILED ".length()), call, "CAP_NET_ADMIN");
    }

    /** The control: the same wrapper, dropping a capability vrrp4j does not use, changes nothing. */
    @Test
    void withEveryCapabilityItNeedsTheSameWrapperStartsANormalActive() throws Exception {
        node = bed.track(NodeProcess.launch(bed.lan(), bed.host(0), without("sys_boot"), IPV4_ROUTER));
        node.awaitEvent("VI_1", "MASTER", Duration.ofSeconds(20));
        bed.wire().awaitAdvert(NetnsLan.ipv4(0).getHostAddress(), 200, Duration.ofSeconds(2));
        assertThat(bed.lan().ipAddr(bed.host(0))).contains(" " + VIP4 + "/24");
        assertThat(node.terminate()).isZero();
        assertThat(bed.lan().ipAddr(bed.host(0))).doesNotContain(VIP4);
    }
}
