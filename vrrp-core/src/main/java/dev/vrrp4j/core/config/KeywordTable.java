package dev.vrrp4j.core.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The keywords of one block of keepalived.conf, each declared once with what vrrp4j does with it:
 * {@linkplain Support#SUPPORTED reads it} (a handler on the block), {@linkplain Support#IGNORED
 * accepts and ignores it} with a warning that says why, or {@linkplain Support#REFUSED refuses it}
 * with an error that says what to write instead. A keyword the table does not know is handled the
 * same way in every block: an error when it is likely a misspelling of a supported keyword (ignoring
 * it would silently change the router), an error when it is a top-level block (a '}' is probably
 * missing), otherwise a warning.
 *
 * <p>Adding a keyword is one line here and, when vrrp4j implements it, one handler method:
 * <pre>{@code
 * .supported("garp_master_delay", VrrpInstanceBlock::garpMasterDelay)
 * .ignored(IgnoredBecause.TUNING, "garp_lower_prio_delay")
 * }</pre>
 *
 * @param <B> the block being read; handlers are its methods
 */
final class KeywordTable<B> {
    /** What vrrp4j does with a keyword keepalived defines. */
    enum Support {
        /** Read by its handler. */
        SUPPORTED,
        /** Accepted with a warning (once per keyword) that says why it has no effect. */
        IGNORED,
        /** An error: running without the keyword's effect would not do what the file says. */
        REFUSED
    }

    /** Reads one statement into the block. */
    @FunctionalInterface
    interface Handler<B> {
        void read(B block, Statement statement);
    }

    /**
     * One keyword.
     *
     * @param explanation    why it is ignored ({@code IGNORED}) or what to do instead ({@code REFUSED});
     *                       {@code null} when supported
     * @param handler        reads it; {@code null} unless supported
     * @param onlyAtTopLevel a block keepalived reads only at the top level, so that meeting it inside a
     *                       block means a '}' is missing
     */
    record Keyword<B>(String name, Support support, String explanation, Handler<B> handler, boolean onlyAtTopLevel) {}

    private final String blockName;
    private final KeywordTable<?> topLevel;
    private final boolean unknownIsError;
    private final Map<String, Keyword<B>> keywords = new LinkedHashMap<>();
    private final List<String> lexerKeywords = new ArrayList<>();

    private KeywordTable(String blockName, KeywordTable<?> topLevel, boolean unknownIsError) {
        this.blockName = blockName;
        this.topLevel = topLevel;
        this.unknownIsError = unknownIsError;
    }

    /** The keywords of the file itself. */
    static <B> KeywordTable<B> topLevel() {
        return new KeywordTable<>("the top level", null, false);
    }

    /** A block whose unknown keywords are reported as described above. */
    static <B> KeywordTable<B> block(String blockName, KeywordTable<?> topLevel) {
        return new KeywordTable<>(blockName, topLevel, false);
    }

    /** A small block whose every unknown keyword is an error listing the supported ones. */
    static <B> KeywordTable<B> closedBlock(String blockName) {
        return new KeywordTable<>(blockName, null, true);
    }

    KeywordTable<B> supported(String name, Handler<B> handler) {
        return declare(new Keyword<>(name, Support.SUPPORTED, null, handler, false));
    }

    /** Keywords that mean the same thing to keepalived, or share one reader. */
    KeywordTable<B> supported(List<String> names, Handler<B> handler) {
        names.forEach(name -> supported(name, handler));
        return this;
    }

    /** A supported block that belongs at the top level only. */
    KeywordTable<B> supportedTopLevelBlock(String name, Handler<B> handler) {
        return declare(new Keyword<>(name, Support.SUPPORTED, null, handler, true));
    }

    KeywordTable<B> ignored(String reason, String... names) {
        for (String name : names) {
            declare(new Keyword<>(name, Support.IGNORED, reason, null, false));
        }
        return this;
    }

    /** Ignored blocks that belong at the top level only. */
    KeywordTable<B> ignoredTopLevelBlocks(String reason, String... names) {
        for (String name : names) {
            declare(new Keyword<>(name, Support.IGNORED, reason, null, true));
        }
        return this;
    }

    /** @param fix what to write instead, as the end of the error's sentence */
    KeywordTable<B> refused(String fix, String... names) {
        for (String name : names) {
            declare(new Keyword<>(name, Support.REFUSED, fix, null, false));
        }
        return this;
    }

    /**
     * A keyword the {@link Lexer} handles before statements are built (so it never reaches a
     * handler), listed so that a misspelling of it is suggested like any other.
     */
    KeywordTable<B> readByLexer(String name) {
        lexerKeywords.add(name);
        return this;
    }

    private KeywordTable<B> declare(Keyword<B> keyword) {
        if (keywords.putIfAbsent(keyword.name(), keyword) != null) {
            throw new IllegalStateException(blockName + ": keyword " + keyword.name() + " is declared twice");
        }
        return this;
    }

    Optional<Keyword<B>> keyword(String name) {
        return Optional.ofNullable(keywords.get(name));
    }

    /** The declared keywords, in declaration order. */
    List<Keyword<B>> keywords() {
        return List.copyOf(keywords.values());
    }

    /** The names vrrp4j reads here (the candidates for a misspelling), in declaration order. */
    List<String> supportedNames() {
        List<String> names = new ArrayList<>();
        keywords.values().stream().filter(k -> k.support() == Support.SUPPORTED).forEach(k -> names.add(k.name()));
        names.addAll(lexerKeywords);
        return names;
    }

    /**
     * Reads {@code statement} into {@code block}, or reports it.
     *
     * @param owner the block as the messages name it ({@code vrrp_instance VI_1})
     */
    void read(B block, Statement statement, String owner, Diagnostics diagnostics) {
        String name = statement.name();
        Keyword<B> keyword = keywords.get(name);
        if (keyword == null) {
            unknown(statement, owner, diagnostics);
            return;
        }
        switch (keyword.support()) {
            case SUPPORTED -> keyword.handler().read(block, statement);
            case IGNORED -> diagnostics.warnOnce(statement.where(), name, name + " is not supported by vrrp4j ("
                    + keyword.explanation() + "); " + (statement.hasBlock() ? "the block is ignored" : "ignored"));
            case REFUSED -> diagnostics.error(statement.where(), name + " is not supported by vrrp4j; "
                    + keyword.explanation());
        }
    }

    private void unknown(Statement statement, String owner, Diagnostics diagnostics) {
        String name = statement.name();
        if (unknownIsError) {
            diagnostics.error(statement.where(), "unknown keyword '" + name + "' in " + owner + "; expected "
                    + alternatives(supportedNames()));
            return;
        }
        if (topLevel != null && topLevel.keyword(name).map(Keyword::onlyAtTopLevel).orElse(false)) {
            diagnostics.error(statement.where(), name + " inside " + owner + ": is a '}' missing before this line?");
            return;
        }
        String near = Spelling.closest(name, supportedNames());
        if (near != null) {
            diagnostics.error(statement.where(), "unknown keyword '" + name + "' in " + owner + "; did you mean '"
                    + near + "'?");
            return;
        }
        diagnostics.warnOnce(statement.where(), name, "unknown keyword '" + name + "' in " + owner + "; ignored");
    }

    /** {@code a}, {@code a or b}, {@code a, b or c}. */
    private static String alternatives(List<String> names) {
        if (names.size() <= 1) {
            return String.join("", names);
        }
        return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.getLast();
    }

    @Override
    public String toString() {
        return "keywords of " + blockName;
    }
}
