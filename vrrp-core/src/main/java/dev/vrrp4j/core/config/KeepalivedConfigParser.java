package dev.vrrp4j.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the VRRP part of a keepalived configuration ({@code keepalived.conf(5)}, keepalived 2.2)
 * into a {@link KeepalivedConfig}, so that keepalived users can run their existing file.
 *
 * <p>Everything is checked before anything is returned, and all problems are reported together:
 * malformed or out-of-range values, missing required keywords, references to undefined scripts or
 * instances, duplicate VRIDs, unbalanced braces and include cycles are {@link ConfigError}s with
 * {@code file:line}; keywords vrrp4j does not implement are {@link ConfigWarning}s (once per
 * keyword) and never change what the supported keywords mean. VRRPv2 instances (keepalived's
 * default for IPv4) are refused with the one-line fix, since vrrp4j speaks VRRPv3 only for now.
 * See the package documentation for the keyword table.
 *
 * <p>Pure: reads files (the configuration and its includes) and nothing else; no name lookups.
 */
public final class KeepalivedConfigParser {
    private KeepalivedConfigParser() {
    }

    /**
     * Reads {@code file} and the files it includes.
     *
     * @throws ConfigException listing every error found, including an unreadable {@code file}
     */
    public static KeepalivedConfig parse(Path file) throws ConfigException {
        String text;
        Path identity;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            identity = file.toRealPath();
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigError(new SourceLocation(file, 0), "cannot read " + file + ": " + e)),
                    List.of());
        }
        return parse(text, file, identity);
    }

    /**
     * Reads configuration {@code text} as if it were the contents of {@code pretendFile}: locations
     * name that file, and relative includes are resolved against its directory (which must exist
     * only if the text includes something).
     *
     * @throws ConfigException listing every error found
     */
    public static KeepalivedConfig parse(String text, Path pretendFile) throws ConfigException {
        return parse(text, pretendFile, pretendFile.toAbsolutePath().normalize());
    }

    private static KeepalivedConfig parse(String text, Path file, Path identity) throws ConfigException {
        Diagnostics diagnostics = new Diagnostics();
        List<Lexer.Line> lines = Lexer.lex(text, file, identity, diagnostics);
        List<Statement> statements = Statement.parse(lines, diagnostics);
        KeepalivedConfig config = new ConfigInterpreter(diagnostics).interpret(statements);
        if (diagnostics.errorCount() > 0) {
            throw new ConfigException(diagnostics.errors(), diagnostics.warnings());
        }
        return config;
    }
}
