package dev.vrrp4j.examples.cli;

import dev.vrrp4j.core.config.ConfigError;
import dev.vrrp4j.core.config.ConfigException;
import dev.vrrp4j.core.config.KeepalivedConfigParser;
import dev.vrrp4j.netty.VrrpNode;
import dev.vrrp4j.netty.VrrpStartException;
import dev.vrrp4j.netty.keepalived.KeepalivedConf;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What {@code bin/vrrp4j} does on SIGHUP ({@code systemctl reload}), as keepalived does: re-read the
 * file and apply it to the running node. A router whose settings did not change is left alone (no
 * advertisement, announcement, transition or notify script); a changed one takes its new settings
 * in place; removed ones leave, added ones start ({@link VrrpNode#reconfigure}). A file with errors
 * is reported as {@code --check} reports it, with file and line, and the running configuration
 * keeps running. The JVM's default for SIGHUP is to shut down, which would make the Active leave
 * with priority 0 on a reload. Every outcome names the configuration generation that runs.
 */
final class HangupReload {
    private final Path file;
    private final String configId;
    private final VrrpNode node;
    private final PrintStream out;
    private final PrintStream err;
    private final AtomicInteger reloads = new AtomicInteger();

    /** @param configId keepalived's {@code -i}: which {@code @ID} lines apply, as at start */
    HangupReload(Path file, String configId, VrrpNode node, PrintStream out, PrintStream err) {
        this.file = file;
        this.configId = configId;
        this.node = node;
        this.out = out;
        this.err = err;
    }

    /** Handles SIGHUP from now on, in the JVM's signal thread. */
    @SuppressWarnings("restriction") // sun.misc.Signal: the JDK's only way to replace the HUP shutdown
    void install() {
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> reload());
    }

    /**
     * One reload: parse the file, print its warnings and errors with file and line, apply it if it
     * is valid, and say which configuration generation runs.
     *
     * @return whether the file was applied
     */
    synchronized boolean reload() {
        int attempt = reloads.incrementAndGet();
        out.println("vrrp4j: SIGHUP: re-reading " + file + " (reload " + attempt + ")");
        KeepalivedConf conf = null;
        try {
            conf = KeepalivedConf.of(KeepalivedConfigParser.parse(file, configId));
            Vrrp4jMain.printWarnings(err, conf.warnings());
            int generation = conf.reconfigure(node, warning -> err.println(warning.where()
                    + ": warning: " + warning.keyword() + ": " + warning.message()));
            out.println("vrrp4j: reload: " + file + " applied: generation " + generation + " runs "
                    + node.status().routers().size() + " virtual router(s)");
            out.flush();
            return true;
        } catch (ConfigException e) {
            if (conf == null) { // the parser refused the file: its warnings have not been printed yet
                Vrrp4jMain.printWarnings(err, e.warnings());
            }
            for (ConfigError error : e.errors()) {
                err.println(error.where() + ": error: " + error.message());
            }
            err.println("vrrp4j: reload: " + e.errors().size() + " error(s) in " + file + "; generation "
                    + node.generation() + " keeps running unchanged");
            err.flush();
            return false;
        } catch (VrrpStartException | RuntimeException e) { // never let a reload take the running node down
            err.println("vrrp4j: reload of " + file + " failed: " + e.getMessage() + "; generation "
                    + node.generation() + " keeps running unchanged");
            err.flush();
            return false;
        }
    }
}
