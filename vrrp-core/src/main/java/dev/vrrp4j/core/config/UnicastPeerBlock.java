package dev.vrrp4j.core.config;

import java.util.ArrayList;
import java.util.List;

/**
 * The lines of an instance's {@code unicast_peer} blocks: {@code <address> [min_ttl N] [max_ttl N]},
 * one peer per line; advertisements go to these addresses instead of the multicast group. The TTL
 * options are warned about and ignored.
 */
final class UnicastPeerBlock {
    private final Diagnostics diagnostics;
    private final Values values;
    private final List<Token> peers = new ArrayList<>();

    UnicastPeerBlock(Diagnostics diagnostics) {
        this.diagnostics = diagnostics;
        this.values = new Values(diagnostics);
    }

    /** The peers' addresses as written, with their lines. */
    List<Token> peers() {
        return peers;
    }

    void readLine(Statement line) {
        if (!values.noBlock(line) || values.literal(line, "unicast_peer", line.name()) == null) {
            return;
        }
        List<Token> words = line.args();
        for (int i = 0; i < words.size(); i++) {
            String option = words.get(i).text();
            if ((option.equals("min_ttl") || option.equals("max_ttl")) && i + 1 < words.size()) {
                i++;
                diagnostics.warnOnce(line.where(), option, "unicast_peer option " + option
                        + " is not supported by vrrp4j; ignored");
            } else {
                diagnostics.error(line.where(), "unicast_peer " + line.name() + ": unexpected '" + option
                        + "' (write one peer per line)");
                return;
            }
        }
        peers.add(line.keyword());
    }
}
