package dev.vrrp4j.netty.testing;

import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * tcpdump on the LAN's bridge, decoded into the VRRP advertisements and ARP / NA announcements that
 * crossed it, with kernel timestamps: what "went on the wire" in the tests.
 */
public final class WireLog implements AutoCloseable {
    /** One advertisement seen on the bridge. */
    public record Advert(double epochSeconds, String source, int vrid, int priority, String line) {}

    /** A takeover as the bridge saw it: the old Active's last advertisement before the new Active's first. */
    public record Takeover(Advert last, Advert first) {
        /** Milliseconds from {@link #last} to {@link #first}, by tcpdump's timestamps. */
        public double gapMs() {
            return (first.epochSeconds() - last.epochSeconds()) * 1000;
        }
    }

    private static final Pattern ADVERT = Pattern.compile(
            "^(\\d+\\.\\d+) IP6? (\\S+) > (\\S+): VRRPv[23], Advertisement, vrid (\\d+), prio (\\d+)");

    private final NetnsLan.Capture capture;

    private WireLog(NetnsLan.Capture capture) {
        this.capture = capture;
    }

    /** Starts capturing VRRP, ARP and ICMPv6 neighbor advertisements on the bridge. */
    public static WireLog start(NetnsLan lan) {
        Process process = lan.startProcess(lan.bridgeNamespace(), "tcpdump", "-l", "-n", "-tt", "-i", NetnsLan.BRIDGE,
                "ip proto 112 or ip6 proto 112 or arp or (icmp6 and ip6[40] == 136)");
        NetnsLan.Capture capture = NetnsLan.Capture.of(process);
        capture.awaitLine(line -> line.contains("listening on"), Duration.ofSeconds(10));
        return new WireLog(capture);
    }

    public List<Advert> adverts() {
        return capture.lines().stream().map(ADVERT::matcher).filter(Matcher::find)
                .map(m -> new Advert(Double.parseDouble(m.group(1)), m.group(2), Integer.parseInt(m.group(4)),
                        Integer.parseInt(m.group(5)), m.group(0)))
                .toList();
    }

    public List<Advert> advertsFrom(String source) {
        return adverts().stream().filter(a -> a.source().equals(source)).toList();
    }

    /** Waits until an advertisement from {@code source} matches, e.g. the first one of a new Active. */
    public Advert awaitAdvert(String source, int priority, Duration timeout) {
        String line = capture.awaitLine(l -> {
            Matcher m = ADVERT.matcher(l);
            return m.find() && m.group(2).equals(source) && Integer.parseInt(m.group(5)) == priority;
        }, timeout);
        Matcher m = ADVERT.matcher(line);
        m.find();
        return new Advert(Double.parseDouble(m.group(1)), m.group(2), Integer.parseInt(m.group(4)),
                Integer.parseInt(m.group(5)), line);
    }

    /**
     * Waits for {@code newSource}'s first advertisement at {@code priority} and pairs it with the
     * last one {@code oldSource} sent before it.
     */
    public Takeover awaitTakeover(String oldSource, String newSource, int priority, Duration timeout) {
        Advert first = awaitAdvert(newSource, priority, timeout);
        Advert last = advertsFrom(oldSource).stream().filter(a -> a.epochSeconds() < first.epochSeconds())
                .reduce((earlier, later) -> later)
                .orElseThrow(() -> new AssertionError("no advertisement from " + oldSource + " before " + first.line()));
        return new Takeover(last, first);
    }

    /** Waits for a line containing every fragment (e.g. an ARP for the VIP); returns it. */
    public String awaitLine(Duration timeout, String... fragments) {
        return capture.awaitLine(timeout, fragments);
    }

    public List<String> lines() {
        return capture.lines();
    }

    @Override
    public void close() {
        capture.stop();
    }
}
