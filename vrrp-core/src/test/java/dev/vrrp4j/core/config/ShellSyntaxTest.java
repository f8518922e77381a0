package dev.vrrp4j.core.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shell syntax in a keepalived.conf is text, never a command: names, labels and interface names
 * keep their metacharacters, and a notify or check command is split into words by the
 * configuration's own quoting rules only, so {@code ;}, {@code $(...)}, backticks, pipes and
 * redirections arrive as literal arguments. (That nothing then runs them through a shell is
 * NotifyScriptsTest's and HealthCheckTest's part, in vrrp-netty.)
 */
class ShellSyntaxTest {
    @Test
    void metacharactersInNamesLabelsInterfacesAndCommandsStayLiteral() throws Exception {
        KeepalivedConfig config = Resources.parse("""
                vrrp_script chk {
                    script "/usr/local/bin/check $(touch /tmp/vrrp4j-pwned) `id` ; rm -rf / | tee >/tmp/x"
                }
                vrrp_instance "VI;touch /tmp/vrrp4j-pwned" {
                    interface e$(id)x
                    virtual_router_id 51
                    version 3
                    track_script {
                        chk
                    }
                    notify "/usr/local/bin/notify $(touch /tmp/vrrp4j-pwned);reboot"
                    notify_master "/usr/local/bin/up `touch /tmp/vrrp4j-pwned` && halt"
                    virtual_ipaddress {
                        192.0.2.100/24 label "eth0:$(id)"
                    }
                }
                """);

        VrrpInstance vi = config.instance("VI;touch /tmp/vrrp4j-pwned").orElseThrow();
        assertThat(vi.interfaceName()).isEqualTo("e$(id)x");
        assertThat(vi.virtualAddresses().getFirst().label()).isEqualTo("eth0:$(id)");
        assertThat(vi.notifyCommands().generic())
                .containsExactly("/usr/local/bin/notify", "$(touch", "/tmp/vrrp4j-pwned);reboot");
        assertThat(vi.notifyCommands().master())
                .containsExactly("/usr/local/bin/up", "`touch", "/tmp/vrrp4j-pwned`", "&&", "halt");
        assertThat(config.scripts().getFirst().command()).isEqualTo(List.of("/usr/local/bin/check", "$(touch",
                "/tmp/vrrp4j-pwned)", "`id`", ";", "rm", "-rf", "/", "|", "tee", ">/tmp/x"));
        assertThat(vi.toRouterConfig().name()).isEqualTo("VI;touch /tmp/vrrp4j-pwned");
    }
}
