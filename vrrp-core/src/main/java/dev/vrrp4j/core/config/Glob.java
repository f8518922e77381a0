package dev.vrrp4j.core.config;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * File name expansion for {@code include}, close to glibc's {@code glob(GLOB_BRACE)} that keepalived
 * uses: {@code {a,b}} alternatives (expanded first, nested allowed, each alternative's matches kept
 * in order), then {@code * ? [...]} within each path segment, where a leading {@code .} must be
 * matched explicitly, and the matches of each alternative sorted.
 */
final class Glob {
    private Glob() {
    }

    /** Whether {@code pattern} has {@code * ? [} (braces excluded). */
    static boolean hasWildcard(String pattern) {
        return pattern.indexOf('*') >= 0 || pattern.indexOf('?') >= 0 || pattern.indexOf('[') >= 0;
    }

    /**
     * The most alternatives one pattern may expand to. Expansion is exponential in the number of
     * brace groups ({@code {a,b}} twenty times is a million patterns, each a directory lookup), so a
     * short line could otherwise stall the parser for minutes or exhaust the heap.
     */
    static final int MAX_ALTERNATIVES = 1024;

    /**
     * {@code a{b,c{d,e}}f} becomes {@code abf, acdf, acef}; text without a matching brace stays as it is.
     *
     * @throws IllegalArgumentException if the pattern expands to more than {@link #MAX_ALTERNATIVES}
     */
    static List<String> expandBraces(String pattern) {
        int depth = 0;
        int open = -1;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '{') {
                if (depth++ == 0) {
                    open = i;
                }
            } else if (c == '}' && depth > 0 && --depth == 0) {
                String before = pattern.substring(0, open);
                String after = pattern.substring(i + 1);
                List<String> result = new ArrayList<>();
                for (String alternative : splitTopLevel(pattern.substring(open + 1, i))) {
                    result.addAll(expandBraces(before + alternative + after));
                    if (result.size() > MAX_ALTERNATIVES) {
                        throw new IllegalArgumentException("braces expand to more than " + MAX_ALTERNATIVES + " patterns");
                    }
                }
                return result;
            }
        }
        return List.of(pattern);
    }

    private static List<String> splitTopLevel(String body) {
        List<String> parts = new ArrayList<>();
        int depth = 0;
        int start = 0;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\\') {
                i++;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                parts.add(body.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(body.substring(start));
        return parts;
    }

    /**
     * The existing paths matching {@code pattern} (without braces), relative to {@code dir} unless
     * the pattern is absolute, sorted.
     *
     * @throws IllegalArgumentException if a segment is not a valid pattern
     */
    static List<Path> match(Path dir, String pattern) throws IOException {
        Path base = pattern.startsWith("/") ? Path.of("/") : dir;
        String[] segments = Arrays.stream(pattern.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
        if (segments.length == 0) {
            return List.of();
        }
        List<Path> current = List.of(base);
        for (int k = 0; k < segments.length; k++) {
            String segment = segments[k];
            boolean last = k == segments.length - 1;
            List<Path> next = new ArrayList<>();
            if (!hasWildcard(segment)) {
                for (Path p : current) {
                    Path q = p.resolve(segment);
                    if (last ? Files.exists(q) : Files.isDirectory(q)) {
                        next.add(q);
                    }
                }
            } else {
                PathMatcher matcher = base.getFileSystem().getPathMatcher("glob:" + segment);
                boolean dotExplicit = segment.startsWith(".");
                for (Path p : current) {
                    if (!Files.isDirectory(p)) {
                        continue;
                    }
                    List<Path> found = new ArrayList<>();
                    try (DirectoryStream<Path> entries = Files.newDirectoryStream(p)) {
                        for (Path entry : entries) {
                            Path name = entry.getFileName();
                            if (name.toString().startsWith(".") && !dotExplicit) {
                                continue;
                            }
                            if (matcher.matches(name) && (last || Files.isDirectory(entry))) {
                                found.add(p.resolve(name.toString()));
                            }
                        }
                    }
                    found.sort(Comparator.comparing(Path::toString));
                    next.addAll(found);
                }
            }
            current = next;
        }
        List<Path> result = new ArrayList<>(current);
        result.sort(Comparator.comparing(Path::toString));
        return result;
    }
}
