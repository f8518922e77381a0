package dev.vrrp4j.core.config;

import dev.vrrp4j.core.router.VirtualAddress;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the words of a statement as keepalived's value types (integers in a range, seconds,
 * booleans, addresses, commands) and checks its shape (a value or none, a block or none, given
 * once). Each method reports what is wrong to the {@link Diagnostics}, naming the keyword, the value
 * and what is allowed, and returns {@code null} or {@code false}; the caller then leaves its setting
 * unchanged.
 */
final class Values {
    /** UINT_MAX / TIMER_HZ: keepalived's largest whole-second timer value. */
    static final long MAX_TIMER_SECONDS = 4294;
    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("\\d+(\\.\\d*)?|\\.\\d+");
    /** Four decimal numbers 0..255 without leading zeros: what inet_pton(AF_INET) accepts, and so keepalived. */
    private static final Pattern DOTTED_QUAD = Pattern.compile("(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}"
            + "(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
    /** What looks like an attempt at a numeric IPv4 address: short (10.1), octal (010.0.0.1) or hex (0xc0.0.2.1) forms. */
    private static final Pattern NUMERIC_IPV4 = Pattern.compile("\\d[\\dA-Fa-fXx.]*");

    private final Diagnostics diagnostics;

    Values(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
    }

    /** Records the keyword's first occurrence in {@code seen}; a second one is an error. */
    boolean once(Map<String, SourceLocation> seen, Statement line, String owner) {
        SourceLocation first = seen.putIfAbsent(line.name(), line.where());
        if (first != null) {
            diagnostics.error(line.where(), line.name() + " is given twice in " + owner + " (first at " + first + ")");
            return false;
        }
        return true;
    }

    boolean noBlock(Statement line) {
        if (line.hasBlock()) {
            diagnostics.error(line.where(), line.name() + " does not take a { } block");
            return false;
        }
        return true;
    }

    /** A block statement with {@code words} words before the brace. */
    boolean block(Statement line, int words) {
        if (!line.hasBlock()) {
            diagnostics.error(line.where(), line.name() + " needs a { ... } block");
            return false;
        }
        if (line.args().size() != words) {
            diagnostics.error(line.where(), words == 0 ? line.name() + " takes no value before '{', got '" + joined(line.args()) + "'"
                    : line.name() + " needs " + words + " name before '{'" + (line.args().isEmpty() ? "" : ", got '" + joined(line.args()) + "'"));
            return false;
        }
        return true;
    }

    /** The name of a named block ({@code vrrp_instance VI_1 {}), or {@code null}. */
    String blockName(Statement s) {
        return block(s, 1) ? s.args().getFirst().text() : null;
    }

    boolean args(Statement line, int min, int max) {
        int n = line.args().size();
        if (n < min) {
            diagnostics.error(line.where(), line.name() + " needs a value");
            return false;
        }
        if (n > max) {
            diagnostics.error(line.where(), line.name() + " takes " + (max == 1 ? "one value" : "at most " + max + " values")
                    + ", got '" + joined(line.args()) + "'");
            return false;
        }
        return true;
    }

    /** A flag: the keyword alone. */
    boolean noArgs(Statement line) {
        if (!noBlock(line)) {
            return false;
        }
        if (!line.args().isEmpty()) {
            diagnostics.error(line.where(), line.name() + " takes no value, got '" + joined(line.args()) + "'");
            return false;
        }
        return true;
    }

    String oneArg(Statement line) {
        return noBlock(line) && args(line, 1, 1) ? line.args().getFirst().text() : null;
    }

    Long integerArg(Statement line, long min, long max) {
        String v = oneArg(line);
        return v == null ? null : integer(line, line.name(), v, min, max);
    }

    /** {@link #integerArg}, and the keyword's first occurrence in {@code seen}. */
    Long integerArgOnce(Statement line, long min, long max, Map<String, SourceLocation> seen, String owner) {
        Long v = integerArg(line, min, max);
        return v != null && once(seen, line, owner) ? v : null;
    }

    /** An integer in min..max; the error names {@code what}, the value and the range. */
    Long integer(Statement line, String what, String text, long min, long max) {
        if (!INTEGER.matcher(text).matches()) {
            diagnostics.error(line.where(), what + " '" + text + "' is not an integer");
            return null;
        }
        BigInteger v = new BigInteger(text.startsWith("+") ? text.substring(1) : text);
        if (v.compareTo(BigInteger.valueOf(min)) < 0 || v.compareTo(BigInteger.valueOf(max)) > 0) {
            diagnostics.error(line.where(), what + " " + text + " out of range " + min + ".." + max);
            return null;
        }
        return v.longValueExact();
    }

    /** A decimal number of seconds up to {@code maxMillis}, as whole milliseconds. */
    Long millisArg(Statement line, long maxMillis) {
        return secondsArg(line, 3, maxMillis, "milliseconds");
    }

    /** A decimal number of seconds up to {@code maxMicros}, as whole microseconds (keepalived's timer resolution). */
    Long microsArg(Statement line, long maxMicros) {
        return secondsArg(line, 6, maxMicros, "microseconds");
    }

    /** A decimal number of seconds in units of 10^-{@code digits} s, at most {@code max} of them. */
    private Long secondsArg(Statement line, int digits, long max, String unit) {
        String text = oneArg(line);
        if (text == null) {
            return null;
        }
        BigDecimal seconds = decimal(text);
        if (seconds == null) {
            diagnostics.error(line.where(), line.name() + " '" + text + "' is not a number of seconds");
            return null;
        }
        BigDecimal units = seconds.movePointRight(digits);
        if (units.compareTo(BigDecimal.valueOf(max)) > 0) {
            diagnostics.error(line.where(), line.name() + " " + text + " out of range 0.."
                    + BigDecimal.valueOf(max).movePointLeft(digits).stripTrailingZeros().toPlainString());
            return null;
        }
        if (units.stripTrailingZeros().scale() > 0) {
            diagnostics.error(line.where(), line.name() + " " + text + " is not a whole number of " + unit);
            return null;
        }
        return units.longValueExact();
    }

    /** An unsigned decimal as keepalived writes seconds ({@code 1}, {@code 0.5}, {@code .5}, {@code 2.}), or {@code null}. */
    static BigDecimal decimal(String text) {
        if (!DECIMAL.matcher(text).matches()) {
            return null;
        }
        return new BigDecimal(text.endsWith(".") ? text + "0" : text);
    }

    /** keepalived's {@code <BOOL>}: on|off|true|false|yes|no; the keyword alone means true. */
    Boolean optionalBool(Statement line) {
        if (!noBlock(line) || !args(line, 0, 1)) {
            return null;
        }
        if (line.args().isEmpty()) {
            return true;
        }
        String v = line.args().getFirst().text();
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "on", "true", "yes" -> true;
            case "off", "false", "no" -> false;
            default -> {
                diagnostics.error(line.where(), line.name() + " '" + v + "' is not one of on, off, true, false, yes, no");
                yield null;
            }
        };
    }

    /**
     * The one way the parser reads an address: an IPv6 literal, or an IPv4 address as four dotted
     * decimal numbers. {@link InetAddress} also takes the BSD short forms ({@code 192.168.4} is
     * 192.168.0.4, {@code 10} is 0.0.0.10), which keepalived refuses (it uses inet_pton); reading them
     * would install an address the operator did not mean. No name lookups.
     *
     * @throws IllegalArgumentException naming the text and what is allowed
     */
    static InetAddress address(String text) {
        if (text.indexOf(':') < 0 && !DOTTED_QUAD.matcher(text).matches() && NUMERIC_IPV4.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address in dotted-quad form (four decimal"
                    + " numbers 0..255 without leading zeros, such as 192.0.2.1); keepalived refuses it too");
        }
        return VirtualAddress.parseLiteral(text);
    }

    /** An IPv4 or IPv6 address literal ({@link #address}); the error names {@code what} and the value. */
    InetAddress literal(Statement line, String what, String text) {
        if (text == null) {
            return null;
        }
        try {
            return address(text);
        } catch (IllegalArgumentException e) {
            diagnostics.error(line.where(), what + " " + text + ": " + e.getMessage());
            return null;
        }
    }

    /** A command, split into its argument vector as keepalived 2.x does (no shell); {@code null} if malformed or empty. */
    List<String> argv(Statement line, String command) {
        int errorsBefore = diagnostics.errorCount();
        List<String> argv = Words.split(command, false, problem -> diagnostics.error(line.where(), line.name() + ": " + problem))
                .stream().map(Words.Word::text).toList();
        if (diagnostics.errorCount() > errorsBefore) {
            return null;
        }
        if (argv.isEmpty() || argv.getFirst().isEmpty()) {
            diagnostics.error(line.where(), line.name() + " is empty");
            return null;
        }
        return argv;
    }

    /** {@code reverse} inverts the meaning of a check; ignoring it would invert the behaviour, so it is an error. */
    boolean notReverse(Statement line, Token word, String what) {
        switch (word.text()) {
            case "noreverse", "no_reverse" -> {
                return true;
            }
            case "reverse" -> {
                diagnostics.error(line.where(), what + ": reverse is not supported by vrrp4j");
                return false;
            }
            default -> {
                diagnostics.error(line.where(), what + ": unexpected '" + word.text() + "'");
                return false;
            }
        }
    }

    static boolean isIpv6(String literal) {
        return literal.indexOf(':') >= 0;
    }

    static String family(boolean ipv6) {
        return ipv6 ? "IPv6" : "IPv4";
    }

    static String joined(List<Token> tokens) {
        return tokens.stream().map(Token::text).collect(Collectors.joining(" "));
    }
}
