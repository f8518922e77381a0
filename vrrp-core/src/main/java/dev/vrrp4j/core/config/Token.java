package dev.vrrp4j.core.config;

/** A word of a configuration line and where it was written. */
record Token(String text, boolean quoted, SourceLocation where) {
    boolean isOpen() {
        return !quoted && text.equals("{");
    }

    boolean isClose() {
        return !quoted && text.equals("}");
    }
}
