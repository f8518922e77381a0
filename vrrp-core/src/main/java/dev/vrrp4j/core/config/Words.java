package dev.vrrp4j.core.config;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Splits text into words the way keepalived's quoted/escaped reader does (keepalived.conf(5),
 * "Quoted strings"): whitespace separates words; {@code "} and {@code '} quote (the quotes are
 * removed and the whitespace inside kept, so {@code ab" c "d} is the one word {@code ab c d});
 * backslash escapes work inside and outside quotes ({@code \n \t \\ \" \x41 \101 \cA} and so on).
 *
 * <p>Reading a configuration line additionally ends the line at an unquoted {@code #} or {@code !}
 * and makes each unquoted brace a word of its own, so <code>VI_1&#123;</code> and
 * {@code {192.0.2.1}} work as they do in keepalived.
 */
final class Words {
    /** A word; {@code quoted} when any part of it was quoted (a quoted {@code "{"} is text, not a brace). */
    record Word(String text, boolean quoted) {}

    private Words() {
    }

    /**
     * Splits {@code text}.
     *
     * @param configLine treat {@code # ! { }} as described above
     * @param problem    receives a description of an unterminated quote; the words read so far are
     *                   still returned
     */
    static List<Word> split(String text, boolean configLine, Consumer<String> problem) {
        List<Word> words = new ArrayList<>();
        StringBuilder word = null;
        boolean quoted = false;
        char quote = 0;
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                    i++;
                } else if (c == '\\') {
                    i = escape(text, i, word);
                } else {
                    word.append(c);
                    i++;
                }
                continue;
            }
            if (Character.isWhitespace(c)) {
                if (word != null) {
                    words.add(new Word(word.toString(), quoted));
                    word = null;
                    quoted = false;
                }
                i++;
            } else if (configLine && (c == '#' || c == '!')) {
                break;
            } else if (configLine && (c == '{' || c == '}')) {
                if (word != null) {
                    words.add(new Word(word.toString(), quoted));
                    word = null;
                    quoted = false;
                }
                words.add(new Word(String.valueOf(c), false));
                i++;
            } else {
                if (word == null) {
                    word = new StringBuilder();
                }
                if (c == '"' || c == '\'') {
                    quote = c;
                    quoted = true;
                    i++;
                } else if (c == '\\') {
                    i = escape(text, i, word);
                } else {
                    word.append(c);
                    i++;
                }
            }
        }
        if (quote != 0) {
            problem.accept("missing closing " + quote + " in " + text.strip());
        }
        if (word != null) {
            words.add(new Word(word.toString(), quoted));
        }
        return words;
    }

    /** Appends the character(s) the escape at {@code text[at] == '\\'} stands for; returns the next index. */
    private static int escape(String text, int at, StringBuilder out) {
        int n = text.length();
        if (at + 1 >= n) {
            out.append('\\');
            return n;
        }
        char c = text.charAt(at + 1);
        int next = at + 2;
        switch (c) {
            case 'a' -> out.append('\u0007');
            case 'b' -> out.append('\b');
            case 'E' -> out.append('\u001b');
            case 'f' -> out.append('\f');
            case 'n' -> out.append('\n');
            case 'r' -> out.append('\r');
            case 't' -> out.append('\t');
            case 'v' -> out.append('\u000b');
            case 'x' -> {
                int end = next;
                while (end < n && end < next + 2 && Character.digit(text.charAt(end), 16) >= 0) {
                    end++;
                }
                if (end == next) {
                    out.append('x');
                } else {
                    out.append((char) Integer.parseInt(text.substring(next, end), 16));
                    next = end;
                }
            }
            case 'c' -> {
                if (next < n) {
                    out.append((char) (Character.toUpperCase(text.charAt(next)) & 0x1f));
                    next++;
                } else {
                    out.append('c');
                }
            }
            default -> {
                if (c >= '0' && c <= '7') {
                    int end = at + 1;
                    while (end < n && end < at + 4 && text.charAt(end) >= '0' && text.charAt(end) <= '7') {
                        end++;
                    }
                    out.append((char) Integer.parseInt(text.substring(at + 1, end), 8));
                    next = end;
                } else {
                    out.append(c);
                }
            }
        }
        return next;
    }
}
