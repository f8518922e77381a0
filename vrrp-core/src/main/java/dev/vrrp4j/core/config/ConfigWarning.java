package dev.vrrp4j.core.config;

import java.util.Objects;

/**
 * Something in a keepalived configuration that vrrp4j accepts but does not act on, or acts on
 * differently from what the text suggests (keepalived itself logs most of these too): an
 * unsupported keyword (reported once per keyword), an include that matches no file, or a setting
 * keepalived overrides (such as {@code nopreempt} with {@code state MASTER}).
 *
 * @param where   the line that caused it
 * @param keyword the keyword concerned, for grouping and counting (e.g. {@code virtual_server})
 * @param message what happens, in a sentence
 */
public record ConfigWarning(SourceLocation where, String keyword, String message) {
    public ConfigWarning {
        Objects.requireNonNull(where, "where");
        Objects.requireNonNull(keyword, "keyword");
        Objects.requireNonNull(message, "message");
    }

    /** {@code file:line: warning: message}. */
    @Override
    public String toString() {
        return where + ": warning: " + message;
    }
}
