package dev.vrrp4j.core.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code vrrp_sync_group NAME { group { VI_1 VI_2 } ... }}: instances that change state together,
 * and the group's notify scripts. The member names are resolved once every instance is read.
 */
final class SyncGroupBlock {
    static final KeywordTable<SyncGroupBlock> KEYWORDS = KeywordTable.<SyncGroupBlock>block("vrrp_sync_group",
                    ConfigInterpreter.KEYWORDS)
            .supported("group", SyncGroupBlock::group)
            .supported(NotifyKeywords.NAMES, (group, line) -> group.notify.read(line))
            // global_tracking: keepalived's deprecated name, which sets the same flag (vrrp_parser.c)
            .supported(List.of("sync_group_tracking_weight", "global_tracking"), SyncGroupBlock::trackingWeight)
            .ignored("tracking on a sync group is not implemented; track in each vrrp_instance instead",
                    "track_interface", "track_script", "track_file", "track_process", "track_bfd")
            .ignored(IgnoredBecause.OTHER_NOTIFY, "notify_deleted", "notify_priority_changes")
            .ignored(IgnoredBecause.EMAIL, "smtp_alert");

    final String name;
    final SourceLocation where;
    private final String owner;
    private final Diagnostics diagnostics;
    private final Values values;
    private final Map<String, SourceLocation> seen = new HashMap<>();
    private final List<Token> memberNames = new ArrayList<>();
    private final List<VrrpInstanceBlock> members = new ArrayList<>();
    private final NotifyKeywords notify;
    /** Whether weighted track_scripts of the members count (keepalived ignores them otherwise). */
    boolean trackingWeight;

    SyncGroupBlock(String name, SourceLocation where, Diagnostics diagnostics) {
        this.name = name;
        this.where = where;
        this.owner = "vrrp_sync_group " + name;
        this.diagnostics = diagnostics;
        this.values = new Values(diagnostics);
        this.notify = new NotifyKeywords(owner, diagnostics);
    }

    void read(Statement s) {
        for (Statement line : s.block()) {
            KEYWORDS.read(this, line, owner, diagnostics);
        }
    }

    private void group(Statement line) {
        if (values.block(line, 0) && values.once(seen, line, owner)) {
            memberNames.addAll(line.blockWords());
        }
    }

    private void trackingWeight(Statement line) {
        if (values.noArgs(line)) {
            trackingWeight = true;
        }
    }

    /** Links the named instances to this group; an unknown name or an instance in two groups is an error. */
    void resolve(Map<String, VrrpInstanceBlock> instances) {
        if (memberNames.isEmpty()) {
            diagnostics.error(where, owner + " has no instances (" + example(instances) + ")");
        }
        for (Token member : memberNames) {
            VrrpInstanceBlock instance = instances.get(member.text());
            if (instance == null) {
                String near = Spelling.closest(member.text(), instances.keySet());
                diagnostics.error(member.where(), owner + ": no vrrp_instance named " + member.text()
                        + (near != null ? " (did you mean " + near + "?)" : ""));
            } else if (instance.group != null) {
                diagnostics.error(member.where(), owner + ": vrrp_instance " + instance.name
                        + (instance.group == this ? " is listed twice" : " is already in vrrp_sync_group "
                        + instance.group.name));
            } else {
                instance.group = this;
                members.add(instance);
            }
        }
        if (members.size() == 1) {
            diagnostics.warn(where, "vrrp_sync_group", owner
                    + " has only one instance, which is probably not what you want (keepalived warns too)");
        }
    }

    /** The fix, with names of instances of this file: preferably two that are in no group yet. */
    private static String example(Map<String, VrrpInstanceBlock> instances) {
        if (instances.isEmpty()) {
            return "group { ... } lists vrrp_instance names, and this configuration has no vrrp_instance";
        }
        List<String> names = new ArrayList<>(instances.values().stream().filter(i -> i.group == null).map(i -> i.name).toList());
        instances.keySet().stream().filter(n -> !names.contains(n)).forEach(names::add);
        return "group { " + String.join(" ", names.subList(0, Math.min(2, names.size()))) + " }";
    }

    /** The resolved members, in the group's order. */
    List<VrrpInstanceBlock> members() {
        return members;
    }

    /** The group, or {@code null} when it has no members or one of them was not built. */
    SyncGroupDef build(List<String> builtInstances) {
        List<String> memberNames = members.stream().map(m -> m.name).toList();
        if (memberNames.isEmpty() || !builtInstances.containsAll(memberNames)) {
            return null;
        }
        return new SyncGroupDef(name, memberNames, notify.build(), where);
    }
}
