package dev.vrrp4j.core.config;

import java.util.Objects;

/**
 * One reason a keepalived configuration is refused: a value that is malformed or out of range, a
 * missing required keyword, a reference to something undefined, unbalanced braces, or a setting
 * vrrp4j cannot honour without changing the router's behaviour (such as VRRPv2).
 *
 * @param where   the line at fault
 * @param message what is wrong, naming the keyword and the value (and the allowed range, if any)
 */
public record ConfigError(SourceLocation where, String message) {
    public ConfigError {
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(message, "message");
    }

    /** {@code file:line: message}. */
    @Override
    public String toString() {
        return where + ": " + message;
    }
}
