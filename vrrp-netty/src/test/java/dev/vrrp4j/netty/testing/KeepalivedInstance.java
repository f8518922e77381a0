package dev.vrrp4j.netty.testing;

import java.util.List;

/**
 * One keepalived.conf {@code vrrp_instance} block on {@link NetnsLan#INTERFACE}, for
 * {@link LanExtension#startKeepalived}: the interop and chaos tests describe the keepalived side
 * with this instead of each writing the block out by hand.
 *
 * <pre>{@code
 * KeepalivedInstance.of("VI_1", 51, 200, "192.0.2.100/24").state("MASTER").advertIntervalCentis(10).render()
 * }</pre>
 *
 * Defaults: {@code state BACKUP}, {@code version 3}, {@code advert_int 1}, multicast, no
 * authentication.
 */
public final class KeepalivedInstance {
    private final String name;
    private final int vrid;
    private final int priority;
    private final List<String> vips;
    private String state = "BACKUP";
    private int version = 3;
    private int advertIntervalCentis = 100;
    private String password;
    private String unicastSource;
    private String unicastPeer;
    private List<String> authHmac;

    private KeepalivedInstance(String name, int vrid, int priority, List<String> vips) {
        this.name = name;
        this.vrid = vrid;
        this.priority = priority;
        this.vips = vips;
    }

    /** Instance {@code name} of VRID {@code vrid} at {@code priority} with {@code vips} ("address/prefix"). */
    public static KeepalivedInstance of(String name, int vrid, int priority, String... vips) {
        return new KeepalivedInstance(name, vrid, priority, List.of(vips));
    }

    /** The {@code state} line: MASTER or BACKUP (keepalived's initial state). */
    public KeepalivedInstance state(String initialState) {
        this.state = initialState;
        return this;
    }

    /**
     * 3 writes {@code version 3}; 2 writes no version line, keepalived's default and what a classic
     * VRRPv2 configuration looks like.
     */
    public KeepalivedInstance version(int vrrpVersion) {
        if (vrrpVersion != 2 && vrrpVersion != 3) {
            throw new IllegalArgumentException("VRRP version " + vrrpVersion + " out of range 2..3");
        }
        this.version = vrrpVersion;
        return this;
    }

    public KeepalivedInstance advertIntervalCentis(int centis) {
        this.advertIntervalCentis = centis;
        return this;
    }

    /** {@code authentication { auth_type PASS; auth_pass <password> }} (RFC 3768 simple text; VRRPv2 only). */
    public KeepalivedInstance password(String authPass) {
        this.password = authPass;
        return this;
    }

    /** {@code unicast_src_ip} and one {@code unicast_peer} instead of the multicast group. */
    public KeepalivedInstance unicast(String sourceAddress, String peerAddress) {
        this.unicastSource = sourceAddress;
        this.unicastPeer = peerAddress;
        return this;
    }

    /**
     * {@code auth_hmac { ... }} (keepalived 2.4) with these lines, such as {@code "key 1 hex:0011…"},
     * {@code "active_key 1"}, {@code "time_window 2"}.
     */
    public KeepalivedInstance authHmac(String... lines) {
        this.authHmac = List.of(lines);
        return this;
    }

    /** The block as keepalived.conf text. */
    public String render() {
        StringBuilder config = new StringBuilder();
        config.append("vrrp_instance ").append(name).append(" {\n");
        if (version == 3) {
            config.append("    version 3\n");
        }
        config.append("    state ").append(state).append('\n')
                .append("    interface ").append(NetnsLan.INTERFACE).append('\n')
                .append("    virtual_router_id ").append(vrid).append('\n')
                .append("    priority ").append(priority).append('\n')
                // keepalived reads seconds: "1" or "0.1"
                .append("    advert_int ").append(advertIntervalCentis % 100 == 0
                        ? String.valueOf(advertIntervalCentis / 100) : String.valueOf(advertIntervalCentis / 100.0))
                .append('\n');
        if (password != null) {
            config.append("    authentication {\n")
                    .append("        auth_type PASS\n")
                    .append("        auth_pass ").append(password).append('\n')
                    .append("    }\n");
        }
        if (authHmac != null) {
            config.append("    auth_hmac {\n");
            authHmac.forEach(line -> config.append("        ").append(line).append('\n'));
            config.append("    }\n");
        }
        if (unicastSource != null) {
            config.append("    unicast_src_ip ").append(unicastSource).append('\n')
                    .append("    unicast_peer {\n        ").append(unicastPeer).append("\n    }\n");
        }
        config.append("    virtual_ipaddress {\n");
        for (String vip : vips) {
            config.append("        ").append(vip).append('\n');
        }
        return config.append("    }\n}\n").toString();
    }

    @Override
    public String toString() {
        return render();
    }
}
