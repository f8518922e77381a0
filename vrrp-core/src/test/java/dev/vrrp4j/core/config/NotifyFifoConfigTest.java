package dev.vrrp4j.core.config;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code notify_fifo}, {@code vrrp_notify_fifo} and their scripts in {@code global_defs}. */
class NotifyFifoConfigTest {
    private static final String INSTANCE = Resources.ONE_INSTANCE;

    @Test
    void bothFifosInKeepalivedsOrderEachWithItsScript() throws Exception {
        KeepalivedConfig config = Resources.parse("""
                global_defs {
                    vrrp_notify_fifo /run/keepalived/vrrp.fifo
                    vrrp_notify_fifo_script "/usr/local/bin/read-fifo --verbose"
                    notify_fifo /run/keepalived/all.fifo
                }
                """ + INSTANCE);

        assertThat(config.globals().notifyFifos()).extracting(NotifyFifo::keyword, NotifyFifo::path, NotifyFifo::script)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("notify_fifo", "/run/keepalived/all.fifo", List.of()),
                        org.assertj.core.groups.Tuple.tuple("vrrp_notify_fifo", "/run/keepalived/vrrp.fifo",
                                List.of("/usr/local/bin/read-fifo", "--verbose")));
        assertThat(config.globals().notifyFifos().getFirst().where().line()).isEqualTo(4);
        assertThat(config.warnings()).isEmpty();
    }

    @Test
    void noFifoByDefault() throws Exception {
        assertThat(Resources.parse(INSTANCE).globals().notifyFifos()).isEmpty();
    }

    @Test
    void aScriptWithoutItsFifoAndAUserAreWarnings() throws Exception {
        KeepalivedConfig config = Resources.parse("""
                global_defs {
                    notify_fifo_script /usr/local/bin/read-fifo
                    vrrp_notify_fifo /run/vrrp.fifo keepalived_script
                }
                """ + INSTANCE);

        assertThat(config.globals().notifyFifos()).extracting(NotifyFifo::keyword).containsExactly("vrrp_notify_fifo");
        assertThat(config.warnings()).extracting(w -> w.where().line() + " " + w.message()).containsExactlyInAnyOrder(
                "3 vrrp_notify_fifo: keepalived would give the FIFO to user 'keepalived_script'; vrrp4j creates it as"
                        + " its own user",
                "2 notify_fifo_script without notify_fifo: there is no FIFO to run it for, so it does not run"
                        + " (as in keepalived)");
    }

    @Test
    void oneFifoForBothOrARelativePathOrTwoLinesAreErrorsAtTheirLine() {
        ConfigException same = Resources.refuse("""
                global_defs {
                    notify_fifo /run/k.fifo
                    vrrp_notify_fifo /run/k.fifo
                }
                """ + INSTANCE);
        assertThat(same.errors()).extracting(e -> e.where().line() + " " + e.message()).containsExactly(
                "3 vrrp_notify_fifo /run/k.fifo is the FIFO notify_fifo names (/etc/keepalived/keepalived.conf:2);"
                        + " keepalived needs the FIFO names to differ");

        ConfigException relative = Resources.refuse("global_defs {\n    vrrp_notify_fifo k.fifo\n}\n" + INSTANCE);
        assertThat(relative.errors()).extracting(e -> e.where().line() + " " + e.message()).containsExactly(
                "2 vrrp_notify_fifo k.fifo: the FIFO needs an absolute path");

        ConfigException twice = Resources.refuse("global_defs {\n    notify_fifo /run/a\n    notify_fifo /run/b\n}\n"
                + INSTANCE);
        assertThat(twice.errors()).extracting(e -> e.where().line()).containsExactly(3);
    }
}
