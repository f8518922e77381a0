package dev.vrrp4j.examples.cli;

import dev.vrrp4j.core.config.ConfigError;
import dev.vrrp4j.core.config.ConfigException;
import dev.vrrp4j.core.config.ConfigWarning;
import dev.vrrp4j.core.config.KeepalivedConfig;
import dev.vrrp4j.core.config.KeepalivedConfigParser;
import dev.vrrp4j.netty.VrrpNode;
import dev.vrrp4j.netty.keepalived.KeepalivedConf;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * {@code bin/vrrp4j}: runs a vrrp4j node from a keepalived.conf in the foreground.
 *
 * <pre>
 * bin/vrrp4j --config FILE [--check] [--config-id ID] [--status-port N]
 * </pre>
 *
 * SIGHUP re-reads the file and applies it to the running node, or reports its errors ({@link HangupReload}).
 *
 * <p>Exit codes: 0 stopped gracefully (SIGTERM, SIGINT) or {@code --check} found no error; 1 the
 * configuration has errors (each printed as {@code file:line: message}); 2 wrong command line;
 * 3 the node could not start (missing capability, interface, JDK).
 */
public final class Vrrp4jMain {
    static final int OK = 0;
    static final int CONFIG_ERROR = 1;
    static final int USAGE = 2;
    static final int START_FAILED = 3;

    private static final String USAGE_TEXT = """
            usage: vrrp4j --config FILE [--check] [--config-id ID] [--status-port N]
              --config FILE      keepalived.conf to run (its vrrp_script, vrrp_instance, vrrp_sync_group parts)
              --check            validate FILE, print errors and warnings, and exit
              --config-id ID     keep FILE's @ID lines and drop its @^ID lines (default: the host name up to its first dot)
              --status-port N    serve JSON status (/status) and Prometheus metrics (/metrics) on 127.0.0.1:N
            exit codes: 0 stopped cleanly or check passed, 1 configuration errors, 2 usage, 3 start failed""";

    private Vrrp4jMain() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        if (code != OK || isCheck(args)) {
            System.exit(code);
        }
    }

    private static boolean isCheck(String[] args) {
        return java.util.Arrays.asList(args).contains("--check");
    }

    /** Everything but the process exit, so tests can call it. Blocks while the node runs. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Path config = null;
        boolean check = false;
        String configId = KeepalivedConfigParser.defaultConfigId();
        int statusPort = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--config", "-f", "--use-file" -> {
                    if (i + 1 >= args.length) {
                        return usage(err, "--config needs a file");
                    }
                    config = Path.of(args[++i]);
                }
                case "--check", "-t", "--config-test" -> check = true;
                case "--config-id", "-i" -> { // keepalived's -i
                    if (i + 1 >= args.length || args[i + 1].isEmpty()) {
                        return usage(err, "--config-id needs an id");
                    }
                    configId = args[++i];
                }
                case "--status-port" -> {
                    if (i + 1 >= args.length) {
                        return usage(err, "--status-port needs a port number");
                    }
                    try {
                        statusPort = Integer.parseInt(args[++i]);
                    } catch (NumberFormatException e) {
                        return usage(err, "--status-port " + args[i] + " is not a number (1..65535)");
                    }
                    if (statusPort < 1 || statusPort > 65535) {
                        return usage(err, "--status-port " + statusPort + " out of range 1..65535");
                    }
                }
                case "--help", "-h" -> {
                    out.println(USAGE_TEXT);
                    return OK;
                }
                default -> {
                    return usage(err, "unknown option " + args[i]);
                }
            }
        }
        if (config == null) {
            return usage(err, "--config FILE is required");
        }
        if (!Files.isReadable(config)) {
            err.println("vrrp4j: cannot read " + config);
            return CONFIG_ERROR;
        }
        KeepalivedConfig parsed = null;
        VrrpNode node;
        try {
            KeepalivedConf conf = KeepalivedConf.of(KeepalivedConfigParser.parse(config, configId));
            parsed = conf.config();
            printWarnings(err, conf.warnings());
            node = conf.toNode(warning -> err.println(warning.where()
                    + ": warning: " + warning.keyword() + ": " + warning.message()));
        } catch (ConfigException e) {
            if (parsed == null) { // the parser refused the file: its warnings have not been printed yet
                printWarnings(err, e.warnings());
            }
            for (ConfigError error : e.errors()) {
                err.println(error.where() + ": error: " + error.message());
            }
            err.println("vrrp4j: " + e.errors().size() + " error(s) in " + config);
            return CONFIG_ERROR;
        }
        if (check) {
            out.println("vrrp4j: " + config + " is valid: " + parsed.instances().size() + " vrrp_instance(s), "
                    + parsed.scripts().size() + " vrrp_script(s), " + parsed.syncGroups().size()
                    + " vrrp_sync_group(s), " + parsed.warnings().size() + " warning(s)");
            return OK;
        }
        return runNode(node, config, configId, statusPort, out, err);
    }

    static void printWarnings(PrintStream err, java.util.List<ConfigWarning> warnings) {
        for (ConfigWarning warning : warnings) {
            err.println(warning.where() + ": warning: " + warning.keyword() + ": " + warning.message());
        }
    }

    private static int runNode(VrrpNode node, Path config, String configId, int statusPort, PrintStream out,
                               PrintStream err) {
        CountDownLatch stopped = new CountDownLatch(1);
        new HangupReload(config, configId, node, out, err).install();
        StatusServer[] server = new StatusServer[1];
        if (dev.vrrp4j.examples.GracefulExit.start(node, "vrrp4j", err, () -> {
            if (server[0] != null) {
                server[0].close();
            }
            out.println("vrrp4j: stopped");
            out.flush();
            stopped.countDown();
        }) != 0) {
            return START_FAILED;
        }
        if (statusPort > 0) {
            try {
                server[0] = new StatusServer(statusPort, node::status);
                out.println("vrrp4j: status on http://127.0.0.1:" + statusPort + "/status and /metrics");
            } catch (IOException e) {
                err.println("vrrp4j: --status-port " + statusPort + ": " + e.getMessage());
            }
        }
        out.println("vrrp4j: running " + node.status().routers().size() + " virtual router(s) from " + config
                + " (generation 1); SIGTERM or Ctrl-C to leave, SIGHUP to reload the file");
        out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OK;
    }

    private static int usage(PrintStream err, String problem) {
        err.println("vrrp4j: " + problem);
        err.println(USAGE_TEXT);
        return USAGE;
    }
}
