package dev.vrrp4j.examples.cli;

import dev.vrrp4j.core.config.ConfigError;
import dev.vrrp4j.core.config.ConfigException;
import dev.vrrp4j.netty.VrrpNode;
import dev.vrrp4j.netty.keepalived.KeepalivedConf;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What {@code bin/vrrp4j} does on SIGHUP ({@code systemctl reload}): re-read the file and report
 * what is wrong with it as {@code --check} does, while the running configuration keeps running. The
 * JVM's default for SIGHUP is to shut down, which would make the Active leave with priority 0 on a
 * reload; keepalived keeps running, and so does vrrp4j.
 *
 * <p>Applying a changed file to the running node is not implemented yet: a valid new file is
 * reported as such, with the instruction to restart, and the node keeps the generation it started
 * with. An operator is never left guessing which file runs: the log line names the generation.
 */
final class HangupReload {
    private final Path file;
    private final PrintStream out;
    private final PrintStream err;
    private final AtomicInteger reloads = new AtomicInteger();

    HangupReload(Path file, PrintStream out, PrintStream err) {
        this.file = file;
        this.out = out;
        this.err = err;
    }

    /** Handles SIGHUP from now on, in the JVM's signal thread. */
    @SuppressWarnings("restriction") // sun.misc.Signal: the JDK's only way to replace the HUP shutdown
    void install() {
        sun.misc.Signal.handle(new sun.misc.Signal("HUP"), signal -> reload());
    }

    /**
     * One reload: validate the file, print its warnings and errors with file and line, and say
     * which configuration keeps running.
     *
     * @return whether the file is valid
     */
    boolean reload() {
        int attempt = reloads.incrementAndGet();
        out.println("vrrp4j: SIGHUP: re-reading " + file + " (reload " + attempt + ")");
        try {
            KeepalivedConf conf = KeepalivedConf.load(file);
            Vrrp4jMain.printWarnings(err, conf.warnings());
            try (VrrpNode candidate = conf.toNode(warning -> err.println(warning.where()
                    + ": warning: " + warning.keyword() + ": " + warning.message()))) {
                out.println("vrrp4j: reload: " + file + " is valid (" + candidate.status().routers().size()
                        + " virtual router(s)); applying a changed file needs a restart in this version, so the"
                        + " configuration vrrp4j started with (generation 1) keeps running unchanged");
            }
            out.flush();
            return true;
        } catch (ConfigException e) {
            Vrrp4jMain.printWarnings(err, e.warnings());
            for (ConfigError error : e.errors()) {
                err.println(error.where() + ": error: " + error.message());
            }
            err.println("vrrp4j: reload: " + e.errors().size() + " error(s) in " + file
                    + "; the configuration vrrp4j started with (generation 1) keeps running unchanged");
            err.flush();
            return false;
        } catch (RuntimeException e) { // never let a reload take the running node down
            err.println("vrrp4j: reload of " + file + " failed: " + e
                    + "; the configuration vrrp4j started with (generation 1) keeps running unchanged");
            err.flush();
            return false;
        }
    }
}
