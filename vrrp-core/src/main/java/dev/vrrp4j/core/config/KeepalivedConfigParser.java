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
 * <p>keepalived's conditional lines ({@code @ID}, {@code @^ID}), parameters ({@code $NAME=value},
 * {@code $NAME}, {@code ${NAME}}) and {@code ~SEQ}/{@code ~LST} repetitions are applied first, as
 * keepalived's reader does; the config id is a parameter (default: the host name's first label).
 *
 * <p>Pure: reads files (the configuration and its includes, and the host name for the default
 * config id) and nothing else; no name lookups.
 */
public final class KeepalivedConfigParser {
    private KeepalivedConfigParser() {
    }

    /**
     * keepalived's default config id: the host name up to its first dot (keepalived takes uname's
     * node name; this reads the same from {@code /proc/sys/kernel/hostname}, without a name lookup),
     * or {@code null} when it cannot be read (then no {@code @ID} line matches and every
     * {@code @^ID} line does, as in keepalived without a config id).
     */
    public static String defaultConfigId() {
        String name;
        try {
            name = Files.readString(Path.of("/proc/sys/kernel/hostname"), StandardCharsets.UTF_8).strip();
        } catch (IOException | SecurityException e) {
            name = System.getenv("HOSTNAME");
        }
        if (name == null || name.isEmpty()) {
            return null;
        }
        int dot = name.indexOf('.');
        return dot < 0 ? name : name.substring(0, dot);
    }

    /**
     * Reads {@code file} and the files it includes, with the {@link #defaultConfigId() default config id}.
     *
     * @throws ConfigException listing every error found, including an unreadable {@code file}
     */
    public static KeepalivedConfig parse(Path file) throws ConfigException {
        return parse(file, defaultConfigId());
    }

    /**
     * Reads {@code file} and the files it includes; {@code @ID} and {@code @^ID} lines are kept or
     * dropped by comparing {@code ID} with {@code configId} (keepalived's {@code -i}/{@code --config-id}).
     *
     * @param configId the config id, or {@code null} for none (no {@code @ID} line is kept, every {@code @^ID} line is)
     * @throws ConfigException listing every error found, including an unreadable {@code file}
     */
    public static KeepalivedConfig parse(Path file, String configId) throws ConfigException {
        String text;
        Path identity;
        try {
            text = new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
            identity = file.toRealPath();
        } catch (IOException e) {
            throw new ConfigException(List.of(new ConfigError(new SourceLocation(file, 0), "cannot read " + file + ": " + e)),
                    List.of());
        }
        return parse(text, file, identity, configId);
    }

    /**
     * Reads configuration {@code text} as if it were the contents of {@code pretendFile}: locations
     * name that file, and relative includes are resolved against its directory (which must exist
     * only if the text includes something).
     *
     * Uses the {@link #defaultConfigId() default config id}.
     *
     * @throws ConfigException listing every error found
     */
    public static KeepalivedConfig parse(String text, Path pretendFile) throws ConfigException {
        return parse(text, pretendFile, defaultConfigId());
    }

    /**
     * {@link #parse(String, Path)} with the given config id ({@code null}: none).
     *
     * @throws ConfigException listing every error found
     */
    public static KeepalivedConfig parse(String text, Path pretendFile, String configId) throws ConfigException {
        return parse(text, pretendFile, pretendFile.toAbsolutePath().normalize(), configId);
    }

    private static KeepalivedConfig parse(String text, Path file, Path identity, String configId) throws ConfigException {
        Diagnostics diagnostics = new Diagnostics();
        List<Lexer.Line> lines = Lexer.lex(text, file, identity, configId, diagnostics);
        List<Statement> statements = Statement.parse(lines, diagnostics);
        KeepalivedConfig config = new ConfigInterpreter(diagnostics).interpret(statements);
        if (diagnostics.errorCount() > 0) {
            throw new ConfigException(diagnostics.errors(), diagnostics.warnings());
        }
        return config;
    }
}
