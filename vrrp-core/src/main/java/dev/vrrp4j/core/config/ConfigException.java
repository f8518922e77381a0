package dev.vrrp4j.core.config;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A keepalived configuration was refused. Holds every error found (the parser does not stop at the
 * first) and the warnings collected on the way; {@link #getMessage()} lists the errors one per line
 * as {@code file:line: message}.
 */
public final class ConfigException extends Exception {
    private final List<ConfigError> errors;
    private final List<ConfigWarning> warnings;

    public ConfigException(List<ConfigError> errors, List<ConfigWarning> warnings) {
        super(errors.stream().map(ConfigError::toString).collect(Collectors.joining("\n")));
        if (errors.isEmpty()) {
            throw new IllegalArgumentException("a ConfigException needs at least one error");
        }
        this.errors = List.copyOf(errors);
        this.warnings = List.copyOf(warnings);
    }

    /** The errors, in the order they were found (mostly file order). */
    public List<ConfigError> errors() {
        return errors;
    }

    /** Warnings found before the configuration was refused. */
    public List<ConfigWarning> warnings() {
        return warnings;
    }
}
