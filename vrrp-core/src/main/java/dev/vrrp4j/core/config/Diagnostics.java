package dev.vrrp4j.core.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Collects errors and warnings while a configuration is read, so that all of them are reported at once. */
final class Diagnostics {
    private final List<ConfigError> errors = new ArrayList<>();
    private final List<ConfigWarning> warnings = new ArrayList<>();
    private final Set<String> warnedOnce = new HashSet<>();

    void error(SourceLocation where, String message) {
        errors.add(new ConfigError(where, message));
    }

    void warn(SourceLocation where, String keyword, String message) {
        warnings.add(new ConfigWarning(where, keyword, message));
    }

    /** A warning about a keyword that is reported at its first occurrence only. */
    void warnOnce(SourceLocation where, String keyword, String message) {
        if (warnedOnce.add(keyword)) {
            warn(where, keyword, message);
        }
    }

    int errorCount() {
        return errors.size();
    }

    List<ConfigError> errors() {
        return List.copyOf(errors);
    }

    List<ConfigWarning> warnings() {
        return List.copyOf(warnings);
    }
}
