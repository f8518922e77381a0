package dev.vrrp4j.core.config;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The notify scripts of one {@code vrrp_instance} or {@code vrrp_sync_group}: {@code notify_master},
 * {@code notify_backup}, {@code notify_fault}, {@code notify_stop} and {@code notify}, each at most once.
 */
final class NotifyKeywords {
    /** The keywords, as both blocks declare them. */
    static final List<String> NAMES = List.of("notify_master", "notify_backup", "notify_fault", "notify_stop", "notify");

    private final String owner;
    private final Diagnostics diagnostics;
    private final Values values;
    private final Map<String, SourceLocation> seen = new HashMap<>();
    private final Map<String, List<String>> commands = new HashMap<>();

    NotifyKeywords(String owner, Diagnostics diagnostics) {
        this.owner = owner;
        this.diagnostics = diagnostics;
        this.values = new Values(diagnostics);
    }

    /**
     * {@code notify_X <command> [user [group]]}: the command is one word (quote it when it has
     * arguments), split like a vrrp_script's; the user and group, which keepalived runs it as, are
     * reported as ignored.
     */
    void read(Statement line) {
        if (line.args().size() > 3) {
            diagnostics.error(line.where(), line.name() + " takes a command and at most a user and a group; quote the whole"
                    + " command: " + line.name() + " \"" + Values.joined(line.args()) + "\"");
            return;
        }
        if (!values.noBlock(line) || !values.args(line, 1, 3) || !values.once(seen, line, owner)) {
            return;
        }
        List<String> argv = values.argv(line, line.args().getFirst().text());
        if (argv == null) {
            return;
        }
        if (line.args().size() > 1) {
            String user = line.args().get(1).text();
            diagnostics.warn(line.where(), line.name(), line.name() + ": keepalived would run " + line.args().getFirst().text()
                    + " as user '" + user + "'; vrrp4j runs notify scripts as its own user (if '" + user
                    + "' is meant as an argument, quote the whole command)");
        }
        commands.put(line.name(), argv);
    }

    NotifyCommands build() {
        return new NotifyCommands(command("notify_master"), command("notify_backup"), command("notify_fault"),
                command("notify_stop"), command("notify"));
    }

    private List<String> command(String keyword) {
        return commands.getOrDefault(keyword, List.of());
    }
}
