package dev.vrrp4j.netty.keepalived;

import dev.vrrp4j.core.config.ConfigError;
import dev.vrrp4j.core.config.ConfigException;
import dev.vrrp4j.core.config.ConfigWarning;
import dev.vrrp4j.core.config.GarpTuning;
import dev.vrrp4j.core.config.GlobalDefs;
import dev.vrrp4j.core.config.KeepalivedConfig;
import dev.vrrp4j.core.config.KeepalivedConfigParser;
import dev.vrrp4j.core.config.NotifyCommands;
import dev.vrrp4j.core.config.NotifyFifo;
import dev.vrrp4j.core.config.SyncGroupDef;
import dev.vrrp4j.core.config.TrackScriptRef;
import dev.vrrp4j.core.config.VrrpInstance;
import dev.vrrp4j.core.config.VrrpScript;
import dev.vrrp4j.core.health.CheckPolicy;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.VirtualAddress;
import dev.vrrp4j.netty.AnnounceSettings;
import dev.vrrp4j.netty.AutoPriority;
import dev.vrrp4j.netty.EventLoopPriority;
import dev.vrrp4j.netty.FailoverListener;
import dev.vrrp4j.netty.HealthCheck;
import dev.vrrp4j.netty.SyncGroup;
import dev.vrrp4j.netty.TrackedCheck;
import dev.vrrp4j.netty.VirtualRouterSpec;
import dev.vrrp4j.netty.VrrpNode;
import dev.vrrp4j.netty.VrrpStartException;

import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A keepalived.conf as vrrp4j runs it, for an application that wants a node from an existing
 * keepalived configuration in one call:
 *
 * <pre>{@code
 * KeepalivedConf.Result loaded = KeepalivedConf.load(Path.of("/etc/keepalived/keepalived.conf")).toNode();
 * loaded.warnings().forEach(w -> log.warn("{}: {}", w.where(), w.message()));
 * VrrpNode node = loaded.node();
 * node.addListener(myListener, myExecutor);   // beside the file's notify scripts
 * node.start();
 * }</pre>
 *
 * <p>The mapping: one virtual router per {@code vrrp_instance}, one health check per
 * {@code vrrp_script} ({@code track_script}), a {@link SyncGroup} per {@code vrrp_sync_group}, the
 * event loop's priority from {@code vrrp_priority} / {@code vrrp_rt_priority}, and the
 * {@code notify*} commands of instances and groups run by {@link NotifyScripts} (a listener on
 * vrrp4j's listener thread, registered only if the file has any); {@code notify_fifo} and
 * {@code vrrp_notify_fifo} get keepalived's lines from another listener there, and close with the
 * node. Whatever the file asks for that
 * vrrp4j would do differently is refused with the file and line ({@link ConfigException}), never
 * run quietly; what vrrp4j merely ignores is a {@link ConfigWarning}.
 */
public final class KeepalivedConf {
    private final KeepalivedConfig config;

    private KeepalivedConf(KeepalivedConfig config) {
        this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Reads and parses {@code file} (with its {@code include}s).
     *
     * @throws ConfigException with every error found, each with its file and line
     */
    public static KeepalivedConf load(Path file) throws ConfigException {
        return new KeepalivedConf(KeepalivedConfigParser.parse(file));
    }

    /** A configuration parsed already, e.g. with {@link KeepalivedConfigParser#parse(String, Path)}. */
    public static KeepalivedConf of(KeepalivedConfig parsed) {
        return new KeepalivedConf(parsed);
    }

    /** The parsed configuration. */
    public KeepalivedConfig config() {
        return config;
    }

    /** What the parser ignored, with file and line. */
    public List<ConfigWarning> warnings() {
        return config.warnings();
    }

    /**
     * The node (not started) and every warning: the parser's first, then what vrrp4j ignores when it
     * maps the file to a node.
     *
     * @param node     the node, to {@link VrrpNode#start()}
     * @param warnings the parser's warnings, then the mapping's
     */
    public record Result(VrrpNode node, List<ConfigWarning> warnings) {
        public Result {
            Objects.requireNonNull(node, "node");
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Builds the node in one call.
     *
     * @throws ConfigException with every problem found (and the parser's warnings)
     */
    public Result toNode() throws ConfigException {
        List<ConfigWarning> warnings = new ArrayList<>(config.warnings());
        VrrpNode node = toNode(warnings::add);
        return new Result(node, warnings);
    }

    /**
     * Builds the node, reporting what vrrp4j ignores to {@code onWarning} as it is found (the
     * parser's own warnings are {@link #warnings()}).
     *
     * @throws ConfigException with every problem found (and the parser's warnings)
     */
    public VrrpNode toNode(Consumer<? super ConfigWarning> onWarning) throws ConfigException {
        VrrpNode.Builder builder = toBuilder(onWarning);
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(List.of(new ConfigError(config.instances().getFirst().where(), e.getMessage())),
                    config.warnings());
        }
    }

    /**
     * Applies this file to a running node (SIGHUP, {@code systemctl reload}): its routers, groups and
     * notify scripts replace the running ones ({@link VrrpNode#reconfigure}); routers whose settings
     * did not change are left alone.
     *
     * @return the configuration generation now running
     * @throws ConfigException    with every problem found; the node runs unchanged then
     * @throws VrrpStartException if what a new router needs cannot be opened; the node runs unchanged then
     */
    public int reconfigure(VrrpNode node, Consumer<? super ConfigWarning> onWarning)
            throws ConfigException, VrrpStartException {
        VrrpNode.Builder builder = toBuilder(onWarning);
        try {
            int generation = node.reconfigure(builder);
            NotifyFifoWriter.retainOnly(config.globals().notifyFifos().stream().map(NotifyFifo::path)
                    .collect(java.util.stream.Collectors.toSet()));
            return generation;
        } catch (IllegalArgumentException e) {
            throw new ConfigException(List.of(new ConfigError(config.instances().getFirst().where(), e.getMessage())),
                    config.warnings());
        }
    }

    /** The builder of the node this file describes, its notify scripts registered as a listener. */
    private VrrpNode.Builder toBuilder(Consumer<? super ConfigWarning> onWarning) throws ConfigException {
        Objects.requireNonNull(onWarning, "onWarning");
        List<ConfigError> errors = new ArrayList<>();
        Map<String, TrackedCheck> checks = new HashMap<>();
        for (VrrpScript script : config.scripts()) {
            checks.put(script.name(), new TrackedCheck(script.name(), HealthCheck.command(script.command()),
                    script.interval(), min(script.timeout(), script.interval()),
                    new CheckPolicy(script.rise(), script.fall(), script.weight())));
        }
        VrrpNode.Builder builder = VrrpNode.builder().eventLoopPriority(eventLoopPriority(config.globals()))
                .autoPriority(autoPriority(config.globals()));
        config.staticRoutes().forEach(builder::staticRoute);
        config.staticRules().forEach(builder::staticRule);
        Map<String, NotifyScripts> notifiers = new HashMap<>();
        for (VrrpInstance instance : config.instances()) {
            try {
                builder.router(spec(instance, checks, errors, onWarning));
                if (!instance.notifyCommands().isEmpty()) {
                    notifiers.put(instance.name(), notifier(instance.notifyCommands()));
                }
            } catch (IllegalArgumentException e) {
                errors.add(new ConfigError(instance.where(), "vrrp_instance " + instance.name() + ": " + e.getMessage()));
            }
        }
        for (SyncGroupDef group : config.syncGroups()) {
            try {
                builder.syncGroup(new SyncGroup(group.name(), group.instances()));
                if (!group.notifyCommands().isEmpty()) {
                    notifiers.put(group.name(), notifier(group.notifyCommands()));
                }
            } catch (IllegalArgumentException e) {
                errors.add(new ConfigError(group.where(), "vrrp_sync_group " + group.name() + ": " + e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors, config.warnings());
        }
        if (!notifiers.isEmpty()) {
            builder.listener(dispatcher(notifiers));
        }
        if (!config.globals().notifyFifos().isEmpty()) {
            builder.listener(new NotifyFifoWriter(config.globals().notifyFifos()));
        }
        return builder;
    }

    /** keepalived's vrrp_rt_priority wins over vrrp_priority, as its VRRP process applies both in that order. */
    static EventLoopPriority eventLoopPriority(GlobalDefs globals) {
        if (globals.vrrpRealtimePriority() != null) {
            return EventLoopPriority.realtime(globals.vrrpRealtimePriority());
        }
        return globals.vrrpNice() != null ? EventLoopPriority.nice(globals.vrrpNice()) : EventLoopPriority.INHERIT;
    }

    /** keepalived's garp_* settings of an instance (counts above 100 are 100). */
    static AnnounceSettings announce(VrrpInstance instance) {
        GarpTuning garp = instance.garpTuning();
        return new AnnounceSettings(Math.min(instance.garpMasterRepeat(), 100), instance.garpMasterDelay(),
                instance.garpMasterRefresh())
                .withRefreshCount(Math.min(garp.refreshRepeat(), 100))
                .afterLowerPriority(Math.min(garp.lowerPrioRepeat(), 100), garp.lowerPrioDelay())
                .withIntervals(garp.arpInterval(), garp.naInterval());
    }

    /** keepalived's max_auto_priority and min_auto_priority_delay. */
    static AutoPriority autoPriority(GlobalDefs globals) {
        return globals.maxAutoPriority() == 0 ? AutoPriority.OFF
                : AutoPriority.upTo(globals.maxAutoPriority(), globals.minAutoPriorityDelay());
    }

    private static VirtualRouterSpec spec(VrrpInstance instance, Map<String, TrackedCheck> checks,
                                          List<ConfigError> errors, Consumer<? super ConfigWarning> warn) {
        RouterConfig config = instance.toRouterConfig();
        InetAddress source = instance.unicastSrcIp() == null ? null : VirtualAddress.parseLiteral(instance.unicastSrcIp());
        List<InetAddress> peers = instance.unicastPeers().stream().map(VirtualAddress::parseLiteral).toList();
        AnnounceSettings announce = announce(instance);
        List<TrackedCheck> tracked = new ArrayList<>();
        for (TrackScriptRef ref : instance.trackScripts()) {
            TrackedCheck check = checks.get(ref.name());
            tracked.add(ref.weight() == null ? check : check.withWeight(ref.weight()));
        }
        VirtualRouterSpec.Builder spec = VirtualRouterSpec.builder(config, instance.interfaceName()).sourceAddress(source)
                .unicastPeers(peers).announce(announce).multicastGroup(instance.multicastGroup() == null ? null
                        : VirtualAddress.parseLiteral(instance.multicastGroup()));
        tracked.forEach(spec::check);
        instance.trackInterfaces().forEach(spec::trackInterface);
        spec.trackPrimaryInterface(!instance.dontTrackPrimary());
        instance.weightedTrackInterfaces().forEach(ref -> spec.trackInterface(ref.name(), ref.weight()));
        instance.excludedVirtualAddresses().forEach(spec::excludedAddress);
        instance.virtualRoutes().forEach(spec::route);
        instance.virtualRules().forEach(spec::rule);
        return spec.build();
    }

    private static java.time.Duration min(java.time.Duration a, java.time.Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    private static NotifyScripts notifier(NotifyCommands commands) {
        NotifyScripts.Builder builder = NotifyScripts.builder();
        if (!commands.master().isEmpty()) {
            builder.onMaster(commands.master());
        }
        if (!commands.backup().isEmpty()) {
            builder.onBackup(commands.backup());
        }
        if (!commands.fault().isEmpty()) {
            builder.onFault(commands.fault());
        }
        if (!commands.stop().isEmpty()) {
            builder.onStop(commands.stop());
        }
        if (!commands.generic().isEmpty()) {
            builder.notify(commands.generic());
        }
        return builder.build();
    }

    /** Routes each event to the notify scripts of its instance or group. */
    private static FailoverListener dispatcher(Map<String, NotifyScripts> byName) {
        return FailoverListener.of(event -> {
            NotifyScripts scripts = byName.get(event.name());
            if (scripts != null) {
                FailoverListener.dispatch(scripts, event);
            }
        });
    }
}
