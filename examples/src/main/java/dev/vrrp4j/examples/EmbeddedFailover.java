package dev.vrrp4j.examples;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.netty.FailoverListener;
import dev.vrrp4j.netty.RouterEvent;
import dev.vrrp4j.netty.VirtualRouterSpec;
import dev.vrrp4j.netty.VrrpNode;
import dev.vrrp4j.netty.VrrpStartException;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The smallest useful embedding: one IPv4 virtual router (VRID 51, RFC 9568) on the interface given
 * as the first argument, holding the virtual address given as the second, and a listener where the
 * application starts and stops whatever must run only on the Active node.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp examples/target/vrrp4j.jar dev.vrrp4j.examples.EmbeddedFailover eth0 192.0.2.100/24 [priority]
 * java --enable-native-access=dev.vrrp4j.netty -p MODULE-PATH -m dev.vrrp4j.examples/dev.vrrp4j.examples.EmbeddedFailover eth0 192.0.2.100/24
 * </pre>
 *
 * Needs CAP_NET_RAW and CAP_NET_ADMIN (or root); without them it prints which one is missing and
 * exits 3. Ctrl-C or SIGTERM leaves gracefully: an Active node sends priority 0 so the Backup takes
 * over at once, removes the address, and the listener hears {@code onStopped}.
 */
public final class EmbeddedFailover {
    private EmbeddedFailover() {}

    public static void main(String[] args) throws InterruptedException {
        String iface = args[0];
        String vip = args[1];
        int priority = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        RouterConfig vi1 = RouterConfig.builder("VI_1", AddressFamily.IPV4, 51)
                .priority(priority).virtualAddresses(vip).build();
        // The application's own thread for its listener: calls for VI_1 arrive there one at a time, in order.
        ExecutorService app = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("app").daemon(true).factory());
        VrrpNode node = VrrpNode.builder()
                .router(VirtualRouterSpec.builder(vi1, iface).build())
                .listener(new FailoverListener() {
                    @Override public void onActive(RouterEvent e) { System.out.println(e + ": start serving on " + vip); }
                    @Override public void onBackup(RouterEvent e) { System.out.println(e + ": stop serving"); }
                    @Override public void onFault(RouterEvent e) { System.out.println(e + ": stop serving"); }
                    @Override public void onStopped(RouterEvent e) { System.out.println(e + ": stopped"); }
                }, app)
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(node::close));
        try {
            node.start();
        } catch (VrrpStartException e) {
            System.err.println("EmbeddedFailover: cannot start: " + e.getMessage()
                    + e.missingCapability().map(cap -> " (grant " + cap + ")").orElse(""));
            System.exit(3);
        }
        if (node.awaitState("VI_1", State.ACTIVE, Duration.ofSeconds(5))) {
            System.out.println("VI_1 holds " + vip + " (priority " + node.status().router("VI_1").priority() + ")");
        }
        Thread.currentThread().join(); // runs until Ctrl-C / SIGTERM; the hook then closes the node
    }
}
