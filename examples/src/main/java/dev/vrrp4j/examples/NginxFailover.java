package dev.vrrp4j.examples;

import dev.vrrp4j.core.health.CheckPolicy;
import dev.vrrp4j.core.packet.AddressFamily;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.State;
import dev.vrrp4j.core.router.VirtualAddress;
import dev.vrrp4j.netty.FailoverListener;
import dev.vrrp4j.netty.HealthCheck;
import dev.vrrp4j.netty.RouterEvent;
import dev.vrrp4j.netty.TrackedCheck;
import dev.vrrp4j.netty.VirtualRouterSpec;
import dev.vrrp4j.netty.VrrpNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

/**
 * One VRRP router (RFC 9568) in front of one Nginx: what keepalived plus a {@code notify_master}
 * script and a {@code vrrp_script chk_nginx} do for the active-passive Nginx pair of the usual
 * keepalived guide, in one process.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp examples/target/vrrp4j.jar dev.vrrp4j.examples.NginxFailover \
 *     --interface eth0 --vrid 51 --priority 150 --vip 192.0.2.100/24 \
 *     --nginx-conf /etc/nginx/nginx.conf --mode start-stop --check-url http://127.0.0.1/ --check-weight -60
 * </pre>
 *
 * <h2>Modes</h2>
 * <ul>
 *   <li>{@code start-stop}: Nginx runs on the Active server only. Becoming Active starts it
 *       ({@code nginx -c CONF}); becoming Backup, entering Fault or stopping stops it
 *       ({@code nginx -c CONF -s quit}, then waits for the pid file's process to exit and kills it
 *       and its workers by PID after {@link NginxControl#QUIT_TIMEOUT}).</li>
 *   <li>{@code keep-running}: Nginx runs on both servers all the time (started here if it is not
 *       running) and is reloaded ({@code nginx -c CONF -s reload}) on becoming Active, so it binds
 *       the virtual address if its configuration listens on it explicitly.</li>
 * </ul>
 * Nginx is started and stopped in the {@link FailoverListener}, which vrrp4j calls on its listener
 * thread, one call at a time per router, never on the protocol's event loop: a slow Nginx delays
 * only the next Nginx action, never an advertisement.
 *
 * <h2>The health check, and why it only judges an Active server in start-stop mode</h2>
 * {@code --check-url} adds keepalived's {@code vrrp_script} / {@code track_script { chk weight W }}:
 * an HTTP GET ({@link HealthCheck#http}) every {@code --check-interval-ms} (1 s), healthy after
 * {@code --check-rise} (2) successes in a row, failing after {@code --check-fall} (2) failures;
 * while failing, the priority this router advertises is lowered by {@code |W|}, so with 150 and
 * 100 a weight of -60 hands the address to the other server (RFC 9568 §6.4.3: an Active that
 * hears a higher priority becomes Backup). With weight 0 a failing check puts the router in Fault
 * instead.
 *
 * <p>In {@code start-stop} mode a Backup runs no Nginx, so an unconditional check would fail there:
 * a higher-priority server that comes back would be lowered to 90, below the Active's 100, and
 * would never preempt. So the check is wrapped: it reports healthy while this router is not Active
 * (the node's own state) or while the listener has not yet started Nginx for this Active term, and
 * asks Nginx only after that. The price: a server whose Nginx cannot serve still preempts when it
 * returns, fails its check while Active, hands the address back, and repeats (about
 * rise × interval + Active_Down_Interval per round). {@code keep-running} mode has no such blind
 * spot: there the check always judges.
 *
 * <h2>Stopping</h2>
 * SIGTERM or SIGINT leaves gracefully: an Active router sends priority 0 (RFC 9568 §6.4.3) so the
 * Backup takes over at once, removes the addresses, and in {@code start-stop} mode Nginx is
 * stopped; then the process exits 0. Needs CAP_NET_RAW and CAP_NET_ADMIN (or root) and
 * {@code --enable-native-access=ALL-UNNAMED}. Exit codes: 0 stopped cleanly, 2 wrong command line,
 * 3 could not start (capability, interface, Nginx).
 */
public final class NginxFailover {
    private static final Logger LOG = LoggerFactory.getLogger(NginxFailover.class);

    static final int OK = 0;
    static final int USAGE = 2;
    static final int START_FAILED = 3;
    /** The router's name in logs, as in the keepalived guide's {@code vrrp_instance VI_1}. */
    static final String ROUTER = "VI_1";

    private static final String USAGE_TEXT = """
            usage: NginxFailover --vip ADDR/LEN --nginx-conf FILE [options]
              --interface NAME          interface to run VRRP on (default eth0)
              --vrid N                  virtual router id, 1..255 (default 51)
              --priority N              1..255, higher wins; 255 = owns the address (default 100)
              --advert-int-centis N     advertisement interval, 1..4095 centiseconds (default 100 = 1 s)
              --vip ADDR/LEN            virtual address, e.g. 192.0.2.100/24; repeatable, same family
              --peer ADDR               unicast peer instead of multicast; repeatable
              --nginx FILE              nginx binary (default /usr/sbin/nginx)
              --nginx-conf FILE         nginx configuration with its own absolute 'pid' path
              --mode start-stop|keep-running
                                        start-stop: nginx runs on the Active only (default);
                                        keep-running: nginx always runs, reloaded on becoming Active
              --check-url URL           http(s) health check, e.g. http://127.0.0.1/ (default: none)
              --check-weight N          -253..253: priority change while failing (<0) or while
                                        healthy (>0); 0 = Fault while failing (default -60)
              --check-interval-ms N     10..86400000 (default 1000; the timeout is the same)
              --check-rise N            successes in a row to become healthy, 1..1000 (default 2)
              --check-fall N            failures in a row to become failing, 1..1000 (default 2)
              --help                    this text
            exit codes: 0 stopped cleanly (SIGTERM, SIGINT), 2 usage, 3 start failed""";

    /** What the program runs with Nginx. */
    enum Mode {
        START_STOP("start-stop"), KEEP_RUNNING("keep-running");

        final String option;

        Mode(String option) {
            this.option = option;
        }
    }

    /** The parsed command line; {@link #parse} has checked every value. */
    record Options(VirtualRouterSpec spec, Path nginx, Path nginxConf, Mode mode, URI checkUrl, int checkWeight,
                   Duration checkInterval, int checkRise, int checkFall) {}

    /** A wrong command line; the message names the option, the value and what is allowed. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }

    private NginxFailover() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.exit(code);
    }

    /** Parses, starts and, once running, blocks until the shutdown hook halts the JVM. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
            out.println(USAGE_TEXT);
            return OK;
        }
        Options options;
        try {
            options = parse(args);
        } catch (UsageException e) {
            err.println("NginxFailover: " + e.getMessage());
            err.println(USAGE_TEXT);
            return USAGE;
        }
        NginxControl nginx;
        try {
            nginx = new NginxControl(options.nginx(), options.nginxConf(),
                    NginxControl.pidFileOf(options.nginx(), options.nginxConf()));
        } catch (IOException e) {
            err.println("NginxFailover: " + e.getMessage());
            return START_FAILED;
        }
        if (options.mode() == Mode.KEEP_RUNNING) {
            try {
                LOG.info("keep-running mode: {}", nginx.start());
            } catch (IOException e) {
                err.println("NginxFailover: " + e.getMessage());
                return START_FAILED;
            }
        }
        NginxListener listener = new NginxListener(nginx, options.mode());
        VirtualRouterSpec spec = options.spec();
        if (options.checkUrl() != null) {
            spec = spec.withCheck(new TrackedCheck("chk_nginx", judged(options, listener),
                    options.checkInterval(), options.checkInterval(),
                    new CheckPolicy(options.checkRise(), options.checkFall(), options.checkWeight())));
        }
        VrrpNode node = VrrpNode.builder().router(spec).listener(listener).build();
        CountDownLatch forever = new CountDownLatch(1);
        // node.close(): priority 0, addresses removed, then onStopped stops nginx (start-stop mode)
        if (GracefulExit.start(node, "NginxFailover", err, () -> LOG.info("stopped")) != 0) {
            return START_FAILED;
        }
        RouterConfig config = spec.config();
        LOG.info("running {} VRID {} priority {} on {} for {} ({} mode, nginx -c {}, pid file {}{}); SIGTERM or "
                        + "Ctrl-C to leave", ROUTER, config.vrid(), config.priority(), spec.interfaceName(),
                config.virtualAddresses(), options.mode().option, options.nginxConf(), nginx.pidFile(),
                options.checkUrl() == null ? "" : ", check " + options.checkUrl() + " weight " + options.checkWeight());
        try {
            forever.await(); // the shutdown hook halts the JVM
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return OK;
    }

    /**
     * The HTTP check as the node tracks it. In start-stop mode it answers healthy unless this
     * router is Active and Nginx has been started for it (see the class comment for why).
     */
    private static HealthCheck judged(Options options, NginxListener listener) {
        HealthCheck http = HealthCheck.http(options.checkUrl());
        if (options.mode() == Mode.KEEP_RUNNING) {
            return http;
        }
        return context -> context.state(ROUTER) != State.ACTIVE || !listener.nginxStartedForActive()
                ? CompletableFuture.completedFuture(true)
                : http.check(context);
    }

    /** Starts, reloads or stops Nginx on each transition; one log line per action. */
    static final class NginxListener implements FailoverListener {
        private final NginxControl nginx;
        private final Mode mode;
        // Set once the listener has tried to start Nginx for the current Active term.
        private volatile boolean startedForActive;

        NginxListener(NginxControl nginx, Mode mode) {
            this.nginx = nginx;
            this.mode = mode;
        }

        boolean nginxStartedForActive() {
            return startedForActive;
        }

        @Override
        public void onActive(RouterEvent event) {
            // The router may have moved on while this call waited; the call for that change follows.
            if (event.currentState() != State.ACTIVE) {
                LOG.info("{}, priority {}: already {} again, nginx left as it is", event, event.priority(),
                        event.currentState());
                return;
            }
            try {
                LOG.info("{}, priority {}: {}", event, event.priority(),
                        mode == Mode.START_STOP ? nginx.start() : nginx.reload());
            } catch (IOException e) {
                LOG.error("{}, priority {}: {}", event, event.priority(), e.getMessage());
            } finally {
                startedForActive = true; // a failed start is for the check to judge
            }
        }

        @Override
        public void onBackup(RouterEvent event) {
            leave(event);
        }

        @Override
        public void onFault(RouterEvent event) {
            leave(event);
        }

        @Override
        public void onStopped(RouterEvent event) {
            leave(event);
        }

        private void leave(RouterEvent event) {
            startedForActive = false;
            if (mode == Mode.KEEP_RUNNING) {
                LOG.info("{}, priority {}: nginx keeps running (keep-running mode)", event, event.priority());
                return;
            }
            try {
                LOG.info("{}, priority {}: {}", event, event.priority(), nginx.stop());
            } catch (IOException e) {
                LOG.error("{}, priority {}: {}", event, event.priority(), e.getMessage());
            }
        }
    }

    // ------------------------------------------------------------------ command line

    /** Parses {@code --name value} pairs; every error names the option, the value and the range. */
    static Options parse(String[] args) throws UsageException {
        String interfaceName = "eth0";
        int vrid = 51;
        int priority = 100;
        int advertIntervalCentis = 100;
        List<VirtualAddress> vips = new ArrayList<>();
        List<InetAddress> peers = new ArrayList<>();
        Path nginx = Path.of("/usr/sbin/nginx");
        Path nginxConf = null;
        Mode mode = Mode.START_STOP;
        URI checkUrl = null;
        int checkWeight = -60;
        int checkIntervalMillis = 1000;
        int checkRise = 2;
        int checkFall = 2;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (!option.startsWith("--")) {
                throw new UsageException("unexpected argument '" + option + "'; options are --name value");
            }
            if (i + 1 >= args.length) {
                throw new UsageException(option + " needs a value");
            }
            String value = args[++i];
            switch (option) {
                case "--interface" -> interfaceName = value;
                case "--vrid" -> vrid = intOption(option, value, 1, 255);
                case "--priority" -> priority = intOption(option, value, 1, 255);
                case "--advert-int-centis" -> advertIntervalCentis = intOption(option, value, 1, 4095);
                case "--vip" -> {
                    try {
                        vips.add(VirtualAddress.parse(value));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException(option + " '" + value + "': " + e.getMessage()
                                + " (expected ADDR/LEN, e.g. 192.0.2.100/24)");
                    }
                }
                case "--peer" -> {
                    try {
                        peers.add(VirtualAddress.parseLiteral(value));
                    } catch (IllegalArgumentException e) {
                        throw new UsageException(option + " '" + value + "': " + e.getMessage());
                    }
                }
                case "--nginx" -> nginx = Path.of(value);
                case "--nginx-conf" -> nginxConf = Path.of(value);
                case "--mode" -> mode = switch (value) {
                    case "start-stop" -> Mode.START_STOP;
                    case "keep-running" -> Mode.KEEP_RUNNING;
                    default -> throw new UsageException(option + " '" + value + "' is not start-stop or keep-running");
                };
                case "--check-url" -> checkUrl = urlOption(option, value);
                case "--check-weight" -> checkWeight = intOption(option, value, -253, 253);
                case "--check-interval-ms" -> checkIntervalMillis = intOption(option, value, 10, 86_400_000);
                case "--check-rise" -> checkRise = intOption(option, value, 1, 1000);
                case "--check-fall" -> checkFall = intOption(option, value, 1, 1000);
                default -> throw new UsageException("unknown option " + option);
            }
        }
        if (vips.isEmpty()) {
            throw new UsageException("--vip is required (at least one, e.g. --vip 192.0.2.100/24)");
        }
        if (nginxConf == null) {
            throw new UsageException("--nginx-conf is required (an nginx configuration with its own pid file)");
        }
        if (!Files.isRegularFile(nginx) || !Files.isExecutable(nginx)) {
            throw new UsageException("--nginx " + nginx + " is not an executable file");
        }
        if (!Files.isRegularFile(nginxConf) || !Files.isReadable(nginxConf)) {
            throw new UsageException("--nginx-conf " + nginxConf + " is not a readable file");
        }
        AddressFamily family = vips.getFirst().family();
        RouterConfig config;
        VirtualRouterSpec spec;
        try {
            config = RouterConfig.builder(ROUTER, family, vrid).priority(priority)
                    .advertIntervalCentis(advertIntervalCentis).virtualAddresses(vips).build();
        } catch (IllegalArgumentException e) {
            throw new UsageException("--vip: " + e.getMessage());
        }
        try {
            spec = VirtualRouterSpec.builder(config, interfaceName).unicastPeers(peers).build();
        } catch (IllegalArgumentException e) {
            throw new UsageException((e.getMessage().startsWith("unicastPeers") ? "--peer: " : "--interface: ")
                    + e.getMessage());
        }
        return new Options(spec, nginx, nginxConf, mode, checkUrl, checkWeight, Duration.ofMillis(checkIntervalMillis),
                checkRise, checkFall);
    }

    private static int intOption(String option, String value, int min, int max) throws UsageException {
        long parsed;
        try {
            parsed = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            throw new UsageException(option + " '" + value + "' is not a number (" + min + ".." + max + ")");
        }
        if (parsed < min || parsed > max) {
            throw new UsageException(option + " " + parsed + " out of range " + min + ".." + max);
        }
        return (int) parsed;
    }

    private static URI urlOption(String option, String value) throws UsageException {
        try {
            URI uri = new URI(value);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                throw new UsageException(option + " '" + value + "' is not an http:// or https:// URL with a host");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new UsageException(option + " '" + value + "' is not a URL: " + e.getReason());
        }
    }
}
