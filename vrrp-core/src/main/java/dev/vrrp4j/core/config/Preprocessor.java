package dev.vrrp4j.core.config;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * keepalived's text-level configuration features (keepalived.conf(5), "Conditional configuration
 * and configuration id", "Parameter substitution", "Sequence blocks", "List blocks"), applied to
 * each line before it is split into words, as keepalived's reader does:
 * <ul>
 *   <li>{@code @ID line} keeps the line only when the config id is {@code ID}, {@code @^ID line} only
 *       when it is not;</li>
 *   <li>{@code $NAME=value} defines a parameter (a value ending in {@code \} continues on the next
 *       lines: a multi-line definition, usable only at the end of a line); {@code $NAME} followed by
 *       a blank, {@code ,}, {@code )} or the end of the line, and {@code ${NAME}} anywhere, are
 *       replaced by the value at the time of use, and the result is read again (so a value may hold
 *       {@code @ID}, definitions and further references); an undefined {@code $NAME} stays as
 *       written, as in keepalived; {@code ${_PWD}}, {@code ${_INSTANCE}}, {@code ${_HASH}},
 *       {@code ${_BANG}} are predefined;</li>
 *   <li>{@code ~SEQ(var, start, step, end) rest} (or {@code ~SEQx}, hexadecimal) reads {@code rest}
 *       once per value of {@code $var}; {@code ~LST(var, v1, v2...)} and
 *       {@code ~LST({a, b}, {1, 2}, {3, 4}) rest} once per listed value.</li>
 * </ul>
 * Every line produced keeps the location of the line it came from.
 */
final class Preprocessor {
    private static final Pattern DEFINITION = Pattern.compile("\\$([A-Za-z_][A-Za-z0-9_]*)=(.*)", Pattern.DOTALL);
    private static final Pattern NUMBER = Pattern.compile("[+-]?(0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)");
    /** Nesting of re-reads and sequences: beyond this a parameter almost certainly refers to itself. */
    private static final int MAX_DEPTH = 64;
    /** Values of one ~SEQ or ~LST; keepalived's own example generates 65024 instances from three. */
    private static final long MAX_VALUES = 65_536;
    /** Lines produced in all, so that nested sequences cannot make the parser run out of memory. */
    private static final long MAX_LINES = 1_000_000;
    /** keepalived's own limit is its line buffer; this one stops a parameter that doubles itself. */
    private static final int MAX_LINE_CHARS = 65_536;

    /** A parameter's value: its lines (more than one only for a multi-line definition). */
    private static final class Definition {
        final List<String> lines = new ArrayList<>();
        boolean multiline;
    }

    private final String configId;
    private final Diagnostics diagnostics;
    private final Map<String, Definition> definitions = new HashMap<>();
    /** The multi-line definition being read, while its lines end with a backslash. */
    private Definition open;
    private long produced;
    private boolean tooMany;
    /** Undefined references reported already (line and text), so that a ~SEQ does not repeat them. */
    private final java.util.Set<String> reported = new java.util.HashSet<>();

    /** @param configId the config id that {@code @ID} lines are compared with; {@code null}: none matches */
    Preprocessor(String configId, Diagnostics diagnostics) {
        this.configId = configId;
        this.diagnostics = diagnostics;
    }

    /** Reads one line of a file; {@code out} receives the lines it stands for, comments removed. */
    void line(String raw, SourceLocation where, Consumer<String> out) {
        if (open != null) {
            continueDefinition(raw);
            return;
        }
        String text = Lexer.withoutComment(raw).strip();
        if (!text.isEmpty()) {
            process(text, where, 0, out);
        }
    }

    /** The end of a file also ends a multi-line definition left open by a trailing backslash. */
    void endOfFile() {
        close();
    }

    private void continueDefinition(String raw) {
        if (raw.isBlank()) { // keepalived: a blank line ends the definition
            close();
            return;
        }
        String text = Lexer.withoutComment(raw).stripTrailing();
        if (text.isBlank()) { // a comment line does not
            return;
        }
        if (text.endsWith("\\")) {
            String part = text.substring(0, text.length() - 1).stripTrailing();
            if (!part.isBlank()) {
                open.lines.add(part);
            }
        } else {
            open.lines.add(text);
            close();
        }
    }

    private void close() {
        if (open != null && open.lines.isEmpty()) {
            open.lines.add("");
            open.multiline = false;
        }
        open = null;
    }

    private void process(String text, SourceLocation where, int depth, Consumer<String> out) {
        if (depth > MAX_DEPTH) {
            diagnostics.error(where, "parameter substitution nests more than " + MAX_DEPTH
                    + " levels deep; does a parameter refer to itself? (" + text + ")");
            return;
        }
        if (text.charAt(0) == '@') {
            text = conditional(text, where);
            if (text == null) {
                return;
            }
        }
        if (text.charAt(0) == '$') {
            Matcher m = DEFINITION.matcher(text);
            if (m.matches()) {
                define(m.group(1), m.group(2).strip());
                return;
            }
        }
        if (text.startsWith("~SEQ") || text.startsWith("~LST")) {
            repeat(text, where, depth, out);
            return;
        }
        if (text.charAt(0) != '~' && text.indexOf('$') >= 0) {
            List<String> expanded = substitute(text, where);
            if (expanded != null && expanded.stream().anyMatch(l -> l.length() > MAX_LINE_CHARS)) {
                diagnostics.error(where, "parameter substitution makes a line longer than " + MAX_LINE_CHARS
                        + " characters; does a parameter refer to itself?");
                return;
            }
            if (expanded != null) {
                for (String line : expanded) {
                    String again = Lexer.withoutComment(line).strip();
                    if (!again.isEmpty()) {
                        process(again, where, depth + 1, out);
                    }
                }
                return;
            }
            reportUndefined(text, where);
        }
        if (++produced > MAX_LINES) {
            if (!tooMany) {
                tooMany = true;
                diagnostics.error(where, "~SEQ/~LST and parameter substitution produce more than " + MAX_LINES + " lines");
            }
            return;
        }
        out.accept(text);
    }

    /** The line without its {@code @ID} or {@code @^ID}, or {@code null} when it is not for this config id. */
    private String conditional(String text, SourceLocation where) {
        boolean negated = text.length() > 1 && text.charAt(1) == '^';
        int start = negated ? 2 : 1;
        int blank = start;
        while (blank < text.length() && text.charAt(blank) != ' ' && text.charAt(blank) != '\t') {
            blank++;
        }
        if (blank == text.length()) {
            diagnostics.warn(where, "@", "conditional line " + text + " has nothing after its config id;"
                    + " ignored (keepalived ignores it too)");
            return null;
        }
        boolean matches = text.substring(start, blank).equals(configId);
        return matches != negated ? text.substring(blank).strip() : null;
    }

    private void define(String name, String value) {
        Definition definition = new Definition();
        definitions.put(name, definition);
        if (value.endsWith("\\")) {
            definition.multiline = true;
            String first = value.substring(0, value.length() - 1).stripTrailing();
            if (!first.isEmpty()) {
                definition.lines.add(first);
            }
            open = definition;
        } else {
            definition.lines.add(value);
        }
    }

    private void setValue(String name, String value) {
        Definition definition = new Definition();
        definition.lines.add(value);
        definitions.put(name, definition);
    }

    /** A reference: {@code $NAME} or {@code ${NAME}} (with optional words before the brace, for predefined ones). */
    private record Reference(String name, boolean braces, String params, int end) {}

    private static Reference reference(String text, int dollar) {
        int i = dollar + 1;
        boolean braces = i < text.length() && text.charAt(i) == '{';
        if (braces) {
            i++;
        }
        int nameStart = i;
        if (i >= text.length() || !(isLetter(text.charAt(i)) || text.charAt(i) == '_')) {
            return null;
        }
        while (i < text.length() && isWord(text.charAt(i))) {
            i++;
        }
        String name = text.substring(nameStart, i);
        if (braces) {
            int close = text.indexOf('}', i);
            if (close < 0) {
                return null;
            }
            String params = text.substring(i, close);
            if (!params.isEmpty() && (!params.matches("[ \\t][ \\tA-Za-z0-9_]*") || params.endsWith(" ") || params.endsWith("\t"))) {
                return null;
            }
            return new Reference(name, true, params.strip(), close + 1);
        }
        if (i < text.length() && " \t,)".indexOf(text.charAt(i)) < 0) {
            return null;
        }
        return new Reference(name, false, "", i);
    }

    private static boolean isLetter(char c) {
        return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
    }

    private static boolean isWord(char c) {
        return isLetter(c) || (c >= '0' && c <= '9') || c == '_';
    }

    /** The text with every defined reference replaced, as lines; {@code null} if nothing was replaced. */
    private List<String> substitute(String text, SourceLocation where) {
        StringBuilder first = new StringBuilder();
        List<String> lines = new ArrayList<>();
        boolean replaced = false;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            Reference ref = c == '$' ? reference(text, i) : null;
            Definition definition = ref == null ? null : lookup(ref, where);
            // a multi-line value can only stand at the end of a line (keepalived does not find it elsewhere)
            if (definition == null || (definition.multiline && ref.end() != text.length())) {
                first.append(c);
                i++;
                continue;
            }
            replaced = true;
            first.append(definition.lines.isEmpty() ? "" : definition.lines.getFirst());
            if (definition.lines.size() > 1) {
                lines.addAll(definition.lines.subList(1, definition.lines.size()));
            }
            i = ref.end();
        }
        if (!replaced) {
            return null;
        }
        lines.addFirst(first.toString());
        return lines;
    }

    private Definition lookup(Reference ref, SourceLocation where) {
        Definition definition = definitions.get(ref.name());
        if (definition != null) {
            return ref.params().isEmpty() ? definition : null;
        }
        String value = switch (ref.name()) {
            case "_PWD" -> {
                java.nio.file.Path dir = where.file().toAbsolutePath().getParent();
                yield dir == null ? "/" : dir.toString();
            }
            case "_INSTANCE" -> configId == null ? "" : configId;
            case "_HASH" -> "#";
            case "_BANG" -> "!";
            default -> null;
        };
        if (value == null || !ref.params().isEmpty()) {
            return null;
        }
        Definition builtIn = new Definition();
        builtIn.lines.add(value);
        return builtIn;
    }

    /** Undefined references that are left as written (keepalived leaves them too), outside quotes. */
    private void reportUndefined(String text, SourceLocation where) {
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            }
            Reference ref = c == '$' && !quoted ? reference(text, i) : null;
            if (ref == null) {
                continue;
            }
            Definition definition = definitions.get(ref.name());
            String written = text.substring(i, ref.end());
            if (!reported.add(where + " " + written)) {
                continue;
            }
            if (ref.name().equals("_RANDOM")) {
                diagnostics.error(where, written + " is not supported by vrrp4j: a configuration reads the same every"
                        + " time; write the number");
            } else if (definition != null && definition.multiline) {
                diagnostics.error(where, "$" + ref.name() + " is a multi-line parameter and can only be used at the end"
                        + " of a line (keepalived leaves it as written)");
            } else if (ref.braces()) {
                // left as written, its braces would open and close blocks
                diagnostics.error(where, written + " is not defined (define it with $" + ref.name() + "=VALUE before"
                        + " this line" + nearDefinition(ref.name()) + ")");
            } else {
                diagnostics.warn(where, "$", "$" + ref.name() + " is not defined; left as written, as keepalived does"
                        + " (define it with $" + ref.name() + "=VALUE before this line" + nearDefinition(ref.name()) + ")");
            }
        }
    }

    private String nearDefinition(String name) {
        String near = Spelling.closest(name, definitions.keySet());
        return near != null ? "; did you mean $" + near + "?" : "";
    }

    /** {@code ~SEQ(...)}, {@code ~SEQx(...)}, {@code ~LST(...)}: the rest of the line once per value. */
    private void repeat(String text, SourceLocation where, int depth, Consumer<String> out) {
        boolean list = text.startsWith("~LST");
        boolean hex = !list && text.startsWith("~SEQx");
        String kind = list ? "~LST" : hex ? "~SEQx" : "~SEQ";
        int open = kind.length();
        while (open < text.length() && (text.charAt(open) == ' ' || text.charAt(open) == '\t')) {
            open++;
        }
        int close = text.indexOf(')', open);
        if (open >= text.length() || text.charAt(open) != '(' || close < 0) {
            diagnostics.error(where, "invalid " + kind + " specification '" + text + "': expected "
                    + (list ? "~LST(var, value, ...)" : kind + "(var, start, step, end)") + " and the line to repeat");
            return;
        }
        String spec = text.substring(open + 1, close);
        List<String> rest = substitute(spec, where);
        if (rest != null) {
            spec = rest.getFirst();
        }
        String body = text.substring(close + 1).strip();
        List<List<String>> assignments = new ArrayList<>();
        List<String> vars;
        String problem;
        if (list) {
            vars = new ArrayList<>();
            problem = listValues(spec, vars, assignments);
        } else {
            vars = new ArrayList<>();
            problem = sequenceValues(spec, hex, vars, assignments);
        }
        if (problem != null) {
            diagnostics.error(where, "invalid " + kind + " specification '" + kind + "(" + spec + ")': " + problem);
            return;
        }
        for (List<String> values : assignments) {
            for (int v = 0; v < vars.size(); v++) {
                setValue(vars.get(v), values.get(v));
            }
            if (!body.isEmpty()) {
                process(body, where, depth + 1, out);
            }
            if (tooMany) {
                return;
            }
        }
    }

    /** Fills {@code vars} and one value list per repetition; returns what is wrong, or {@code null}. */
    private static String sequenceValues(String spec, boolean hex, List<String> vars, List<List<String>> assignments) {
        String[] parts = spec.split(",", -1);
        String var = parts[0].strip();
        if (!var.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            return "'" + var + "' is not a variable name";
        }
        if (parts.length < 2 || parts.length > 4) {
            return "expected 1 to 3 numbers after the variable (end; start, end; or start, step, end)";
        }
        long[] n = new long[parts.length - 1];
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i].strip();
            if (!NUMBER.matcher(p).matches()) {
                return "'" + p + "' is not an integer";
            }
            try {
                n[i - 1] = parseC(p);
            } catch (NumberFormatException e) {
                return "'" + p + "' is out of range";
            }
        }
        long start;
        long step;
        long end;
        switch (n.length) {
            case 1 -> {
                end = n[0];
                step = end < 1 ? -1 : 1;
                start = end < 0 ? -1 : 1;
            }
            case 2 -> {
                start = n[0];
                end = n[1];
                step = start <= end ? 1 : -1;
            }
            default -> {
                start = n[0];
                step = n[1];
                end = n[2];
                if (step == 0) {
                    return "step 0 never reaches " + end;
                }
                if ((start < end && step < 0) || (start > end && step > 0)) {
                    return "step " + step + " goes from " + start + " away from " + end;
                }
            }
        }
        if (hex && (start < 0 || end < 0)) {
            return "~SEQx takes non-negative numbers only";
        }
        long count = (Math.abs(end - start) / Math.abs(step)) + 1;
        if (count > MAX_VALUES) {
            return count + " values; at most " + MAX_VALUES;
        }
        vars.add(var);
        for (long v = start, i = 0; i < count; v += step, i++) {
            assignments.add(List.of(hex ? Long.toHexString(v) : Long.toString(v)));
        }
        return null;
    }

    /** strtol(text, NULL, 0): decimal, 0x hexadecimal or 0 octal. */
    private static long parseC(String text) {
        boolean negative = text.startsWith("-");
        String digits = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
        long v;
        if (digits.toLowerCase(Locale.ROOT).startsWith("0x")) {
            v = Long.parseLong(digits.substring(2), 16);
        } else if (digits.length() > 1 && digits.startsWith("0")) {
            v = Long.parseLong(digits.substring(1), 8);
        } else {
            v = Long.parseLong(digits);
        }
        return negative ? -v : v;
    }

    /** {@code var, v1, v2...} or {@code {a, b}, {1, 2}, {3, 4}}. */
    private static String listValues(String spec, List<String> vars, List<List<String>> assignments) {
        List<String> items = new ArrayList<>();
        int depth = 0;
        int from = 0;
        for (int i = 0; i < spec.length(); i++) {
            char c = spec.charAt(i);
            if (c == '{') {
                depth++;
            } else if (c == '}') {
                depth--;
            } else if (c == ',' && depth == 0) {
                items.add(spec.substring(from, i).strip());
                from = i + 1;
            }
        }
        items.add(spec.substring(from).strip());
        if (depth != 0) {
            return "unbalanced { }";
        }
        if (items.size() < 2) {
            return "expected a variable and at least one value";
        }
        for (String var : braced(items.getFirst())) {
            if (!var.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                return "'" + var + "' is not a variable name";
            }
            vars.add(var);
        }
        boolean grouped = items.getFirst().startsWith("{");
        if (items.size() - 1 > MAX_VALUES) {
            return (items.size() - 1) + " values; at most " + MAX_VALUES;
        }
        for (String item : items.subList(1, items.size())) {
            List<String> values = grouped ? braced(item) : List.of(item);
            if (grouped && !item.startsWith("{") || values.size() != vars.size()) {
                return "'" + item + "' does not give " + vars.size() + " value(s) for " + String.join(", ", vars);
            }
            assignments.add(values);
        }
        return null;
    }

    private static List<String> braced(String item) {
        if (!item.startsWith("{") || !item.endsWith("}")) {
            return List.of(item);
        }
        List<String> words = new ArrayList<>();
        for (String w : item.substring(1, item.length() - 1).split(",", -1)) {
            words.add(w.strip());
        }
        return words;
    }
}
