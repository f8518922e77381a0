package dev.vrrp4j.core.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns configuration text into lines of {@link Token}s: comments removed, conditional lines,
 * parameters and sequences applied ({@link Preprocessor}), quotes and escapes resolved, braces
 * split off, and {@code include} lines replaced by the lines of the files they name, as keepalived
 * does before it looks at keywords (so an include may appear at any level, and may itself be
 * conditional or use parameters).
 *
 * <p>Include rules (keepalived.conf(5)): a relative pattern is relative to the directory of the file
 * that contains the {@code include}; matches are read in sorted order; a pattern that matches no
 * file is a warning for {@code include} and {@code includer} and an error for {@code includew}
 * and {@code includea} ({@code includem}: only without wildcards; {@code includeb}/{@code includea}:
 * also when one brace alternative matches nothing); an unreadable file is a warning only for plain
 * {@code include}. Including a file that is already being read is an error (a cycle).
 */
final class Lexer {
    /** One non-empty line. */
    record Line(SourceLocation where, List<Token> tokens) {}

    private static final Set<String> INCLUDES = Set.of("include", "includer", "includem", "includew", "includeb", "includea");

    private final Diagnostics diagnostics;
    private final Preprocessor preprocessor;
    private final List<Line> lines = new ArrayList<>();
    /** Files being read, outermost first: identity (real path) and the path shown to the user. */
    private final Deque<Path[]> reading = new ArrayDeque<>();

    private Lexer(String configId, Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.preprocessor = new Preprocessor(configId, diagnostics);
    }

    /**
     * @param file     the path shown in locations and against which includes are resolved
     * @param identity the file's identity for cycle detection (its real path if it exists)
     * @param configId what {@code @ID} lines are compared with ({@link Preprocessor}); {@code null}: nothing
     */
    static List<Line> lex(String text, Path file, Path identity, String configId, Diagnostics diagnostics) {
        Lexer lexer = new Lexer(configId, diagnostics);
        lexer.reading.addLast(new Path[] {identity, file});
        lexer.lexText(text, file);
        return lexer.lines;
    }

    private void lexText(String text, Path file) {
        String[] raw = text.split("\n", -1);
        for (int i = 0; i < raw.length; i++) {
            SourceLocation where = new SourceLocation(file, i + 1);
            String line = raw[i].endsWith("\r") ? raw[i].substring(0, raw[i].length() - 1) : raw[i];
            preprocessor.line(line, where, logical -> lexLine(logical, where, file));
        }
        preprocessor.endOfFile();
    }

    /** One line as keepalived's reader hands it on: conditions, parameters and sequences applied. */
    private void lexLine(String line, SourceLocation where, Path file) {
        String first = line.split("[\\s#!{]", 2)[0];
        if (INCLUDES.contains(first)) {
            include(first, line.substring(first.length()), where, file);
            return;
        }
        List<Token> tokens = Words.split(line, true, problem -> diagnostics.error(where, problem)).stream()
                .map(w -> new Token(w.text(), w.quoted(), where))
                .toList();
        if (!tokens.isEmpty()) {
            lines.add(new Line(where, tokens));
        }
    }

    private void include(String variant, String rest, SourceLocation where, Path file) {
        List<Words.Word> words = Words.split(withoutComment(rest), false, problem -> diagnostics.error(where, problem));
        if (words.size() != 1) {
            diagnostics.error(where, variant + " takes one file name or pattern, got "
                    + (words.isEmpty() ? "none" : words.stream().map(Words.Word::text).collect(Collectors.joining(" "))));
            return;
        }
        String pattern = words.getFirst().text();
        Path dir = file.getParent() != null ? file.getParent() : Path.of("");
        boolean readableCheck = !variant.equals("include");
        boolean braceCheck = variant.equals("includeb") || variant.equals("includea");
        boolean matchCheck = variant.equals("includew") || variant.equals("includea")
                || (variant.equals("includem") && !Glob.hasWildcard(pattern));

        Set<Path> matches = new LinkedHashSet<>();
        List<String> alternatives;
        try {
            alternatives = Glob.expandBraces(pattern);
        } catch (IllegalArgumentException e) {
            diagnostics.error(where, variant + " " + pattern + ": not a valid pattern (" + e.getMessage() + ")");
            return;
        }
        for (String alternative : alternatives) {
            List<Path> found;
            try {
                found = Glob.match(dir, alternative);
            } catch (IllegalArgumentException e) {
                diagnostics.error(where, variant + " " + pattern + ": not a valid pattern (" + e.getMessage() + ")");
                return;
            } catch (IOException e) {
                report(readableCheck, where, variant, variant + " " + pattern + ": cannot list " + dir + " (" + e + ")");
                continue;
            }
            if (found.isEmpty() && braceCheck && alternatives.size() > 1) {
                diagnostics.error(where, variant + " " + pattern + ": alternative " + alternative + " matches no file");
            }
            found.forEach(p -> matches.add(p.normalize()));
        }
        if (matches.isEmpty()) {
            report(matchCheck, where, variant, variant + " " + pattern + " matches no file (looked in "
                    + (pattern.startsWith("/") ? "/" : dir.toString().isEmpty() ? "." : dir.toString()) + ")");
            return;
        }
        for (Path match : matches) {
            includeFile(variant, match, where, readableCheck);
        }
    }

    private void includeFile(String variant, Path match, SourceLocation where, boolean readableCheck) {
        Path identity;
        byte[] bytes;
        try {
            if (!Files.isRegularFile(match)) {
                report(readableCheck, where, variant, variant + ": " + match + " is not a regular file");
                return;
            }
            identity = match.toRealPath();
            bytes = Files.readAllBytes(match);
        } catch (IOException e) {
            report(readableCheck, where, variant, variant + ": cannot read " + match + " (" + e + ")");
            return;
        }
        for (Path[] open : reading) {
            if (open[0].equals(identity)) {
                String chain = reading.stream().map(f -> f[1].toString()).collect(Collectors.joining(" -> "));
                diagnostics.error(where, "include cycle: " + chain + " -> " + match);
                return;
            }
        }
        reading.addLast(new Path[] {identity, match});
        lexText(new String(bytes, StandardCharsets.UTF_8), match);
        reading.removeLast();
    }

    private void report(boolean isError, SourceLocation where, String variant, String message) {
        if (isError) {
            diagnostics.error(where, message);
        } else {
            diagnostics.warn(where, variant, message);
        }
    }

    /** The text before the first {@code #} or {@code !} outside quotes. */
    static String withoutComment(String text) {
        char quote = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\') {
                    i++;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '\\') {
                i++;
            } else if (c == '#' || c == '!') {
                return text.substring(0, i);
            }
        }
        return text;
    }
}
