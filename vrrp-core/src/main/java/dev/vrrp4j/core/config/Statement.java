package dev.vrrp4j.core.config;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * One configuration statement: a keyword, the words after it on its line, and the statements of
 * its {@code { ... }} block if it has one. The same shape holds the lines inside value blocks
 * ({@code virtual_ipaddress}, {@code track_script}...): there the "keyword" is the first word.
 */
final class Statement {
    private final Token keyword;
    private final List<Token> args = new ArrayList<>();
    private List<Statement> block;

    private Statement(Token keyword) {
        this.keyword = keyword;
    }

    String name() {
        return keyword.text();
    }

    Token keyword() {
        return keyword;
    }

    SourceLocation where() {
        return keyword.where();
    }

    List<Token> args() {
        return args;
    }

    boolean hasBlock() {
        return block != null;
    }

    /** The block's statements; empty when there is no block. */
    List<Statement> block() {
        return block == null ? List.of() : block;
    }

    /** The keyword and its words, as written (without the block). */
    String text() {
        return Stream.concat(Stream.of(keyword), args.stream()).map(Token::text).collect(Collectors.joining(" "));
    }

    /** All words of the block, line after line (for blocks that are plain lists, like {@code group}). */
    List<Token> blockWords() {
        List<Token> words = new ArrayList<>();
        for (Statement s : block()) {
            words.add(s.keyword);
            words.addAll(s.args);
            words.addAll(s.blockWords());
        }
        return words;
    }

    /**
     * Builds the statement tree. A <code>&#123;</code> opens a block for the statement on its line, or, at the
     * start of a line, for the previous statement (keepalived accepts the brace on the next line).
     * Unbalanced braces are errors; the tree is still returned so that later checks can run.
     */
    static List<Statement> parse(List<Lexer.Line> lines, Diagnostics diagnostics) {
        List<Statement> top = new ArrayList<>();
        Deque<Statement> open = new ArrayDeque<>();
        for (Lexer.Line line : lines) {
            Statement current = null;
            for (Token token : line.tokens()) {
                List<Statement> container = open.isEmpty() ? top : open.peek().block;
                if (token.isOpen()) {
                    Statement owner = current;
                    if (owner == null && !container.isEmpty() && container.getLast().block == null) {
                        owner = container.getLast();
                    }
                    if (owner == null) {
                        diagnostics.error(token.where(), "'{' without a keyword before it");
                        owner = new Statement(token);
                    }
                    owner.block = new ArrayList<>();
                    open.push(owner);
                    current = null;
                } else if (token.isClose()) {
                    if (open.isEmpty()) {
                        diagnostics.error(token.where(), "'}' without a matching '{'");
                    } else {
                        open.pop();
                    }
                    current = null;
                } else if (current == null) {
                    current = new Statement(token);
                    container.add(current);
                } else {
                    current.args.add(token);
                }
            }
        }
        for (Statement unclosed : open.reversed()) {
            diagnostics.error(unclosed.where(), "'{' of '" + unclosed.text() + "' is never closed");
        }
        return top;
    }
}
