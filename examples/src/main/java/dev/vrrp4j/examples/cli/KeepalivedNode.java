package dev.vrrp4j.examples.cli;

import dev.vrrp4j.core.config.ConfigError;
import dev.vrrp4j.core.config.ConfigException;
import dev.vrrp4j.core.config.ConfigWarning;
import dev.vrrp4j.core.config.GlobalDefs;
import dev.vrrp4j.core.config.KeepalivedConfig;
import dev.vrrp4j.core.config.NotifyCommands;
import dev.vrrp4j.core.config.SyncGroupDef;
import dev.vrrp4j.core.config.TrackScriptRef;
import dev.vrrp4j.core.config.VirtualIp;
import dev.vrrp4j.core.config.VrrpInstance;
import dev.vrrp4j.core.config.VrrpScript;
import dev.vrrp4j.core.health.CheckPolicy;
import dev.vrrp4j.core.router.RouterConfig;
import dev.vrrp4j.core.router.VirtualAddress;
import dev.vrrp4j.netty.AnnounceSettings;
import dev.vrrp4j.netty.EventLoopPriority;
import dev.vrrp4j.netty.FailoverListener;
import dev.vrrp4j.netty.HealthCheck;
import dev.vrrp4j.netty.NotifyScripts;
import dev.vrrp4j.netty.RouterEvent;
import dev.vrrp4j.netty.SyncGroup;
import dev.vrrp4j.netty.TrackedCheck;
import dev.vrrp4j.netty.VirtualRouterSpec;
import dev.vrrp4j.netty.VrrpNode;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns a parsed keepalived.conf into a {@link VrrpNode}: one virtual router per
 * {@code vrrp_instance}, one health check per {@code vrrp_script}, a sync group per
 * {@code vrrp_sync_group}, and keepalived's notify scripts as the listener. Whatever the file asks
 * for that vrrp4j would do differently is refused here with the file and line, never run quietly.
 */
final class KeepalivedNode {
    private KeepalivedNode() {}

    /** keepalived's vrrp_rt_priority wins over vrrp_priority, as its VRRP process applies both in that order. */
    static EventLoopPriority eventLoopPriority(GlobalDefs globals) {
        if (globals.vrrpRealtimePriority() != null) {
            return EventLoopPriority.realtime(globals.vrrpRealtimePriority());
        }
        return globals.vrrpNice() != null ? EventLoopPriority.nice(globals.vrrpNice()) : EventLoopPriority.INHERIT;
    }

    /** Builds the node, or throws with every problem found. */
    static VrrpNode build(KeepalivedConfig config, FailoverListener extraListener) throws ConfigException {
        return build(config, extraListener, warning -> { });
    }

    /** As {@link #build(KeepalivedConfig, FailoverListener)}, reporting what vrrp4j ignores to {@code warn}. */
    static VrrpNode build(KeepalivedConfig config, FailoverListener extraListener,
                          java.util.function.Consumer<ConfigWarning> warn) throws ConfigException {
        List<ConfigError> errors = new ArrayList<>();
        Map<String, TrackedCheck> checks = new HashMap<>();
        for (VrrpScript script : config.scripts()) {
            checks.put(script.name(), new TrackedCheck(script.name(), HealthCheck.command(script.command()),
                    script.interval(), min(script.timeout(), script.interval()),
                    new CheckPolicy(script.rise(), script.fall(), script.weight())));
        }
        VrrpNode.Builder builder = VrrpNode.builder().eventLoopPriority(eventLoopPriority(config.globals()));
        Map<String, NotifyScripts> notifiers = new HashMap<>();
        for (VrrpInstance instance : config.instances()) {
            try {
                builder.router(spec(instance, checks, errors, warn));
                notifiers.put(instance.name(), notifier(instance.notifyCommands()));
            } catch (IllegalArgumentException e) {
                errors.add(new ConfigError(instance.where(), "vrrp_instance " + instance.name() + ": " + e.getMessage()));
            }
        }
        FailoverListener listener = dispatcher(notifiers, extraListener);
        for (SyncGroupDef group : config.syncGroups()) {
            try {
                builder.syncGroup(new SyncGroup(group.name(), group.instances()),
                        dispatcher(Map.of(group.name(), notifier(group.notifyCommands())), extraListener));
            } catch (IllegalArgumentException e) {
                errors.add(new ConfigError(group.where(), "vrrp_sync_group " + group.name() + ": " + e.getMessage()));
            }
        }
        if (!errors.isEmpty()) {
            throw new ConfigException(errors, config.warnings());
        }
        try {
            return builder.listener(listener).build();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(List.of(new ConfigError(config.instances().getFirst().where(), e.getMessage())),
                    config.warnings());
        }
    }

    private static VirtualRouterSpec spec(VrrpInstance instance, Map<String, TrackedCheck> checks,
                                          List<ConfigError> errors, java.util.function.Consumer<ConfigWarning> warn) {
        for (VirtualIp vip : instance.virtualAddresses()) {
            if (vip.label() != null) {
                warn.accept(new ConfigWarning(vip.where(), "label", "label " + vip.label() + " is ignored: vrrp4j adds "
                        + vip.address() + "/" + vip.prefixLength() + " to " + instance.interfaceName()
                        + " without an alias label"));
            }
            if (vip.dev() != null && !vip.dev().equals(instance.interfaceName())) {
                errors.add(new ConfigError(vip.where(), "virtual_ipaddress " + vip.address() + " dev " + vip.dev()
                        + ": vrrp4j installs an instance's addresses on its own interface (" + instance.interfaceName()
                        + ") only; move the address to an instance on " + vip.dev()));
            }
        }
        RouterConfig config = instance.toRouterConfig();
        InetAddress source = instance.unicastSrcIp() == null ? null : VirtualAddress.parseLiteral(instance.unicastSrcIp());
        List<InetAddress> peers = instance.unicastPeers().stream().map(VirtualAddress::parseLiteral).toList();
        AnnounceSettings announce = new AnnounceSettings(Math.min(instance.garpMasterRepeat(), 100),
                instance.garpMasterDelay(), instance.garpMasterRefresh());
        List<TrackedCheck> tracked = new ArrayList<>();
        for (TrackScriptRef ref : instance.trackScripts()) {
            TrackedCheck check = checks.get(ref.name());
            tracked.add(ref.weight() == null ? check : check.withWeight(ref.weight()));
        }
        return new VirtualRouterSpec(config, instance.interfaceName(), source, peers, announce, tracked,
                instance.trackInterfaces());
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

    /** Routes each event to its instance's (or group's) notify scripts, then to an extra listener. */
    private static FailoverListener dispatcher(Map<String, NotifyScripts> byName, FailoverListener extra) {
        return FailoverListener.of(event -> {
            NotifyScripts scripts = byName.get(event.routerName());
            if (scripts != null) {
                FailoverListener.dispatch(scripts, event);
            }
            FailoverListener.dispatch(extra, event);
        });
    }
}
