package dev.vrrp4j.core.config;

import dev.vrrp4j.core.router.RouterConfig;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * An instance's {@code authentication { auth_type PASS|AH  auth_pass <password> }} block. Whether
 * it applies depends on the instance's VRRP version, known only once the whole instance is read,
 * so the block is kept as written and turned into a password by {@link #password}.
 */
final class AuthenticationBlock {
    static final KeywordTable<AuthenticationBlock> KEYWORDS = KeywordTable.<AuthenticationBlock>closedBlock("authentication")
            .supported("auth_type", AuthenticationBlock::authType)
            .supported("auth_pass", AuthenticationBlock::authPass);

    private final String instanceOwner;
    private final String owner;
    private final Diagnostics diagnostics;
    private final Values values;
    private final Map<String, SourceLocation> seen = new HashMap<>();
    private SourceLocation where;
    private Token type;
    private Token pass;

    /** @param instanceOwner the instance, as the messages name it ({@code vrrp_instance VI_1}) */
    AuthenticationBlock(String instanceOwner, Diagnostics diagnostics) {
        this.instanceOwner = instanceOwner;
        this.owner = "authentication in " + instanceOwner;
        this.diagnostics = diagnostics;
        this.values = new Values(diagnostics);
    }

    /** Reads the block (the instance allows one). */
    void read(Statement s) {
        where = s.where();
        for (Statement line : s.block()) {
            KEYWORDS.read(this, line, owner, diagnostics);
        }
    }

    private void authType(Statement line) {
        if (values.oneArg(line) != null && values.once(seen, line, owner)) {
            type = line.args().getFirst();
        }
    }

    private void authPass(Statement line) {
        if (values.oneArg(line) != null && values.once(seen, line, owner)) {
            pass = line.args().getFirst();
        }
    }

    /**
     * The VRRPv2 password of the instance, or "" for none. keepalived 2.2.7 (checked with
     * {@code keepalived -t}) truncates a longer password to 8 characters with a warning, and ignores
     * {@code auth_type PASS} without {@code auth_pass}; vrrp4j does the same. IPsec AH is refused.
     * VRRPv3 has no authentication (RFC 9568 §9): keepalived ignores the block, and so does vrrp4j.
     */
    String password(int version) {
        if (where == null) {
            return "";
        }
        if (version == 3) {
            diagnostics.warnOnce(where, "authentication", "authentication is not supported by vrrp4j for VRRPv3 ("
                    + "VRRPv3 has no authentication, RFC 9568 §9; keepalived ignores it too); the block is ignored");
            return "";
        }
        if (type == null) {
            diagnostics.error(where, owner + " has no auth_type; use `auth_type PASS` (with"
                    + " auth_pass) or remove the block, on every node");
            return "";
        }
        String typeName = type.text();
        if (typeName.equals("AH")) {
            diagnostics.error(type.where(), "auth_type AH in " + instanceOwner + ": IPsec AH authentication"
                    + " (RFC 2338 §5.3.6.2) is not supported by vrrp4j; use auth_type PASS or remove the"
                    + " authentication block, on every node");
            return "";
        }
        if (!typeName.equals("PASS")) {
            diagnostics.error(type.where(), "auth_type '" + typeName + "' in " + instanceOwner + " is not PASS or AH");
            return "";
        }
        if (pass == null) {
            diagnostics.warn(type.where(), "auth_type", instanceOwner + ": auth_type PASS without auth_pass;"
                    + " keepalived ignores the authentication block, and so does vrrp4j");
            return "";
        }
        byte[] bytes = pass.text().getBytes(StandardCharsets.UTF_8);
        if (bytes.length > RouterConfig.MAX_PASSWORD_BYTES) {
            diagnostics.warn(pass.where(), "auth_pass", instanceOwner + ": auth_pass is " + bytes.length
                    + " bytes; VRRPv2 carries 8 (RFC 2338 §5.3.10), so only the first 8 are used, as keepalived does"
                    + " (\"Truncating auth_pass to 8 characters\")");
            return new String(bytes, 0, RouterConfig.MAX_PASSWORD_BYTES, StandardCharsets.UTF_8);
        }
        return pass.text();
    }
}
