package dev.vrrp4j.core.config;

import java.util.List;

/**
 * The notify scripts of a {@code vrrp_instance} or {@code vrrp_sync_group}, each an argument vector
 * split like {@link VrrpScript#command()} (empty when not configured).
 *
 * <p>keepalived runs {@code generic} ({@code notify}) after the state-specific one, with four more
 * arguments: {@code INSTANCE|GROUP}, the name, the new state ({@code MASTER}, {@code BACKUP},
 * {@code FAULT} or {@code STOP}) and the priority. Adding them is the runner's job.
 *
 * @param master  {@code notify_master}
 * @param backup  {@code notify_backup}
 * @param fault   {@code notify_fault}
 * @param stop    {@code notify_stop}, run when the instance stops
 * @param generic {@code notify}, run on every transition
 */
public record NotifyCommands(
        List<String> master,
        List<String> backup,
        List<String> fault,
        List<String> stop,
        List<String> generic) {

    /** No notify scripts. */
    public static final NotifyCommands NONE = new NotifyCommands(List.of(), List.of(), List.of(), List.of(), List.of());

    public NotifyCommands {
        master = List.copyOf(master);
        backup = List.copyOf(backup);
        fault = List.copyOf(fault);
        stop = List.copyOf(stop);
        generic = List.copyOf(generic);
    }

    /** Whether no script is configured. */
    public boolean isEmpty() {
        return master.isEmpty() && backup.isEmpty() && fault.isEmpty() && stop.isEmpty() && generic.isEmpty();
    }
}
