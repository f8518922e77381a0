package dev.vrrp4j.core.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where something was written in a keepalived configuration: the file (as the parser reached it,
 * so an included file is shown relative to the main file's directory when the main file was given
 * relative) and the 1-based line. Line 0 means the file as a whole (for example, it cannot be read).
 *
 * @param file the configuration file
 * @param line 1-based line number, or 0 for the whole file
 */
public record SourceLocation(Path file, int line) {
    public SourceLocation {
        Objects.requireNonNull(file, "file");
        if (line < 0) {
            throw new IllegalArgumentException("line " + line + " out of range 0..");
        }
    }

    /** {@code file:line}, the form compilers and editors understand. */
    @Override
    public String toString() {
        return file + ":" + line;
    }
}
