package dev.vrrp4j.core.config;

import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;

/** The sample configurations under {@code src/test/resources/keepalived}. */
final class Resources {
    /** VI_1 on eth0, VRID 51, VRRPv3, one VIP: the instance a test about global_defs needs beside it. */
    static final String ONE_INSTANCE = """
            vrrp_instance VI_1 {
                interface eth0
                virtual_router_id 51
                version 3
                virtual_ipaddress {
                    192.0.2.100/24
                }
            }
            """;

    private Resources() {
    }

    static Path keepalived(String name) {
        URL url = Resources.class.getResource("/keepalived/" + name);
        if (url == null) {
            throw new IllegalArgumentException("no test resource keepalived/" + name);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Parses text as {@code /etc/keepalived/keepalived.conf}. */
    static KeepalivedConfig parse(String text) throws ConfigException {
        return KeepalivedConfigParser.parse(text, Path.of("/etc/keepalived/keepalived.conf"));
    }

    /** Parses text that must be refused, and returns the exception. */
    static ConfigException refuse(String text) {
        try {
            KeepalivedConfig config = parse(text);
            throw new AssertionError("accepted: " + config);
        } catch (ConfigException e) {
            return e;
        }
    }
}
