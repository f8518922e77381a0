package dev.vrrp4j.core.config;

import java.util.List;
import java.util.Objects;

/**
 * keepalived's {@code notify_fifo} or {@code vrrp_notify_fifo} (global_defs): a FIFO that gets one
 * line per transition, {@code INSTANCE "VI_1" MASTER 100} or {@code GROUP "G1" BACKUP 0} (the last
 * four arguments of the generic {@code notify} script), optionally with a script started to read it.
 *
 * @param keyword {@code notify_fifo} or {@code vrrp_notify_fifo}, for messages
 * @param path    the FIFO; created if absent
 * @param script  {@code *_notify_fifo_script}: argv run with the FIFO's path added as last argument,
 *                and terminated when the FIFO closes; empty for none
 * @param where   the FIFO's line
 */
public record NotifyFifo(String keyword, String path, List<String> script, SourceLocation where) {
    public NotifyFifo {
        Objects.requireNonNull(keyword, "keyword");
        Objects.requireNonNull(path, "path");
        script = List.copyOf(Objects.requireNonNull(script, "script"));
        Objects.requireNonNull(where, "where");
    }
}
