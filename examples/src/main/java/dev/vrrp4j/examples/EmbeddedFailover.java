package dev.vrrp4j.examples;

import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.netty.FailoverListener;
import dev.vrrp4j.netty.RouterEvent;
import dev.vrrp4j.netty.VirtualRouterSpec;
import dev.vrrp4j.netty.VrrpNode;

/**
 * The smallest useful embedding: one IPv4 virtual router (VRID 51, RFC 9568) on the interface given
 * as the first argument, holding the virtual address given as the second, and a listener where the
 * application starts and stops whatever must run only on the Active node.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp ... dev.vrrp4j.examples.EmbeddedFailover eth0 192.0.2.100/24 [priority]
 * </pre>
 *
 * Needs CAP_NET_RAW and CAP_NET_ADMIN (or root). Ctrl-C or SIGTERM leaves gracefully: an Active
 * node sends priority 0 so the Backup takes over at once, and removes the address.
 */
public final class EmbeddedFailover {
    private EmbeddedFailover() {}

    public static void main(String[] args) throws Exception {
        String iface = args[0];
        String vip = args[1];
        int priority = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        RouterConfig vi1 = RouterConfig.builder("VI_1", AddressFamily.IPV4, 51)
                .priority(priority).virtualAddresses(vip).build();
        VrrpNode node = VrrpNode.builder()
                .router(VirtualRouterSpec.multicast(vi1, iface))
                .listener(new FailoverListener() {
                    @Override public void onActive(RouterEvent e) { System.out.println(e + ": start serving on " + vip); }
                    @Override public void onBackup(RouterEvent e) { System.out.println(e + ": stop serving"); }
                    @Override public void onFault(RouterEvent e) { System.out.println(e + ": stop serving"); }
                    @Override public void onStopped(RouterEvent e) { System.out.println(e + ": stopped"); }
                })
                .build();
        Runtime.getRuntime().addShutdownHook(new Thread(node::close));
        node.start();
        Thread.currentThread().join(); // runs until Ctrl-C / SIGTERM; the hook then closes the node
    }
}
