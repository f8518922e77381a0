#!/usr/bin/env bash
# Capture keepalived VRRPv3 and VRRPv2 advertisements as golden test vectors for vrrp4j.
#
# Usage (as root, from the repository root):
#   sudo bash vrrp-core/src/test/resources/golden/capture.sh [CASE-PREFIX]
# With CASE-PREFIX (e.g. ipv4-v2) only the cases whose name starts with it are captured,
# so adding a case does not rewrite the other cases' files.
#
# Everything happens inside two network namespaces created here:
#   v4jgold-host  eth0 02:00:00:00:00:01  192.0.2.1/24  2001:db8::1/64  fe80::ff:fe00:1
#   v4jgold-cap   eth0 02:00:00:00:00:02  192.0.2.2/24  2001:db8::2/64  fe80::ff:fe00:2
# joined by one veth pair. keepalived runs in v4jgold-host, tcpdump in v4jgold-cap.
# No interface leaves the namespaces, so no packet reaches any real network.
# Cleanup (keepalived, tcpdump, namespaces, temp dir) runs from a trap on exit,
# and every process is stopped by its own PID.
set -euo pipefail

OUT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
NS_HOST=v4jgold-host
NS_CAP=v4jgold-cap
PY="$(command -v python3 || echo /usr/bin/python3)"
ONLY="${1:-}"

if [[ $(id -u) -ne 0 ]]; then
    echo "capture.sh: must run as root (network namespaces, raw sockets)" >&2
    exit 1
fi
for tool in keepalived tcpdump ip "$PY"; do
    command -v "$tool" >/dev/null || { echo "capture.sh: $tool not found" >&2; exit 1; }
done

WORK="$(mktemp -d /tmp/v4jgold.XXXXXX)"
KA_PID=""        # keepalived parent (started with -n, so $! is keepalived itself)
KA_VRRP_PIDFILE=""
TD_PID=""        # tcpdump ($! is tcpdump itself: "ip netns exec" execs the command)

# True if $1 is a live process whose command name is $2.
pid_is() {
    [[ -n "$1" && -r "/proc/$1/comm" ]] && [[ "$(cat "/proc/$1/comm" 2>/dev/null)" == "$2" ]]
}

# Wait up to $2 tenths of a second for PID $1 to disappear.
wait_gone() {
    local pid=$1 tenths=$2 i
    for ((i = 0; i < tenths; i++)); do
        [[ -e "/proc/$pid" ]] || return 0
        # reap if it is our child; ignore the status
        if ! kill -0 "$pid" 2>/dev/null; then return 0; fi
        sleep 0.1
    done
    [[ ! -e "/proc/$pid" ]]
}

stop_keepalived() {
    local child=""
    if [[ -n "$KA_VRRP_PIDFILE" && -r "$KA_VRRP_PIDFILE" ]]; then
        child="$(cat "$KA_VRRP_PIDFILE" 2>/dev/null || true)"
    fi
    if pid_is "$KA_PID" keepalived; then
        kill -TERM "$KA_PID" 2>/dev/null || true
        wait_gone "$KA_PID" 100 || { kill -KILL "$KA_PID" 2>/dev/null || true; }
        wait "$KA_PID" 2>/dev/null || true
    fi
    # the VRRP child should have gone with its parent; make sure
    if pid_is "$child" keepalived; then
        kill -TERM "$child" 2>/dev/null || true
        wait_gone "$child" 50 || { kill -KILL "$child" 2>/dev/null || true; }
    fi
    KA_PID=""
    KA_VRRP_PIDFILE=""
}

stop_tcpdump() {
    if pid_is "$TD_PID" tcpdump; then
        kill -INT "$TD_PID" 2>/dev/null || true
        wait_gone "$TD_PID" 50 || { kill -KILL "$TD_PID" 2>/dev/null || true; }
        wait "$TD_PID" 2>/dev/null || true
    fi
    TD_PID=""
}

cleanup() {
    set +e
    stop_keepalived
    stop_tcpdump
    ip netns del "$NS_HOST" 2>/dev/null
    ip netns del "$NS_CAP" 2>/dev/null
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# ---------------------------------------------------------------- topology
for ns in "$NS_HOST" "$NS_CAP"; do
    # left over from an interrupted run? the prefix is reserved for this script
    if [[ -e "/run/netns/$ns" ]]; then ip netns del "$ns"; fi
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.default.router_solicitations=0
done
ip -n "$NS_HOST" link add eth0 address 02:00:00:00:00:01 type veth \
    peer name eth0 address 02:00:00:00:00:02 netns "$NS_CAP"
for ns in "$NS_HOST" "$NS_CAP"; do
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.eth0.accept_dad=0
    ip netns exec "$ns" sysctl -qw net.ipv6.conf.eth0.router_solicitations=0
done
ip -n "$NS_HOST" addr add 192.0.2.1/24 dev eth0
ip -n "$NS_HOST" addr add 2001:db8::1/64 dev eth0 nodad
ip -n "$NS_CAP"  addr add 192.0.2.2/24 dev eth0
ip -n "$NS_CAP"  addr add 2001:db8::2/64 dev eth0 nodad
ip -n "$NS_HOST" link set eth0 up
ip -n "$NS_CAP"  link set eth0 up

# wait for a usable (non-tentative) link-local address on the host side
for ((i = 0; i < 100; i++)); do
    if ip -n "$NS_HOST" -6 addr show dev eth0 scope link | grep -q 'fe80::' &&
       ! ip -n "$NS_HOST" -6 addr show dev eth0 | grep -q tentative; then
        break
    fi
    sleep 0.1
done
ip -n "$NS_HOST" -6 addr show dev eth0 scope link | grep -q 'fe80::ff:fe00:1/64' ||
    { echo "capture.sh: host link-local address missing" >&2; exit 1; }

KA_VERSION="$(keepalived --version 2>&1 || true)"
KA_VERSION="${KA_VERSION%%$'\n'*}"
KA_PKG="$(dpkg-query -W -f='${Package} ${Version}' keepalived 2>/dev/null || echo unknown)"
CAPTURE_DATE="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "== $KA_VERSION ($KA_PKG), capture $CAPTURE_DATE"

# ---------------------------------------------------------------- extractor
cat > "$WORK/extract.py" <<'PY'
"""Read a pcap of VRRP packets, check them, write <name>.pcap (selected packets) and <name>.txt."""
import ipaddress, json, struct, subprocess, sys

spec = json.loads(sys.argv[1])
src_pcap, out_pcap, out_txt = sys.argv[2], sys.argv[3], sys.argv[4]

def csum(data: bytes) -> int:
    """RFC 1071 internet checksum (the complemented one's-complement sum)."""
    if len(data) % 2:
        data += b"\0"
    s = 0
    for (w,) in struct.iter_unpack("!H", data):
        s += w
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return (~s) & 0xFFFF

raw = open(src_pcap, "rb").read()
magic = raw[:4]
if magic in (b"\xd4\xc3\xb2\xa1", b"\x4d\x3c\xb2\xa1"):
    end = "<"
elif magic in (b"\xa1\xb2\xc3\xd4", b"\xa1\xb2\x3c\x4d"):
    end = ">"
else:
    sys.exit("not a pcap file: " + src_pcap)
linktype = struct.unpack(end + "I", raw[20:24])[0]
if linktype != 1:
    sys.exit("unexpected link type %d (want 1, Ethernet)" % linktype)
ghdr = raw[:24]

records = []
off = 24
while off + 16 <= len(raw):
    ts_s, ts_f, incl, orig = struct.unpack(end + "IIII", raw[off:off + 16])
    rec = raw[off:off + 16 + incl]
    records.append((rec, raw[off + 16:off + 16 + incl]))
    off += 16 + incl

packets = []
for rec, frame in records:
    etype = struct.unpack("!H", frame[12:14])[0]
    ip = frame[14:]
    p = {"rec": rec}
    if etype == 0x0800:
        if ip[0] >> 4 != 4:
            sys.exit("bad IPv4 version")
        ihl = (ip[0] & 0x0F) * 4
        total = struct.unpack("!H", ip[2:4])[0]
        if ip[9] != 112:
            sys.exit("IPv4 protocol is %d, not 112" % ip[9])
        if csum(ip[:ihl]) != 0:
            sys.exit("IPv4 header checksum does not verify")
        p.update(family="ipv4", tos=ip[1], ttl=ip[8], ihl=ihl,
                 src=ipaddress.IPv4Address(ip[12:16]), dst=ipaddress.IPv4Address(ip[16:20]))
        msg = ip[ihl:total]           # IP total length, not frame length: Ethernet pads short frames
        pseudo = ip[12:20] + bytes([0, 112]) + struct.pack("!H", len(msg))
    elif etype == 0x86DD:
        if ip[0] >> 4 != 6:
            sys.exit("bad IPv6 version")
        plen = struct.unpack("!H", ip[4:6])[0]
        if ip[6] != 112:
            sys.exit("IPv6 next header is %d, not 112 (extension header present?)" % ip[6])
        tc = ((ip[0] & 0x0F) << 4) | (ip[1] >> 4)
        p.update(family="ipv6", tos=tc, ttl=ip[7], ihl=40,
                 src=ipaddress.IPv6Address(ip[8:24]), dst=ipaddress.IPv6Address(ip[24:40]))
        msg = ip[40:40 + plen]
        pseudo = ip[8:40] + struct.pack("!I", len(msg)) + bytes([0, 0, 0, 112])
    else:
        continue
    alen = 4 if p["family"] == "ipv4" else 16
    ver, typ = msg[0] >> 4, msg[0] & 0x0F
    count = msg[3]
    if ver != spec.get("version", 3) or typ != 1:
        sys.exit("not a VRRPv%d advertisement: version %d type %d" % (spec.get("version", 3), ver, typ))
    auth_len = 8 if ver == 2 else 0   # RFC 3768 5.3.10: 8 bytes of authentication data after the addresses
    if len(msg) != 8 + count * alen + auth_len:
        sys.exit("VRRP length %d does not match count %d" % (len(msg), count))
    addrs = [str(ipaddress.ip_address(msg[8 + i * alen:8 + (i + 1) * alen])) for i in range(count)]
    if ver == 2:   # Auth Type, then Adver Int in whole seconds
        p.update(rsvd=0, maxadv=msg[5] * 100, authtype=msg[4], authdata=msg[8 + count * alen:])
    else:
        p.update(rsvd=msg[4] >> 4, maxadv=((msg[4] & 0x0F) << 8) | msg[5], authtype=None, authdata=b"")
    p.update(msg=msg, ver=ver, vrid=msg[1], prio=msg[2], count=count, cksum=struct.unpack("!H", msg[6:8])[0],
             addrs=addrs,
             ok_pseudo=csum(pseudo + msg) == 0, ok_msgonly=csum(msg) == 0)
    packets.append(p)

if spec["mode"] == "stop":
    chosen = [p for p in packets if p["prio"] == 0]
    if not chosen:
        sys.exit("no priority-0 advertisement captured")
else:
    chosen = [p for p in packets if p["prio"] == spec["priority"]][:spec["want"]]
    if len(chosen) < spec["want"]:
        sys.exit("only %d adverts captured, wanted %d" % (len(chosen), spec["want"]))

form = spec["checksum"]          # "pseudo" or "message"
for p in chosen:
    want_prio = 0 if spec["mode"] == "stop" else spec["priority"]
    checks = [
        (p["family"] == spec["family"], "family"),
        (p["vrid"] == spec["vrid"], "vrid"),
        (p["prio"] == want_prio, "priority"),
        (p["maxadv"] == spec["interval_cs"], "max advert interval"),
        (p["rsvd"] == 0, "reserved bits"),
        (sorted(p["addrs"]) == sorted(str(ipaddress.ip_address(a)) for a in spec["vips"]), "address set"),
        (spec.get("dst") is None or str(p["dst"]) == spec["dst"], "destination"),
        (p["ok_pseudo"] if form == "pseudo" else p["ok_msgonly"], "checksum (%s form)" % form),
        (p["authtype"] == spec.get("auth_type"), "auth type"),
        (p["authdata"] == bytes.fromhex(spec.get("auth_data_hex", "")), "authentication data"),
    ]
    for ok, what in checks:
        if not ok:
            sys.exit("%s: %s check failed: %r" % (spec["name"], what,
                     {k: (str(v) if not isinstance(v, (int, list, bool)) else v)
                      for k, v in p.items() if k not in ("rec", "msg", "authdata")}))

# selected packets -> <name>.pcap
with open(out_pcap, "wb") as f:
    f.write(ghdr)
    for p in chosen:
        f.write(p["rec"])

# tcpdump's own decoding of each selected packet, as a cross-check comment
dump = subprocess.run(["tcpdump", "-r", out_pcap, "-n", "-vv", "-tt"],
                      capture_output=True, text=True).stdout
decoded, cur = [], None
for line in dump.splitlines():
    if line and not line[0].isspace():
        if cur is not None:
            decoded.append(cur)
        cur = line
    elif cur is not None:
        cur += " " + line.strip()
if cur is not None:
    decoded.append(cur)

name_form = {"pseudo": "RFC 5798 style, keepalived default: RFC 1071 sum over %s pseudo-header + VRRP message"
             % ("IPv4 (src, dst, zero, protocol 112, 16-bit length)" if spec["family"] == "ipv4"
                else "IPv6 (src, dst, 32-bit length, 3 zero bytes, next header 112)"),
             "message": "message only (no pseudo-header)" + (", as RFC 3768 5.3.8 defines it for VRRPv2"
                                                             if spec.get("version", 3) == 2 else "")}[form]
def verdict(p):
    v = []
    v.append("pseudo-header form %s" % ("VERIFIES (sum 0)" if p["ok_pseudo"] else "does not verify"))
    v.append("message-only form %s" % ("VERIFIES (sum 0)" if p["ok_msgonly"] else "does not verify"))
    return "; ".join(v)

with open(out_txt, "w") as f:
    f.write("# vrrp4j golden vector: %s\n" % spec["name"])
    f.write("# keepalived: %s (Debian package %s)\n" % (spec["ka_version"], spec["ka_pkg"]))
    f.write("# capture date (UTC): %s\n" % spec["date"])
    f.write("# config: %s\n" % spec["summary"])
    f.write("# host eth0: 192.0.2.1/24, 2001:db8::1/64, MAC 02:00:00:00:00:01, link-local fe80::ff:fe00:1\n")
    f.write("# checksum form: %s\n" % name_form)
    f.write("# checksum check: all %d packets below verify in that form (RFC 1071 sum = 0), checked by capture.sh\n"
            % len(chosen))
    if spec["mode"] == "stop":
        f.write("# selection: only the priority-0 adverts sent on SIGTERM (earlier priority-%d adverts dropped)\n"
                % spec["priority"])
    f.write("# format: family / src / dst / ttl (TTL or hop limit) / vrrp (hex, version byte through last address%s)\n"
            % (" and the 8 bytes of authentication data" if spec.get("version", 3) == 2 else ""))
    for i, p in enumerate(chosen):
        f.write("\n")
        if p["ver"] == 2:
            f.write("# packet %d: version 2 type 1 vrid %d priority %d count %d auth_type %d adver_int %d s"
                    " checksum 0x%04x auth_data %s\n" % (i + 1, p["vrid"], p["prio"], p["count"], p["authtype"],
                                                       p["maxadv"] // 100, p["cksum"], p["authdata"].hex()))
        else:
            f.write("# packet %d: version 3 type 1 vrid %d priority %d count %d max_adv_int %d cs checksum 0x%04x\n"
                    % (i + 1, p["vrid"], p["prio"], p["count"], p["maxadv"], p["cksum"]))
        f.write("# addresses in order: %s\n" % ", ".join(p["addrs"]))
        f.write("# %s: 0x%02x\n" % ("IPv4 TOS" if p["family"] == "ipv4" else "IPv6 traffic class", p["tos"]))
        f.write("# checksum: %s\n" % verdict(p))
        if i < len(decoded):
            f.write("# tcpdump -vv: %s\n" % decoded[i])
        f.write("family %s\n" % p["family"])
        f.write("src %s\n" % p["src"])
        f.write("dst %s\n" % p["dst"])
        f.write("ttl %d\n" % p["ttl"])
        f.write("vrrp %s\n" % p["msg"].hex())

for p in chosen:
    print("   %s > %s ttl %d tos 0x%02x prio %d int %d addrs %s cksum 0x%04x pseudo=%s msgonly=%s"
          % (p["src"], p["dst"], p["ttl"], p["tos"], p["prio"], p["maxadv"], ",".join(p["addrs"]),
             p["cksum"], p["ok_pseudo"], p["ok_msgonly"]))
PY

# ---------------------------------------------------------------- one capture
# run_case NAME MODE WANT SPEC_JSON   (keepalived config on stdin)
#   MODE normal: capture WANT adverts, stop tcpdump, then stop keepalived.
#   MODE stop:   wait for WANT adverts, SIGTERM keepalived, keep capturing
#                until it has exited, keep only the priority-0 adverts.
run_case() {
    local name=$1 mode=$2 want=$3 spec=$4
    local conf="$WORK/$name.conf" pcap="$WORK/$name.raw.pcap" i n
    cat > "$conf"
    if [[ -n "$ONLY" && "$name" != "$ONLY"* ]]; then
        return 0
    fi
    echo "== $name"

    ip netns exec "$NS_CAP" tcpdump -i eth0 -n -U -Z root -s 0 -w "$pcap" \
        'ip proto 112 or ip6 proto 112' 2>"$WORK/$name.tcpdump.log" &
    TD_PID=$!
    for ((i = 0; i < 100; i++)); do
        grep -q 'listening on' "$WORK/$name.tcpdump.log" 2>/dev/null && break
        sleep 0.1
    done
    grep -q 'listening on' "$WORK/$name.tcpdump.log" ||
        { cat "$WORK/$name.tcpdump.log" >&2; echo "tcpdump did not start" >&2; exit 1; }

    KA_VRRP_PIDFILE="$WORK/$name.vrrp.pid"
    ip netns exec "$NS_HOST" keepalived -n -l -D -G -R -P -f "$conf" \
        -p "$WORK/$name.keepalived.pid" -r "$KA_VRRP_PIDFILE" -c "$WORK/$name.checkers.pid" \
        >"$WORK/$name.keepalived.log" 2>&1 &
    KA_PID=$!

    n=0
    for ((i = 0; i < 300; i++)); do   # up to 30 s
        n=$(tcpdump -r "$pcap" -n 2>/dev/null | wc -l)
        ((n >= want)) && break
        pid_is "$KA_PID" keepalived || break
        sleep 0.1
    done
    if ((n < want)); then
        sed 's/^/   keepalived: /' "$WORK/$name.keepalived.log" >&2
        echo "$name: only $n adverts captured" >&2
        exit 1
    fi

    if [[ $mode == stop ]]; then
        stop_keepalived
        sleep 0.5
        stop_tcpdump
    else
        stop_tcpdump
        stop_keepalived
    fi
    grep -E -i 'warn|error|unknown|invalid|link local|Entering|checksum' \
        "$WORK/$name.keepalived.log" | sed 's/^/   keepalived: /' || true

    "$PY" "$WORK/extract.py" \
        "$("$PY" -c 'import json,sys; d=json.loads(sys.argv[1]); d.update(name=sys.argv[2], mode=sys.argv[3], want=int(sys.argv[4]), ka_version=sys.argv[5], ka_pkg=sys.argv[6], date=sys.argv[7]); print(json.dumps(d))' \
            "$spec" "$name" "$mode" "$want" "$KA_VERSION" "$KA_PKG" "$CAPTURE_DATE")" \
        "$pcap" "$OUT_DIR/$name.pcap" "$OUT_DIR/$name.txt"

    # keepalived must have removed its VIPs; nothing else should be left on eth0
    if ip -n "$NS_HOST" addr show dev eth0 | grep -E -q '192\.0\.2\.(1[0-9][0-9])|2001:db8::[1-9a-f][0-9a-f]|fe80::61'; then
        echo "$name: keepalived left a VIP on eth0" >&2
        exit 1
    fi
}

GLOBAL_DEFS='global_defs {
    router_id v4jgold
    enable_script_security
}'

# ---------------------------------------------------------------- cases
# 1. IPv4 multicast, VRID 51, priority 100, advert_int 1, one VIP
CONF_51="$GLOBAL_DEFS
vrrp_instance V4_51 {
    version 3
    state BACKUP
    interface eth0
    virtual_router_id 51
    priority 100
    advert_int 1
    virtual_ipaddress {
        192.0.2.100/24
    }
}"
run_case ipv4-vrid51-one-vip normal 3 \
    '{"family":"ipv4","vrid":51,"priority":100,"interval_cs":100,"vips":["192.0.2.100"],"dst":"224.0.0.18","checksum":"pseudo",
      "summary":"vrrp_instance version 3, multicast, interface eth0, VRID 51, priority 100, advert_int 1, virtual_ipaddress 192.0.2.100/24"}' \
    <<<"$CONF_51"

# 2. IPv4, VRID 52, priority 200, three VIPs
run_case ipv4-vrid52-three-vips normal 3 \
    '{"family":"ipv4","vrid":52,"priority":200,"interval_cs":100,"vips":["192.0.2.101","192.0.2.102","192.0.2.103"],"dst":"224.0.0.18","checksum":"pseudo",
      "summary":"vrrp_instance version 3, multicast, interface eth0, VRID 52, priority 200, advert_int 1, virtual_ipaddress 192.0.2.101/24 192.0.2.102/24 192.0.2.103/24 (in that order)"}' <<EOF
$GLOBAL_DEFS
vrrp_instance V4_52 {
    version 3
    state BACKUP
    interface eth0
    virtual_router_id 52
    priority 200
    advert_int 1
    virtual_ipaddress {
        192.0.2.101/24
        192.0.2.102/24
        192.0.2.103/24
    }
}
EOF

# 3. IPv4, VRID 53, priority 150, advert_int 0.5, eight VIPs
run_case ipv4-vrid53-eight-vips-50cs normal 3 \
    '{"family":"ipv4","vrid":53,"priority":150,"interval_cs":50,"vips":["192.0.2.110","192.0.2.111","192.0.2.112","192.0.2.113","192.0.2.114","192.0.2.115","192.0.2.116","192.0.2.117"],"dst":"224.0.0.18","checksum":"pseudo",
      "summary":"vrrp_instance version 3, multicast, interface eth0, VRID 53, priority 150, advert_int 0.5, virtual_ipaddress 192.0.2.110/24 .. 192.0.2.117/24 (ascending)"}' <<EOF
$GLOBAL_DEFS
vrrp_instance V4_53 {
    version 3
    state BACKUP
    interface eth0
    virtual_router_id 53
    priority 150
    advert_int 0.5
    virtual_ipaddress {
        192.0.2.110/24
        192.0.2.111/24
        192.0.2.112/24
        192.0.2.113/24
        192.0.2.114/24
        192.0.2.115/24
        192.0.2.116/24
        192.0.2.117/24
    }
}
EOF

# 4. v3_checksum_as_v2: NOT captured. The keyword first appeared in keepalived
#    2.2.8; 2.2.7 rejects it ("Unknown keyword 'v3_checksum_as_v2'") and has no
#    other way to leave the IPv4 pseudo-header out of the VRRPv3 checksum.
#    Record the config-test verdict so a re-run shows it again.
cat > "$WORK/v3-checksum-as-v2.conf" <<EOF
$GLOBAL_DEFS
vrrp_instance V4_54 {
    version 3
    state BACKUP
    interface eth0
    virtual_router_id 54
    priority 100
    advert_int 1
    v3_checksum_as_v2
    virtual_ipaddress {
        192.0.2.120/24
    }
}
EOF
echo "== case 4 (v3_checksum_as_v2), config test only:"
ip netns exec "$NS_HOST" keepalived -t -f "$WORK/v3-checksum-as-v2.conf" 2>&1 | sed 's/^/   keepalived -t: /' || true

# 5. IPv4 unicast, VRID 55, priority 120
run_case ipv4-vrid55-unicast normal 3 \
    '{"family":"ipv4","vrid":55,"priority":120,"interval_cs":100,"vips":["192.0.2.130"],"dst":"192.0.2.2","checksum":"pseudo",
      "summary":"vrrp_instance version 3, unicast_src_ip 192.0.2.1, unicast_peer { 192.0.2.2 }, interface eth0, VRID 55, priority 120, advert_int 1, virtual_ipaddress 192.0.2.130/24; pseudo-header destination is the peer 192.0.2.2"}' <<EOF
$GLOBAL_DEFS
vrrp_instance V4_55 {
    version 3
    state BACKUP
    interface eth0
    virtual_router_id 55
    priority 120
    advert_int 1
    unicast_src_ip 192.0.2.1
    unicast_peer {
        192.0.2.2
    }
    virtual_ipaddress {
        192.0.2.130/24
    }
}
EOF

# 6. IPv6 multicast, VRID 61, link-local VIP first, then a global VIP
CONF_61="$GLOBAL_DEFS
vrrp_instance V6_61 {
    version 3
    state BACKUP
    interface eth0
    virtual_router_id 61
    priority 100
    advert_int 1
    virtual_ipaddress {
        fe80::61/64
        2001:db8::100/64
    }
}"
run_case ipv6-vrid61-linklocal-and-global normal 3 \
    '{"family":"ipv6","vrid":61,"priority":100,"interval_cs":100,"vips":["fe80::61","2001:db8::100"],"dst":"ff02::12","checksum":"pseudo",
      "summary":"vrrp_instance version 3, IPv6 multicast, interface eth0, VRID 61, priority 100, advert_int 1, virtual_ipaddress fe80::61/64 then 2001:db8::100/64"}' \
    <<<"$CONF_61"

# 7. IPv6, VRID 62, priority 220, global VIP only
run_case ipv6-vrid62-global-only normal 3 \
    '{"family":"ipv6","vrid":62,"priority":220,"interval_cs":100,"vips":["2001:db8::200"],"dst":"ff02::12","checksum":"pseudo",
      "summary":"vrrp_instance version 3, IPv6 multicast, interface eth0, VRID 62, priority 220, advert_int 1, virtual_ipaddress 2001:db8::200/64 only (no link-local VIP configured)"}' <<EOF
$GLOBAL_DEFS
vrrp_instance V6_62 {
    version 3
    state BACKUP
    interface eth0
    virtual_router_id 62
    priority 220
    advert_int 1
    virtual_ipaddress {
        2001:db8::200/64
    }
}
EOF

# 8. priority 0 on graceful stop (SIGTERM to the MASTER), IPv4 VRID 51 and IPv6 VRID 61
run_case ipv4-vrid51-priority0 stop 2 \
    '{"family":"ipv4","vrid":51,"priority":100,"interval_cs":100,"vips":["192.0.2.100"],"dst":"224.0.0.18","checksum":"pseudo",
      "summary":"same as ipv4-vrid51-one-vip (VRID 51, priority 100, advert_int 1, VIP 192.0.2.100/24); keepalived sent SIGTERM while MASTER"}' \
    <<<"$CONF_51"
run_case ipv6-vrid61-priority0 stop 2 \
    '{"family":"ipv6","vrid":61,"priority":100,"interval_cs":100,"vips":["fe80::61","2001:db8::100"],"dst":"ff02::12","checksum":"pseudo",
      "summary":"same as ipv6-vrid61-linklocal-and-global (VRID 61, priority 100, advert_int 1, VIPs fe80::61/64, 2001:db8::100/64); keepalived sent SIGTERM while MASTER"}' \
    <<<"$CONF_61"

# 9. VRRPv2 (RFC 3768), keepalived's default: no `version` line, as most operators' files.
#    Auth Type 0 (none), and Auth Type 1 (auth_type PASS) with a password keepalived pads to 8 bytes.
CONF_V2_72="$GLOBAL_DEFS
vrrp_instance V2_72 {
    state BACKUP
    interface eth0
    virtual_router_id 72
    priority 150
    advert_int 2
    authentication {
        auth_type PASS
        auth_pass s3cr3t
    }
    virtual_ipaddress {
        192.0.2.141/24
        192.0.2.142/24
    }
}"
run_case ipv4-v2-vrid71-no-auth normal 3 \
    '{"family":"ipv4","version":2,"vrid":71,"priority":100,"interval_cs":100,"vips":["192.0.2.140"],"dst":"224.0.0.18","checksum":"message",
      "auth_type":0,"auth_data_hex":"0000000000000000",
      "summary":"vrrp_instance without version (VRRPv2), multicast, interface eth0, VRID 71, priority 100, advert_int 1, virtual_ipaddress 192.0.2.140/24, no authentication"}' <<EOF
$GLOBAL_DEFS
vrrp_instance V2_71 {
    state BACKUP
    interface eth0
    virtual_router_id 71
    priority 100
    advert_int 1
    virtual_ipaddress {
        192.0.2.140/24
    }
}
EOF
run_case ipv4-v2-vrid72-pass normal 3 \
    '{"family":"ipv4","version":2,"vrid":72,"priority":150,"interval_cs":200,"vips":["192.0.2.141","192.0.2.142"],"dst":"224.0.0.18","checksum":"message",
      "auth_type":1,"auth_data_hex":"7333637233740000",
      "summary":"vrrp_instance without version (VRRPv2), multicast, interface eth0, VRID 72, priority 150, advert_int 2, virtual_ipaddress 192.0.2.141/24 192.0.2.142/24, authentication { auth_type PASS auth_pass s3cr3t }"}' \
    <<<"$CONF_V2_72"
run_case ipv4-v2-vrid72-pass-priority0 stop 2 \
    '{"family":"ipv4","version":2,"vrid":72,"priority":150,"interval_cs":200,"vips":["192.0.2.141","192.0.2.142"],"dst":"224.0.0.18","checksum":"message",
      "auth_type":1,"auth_data_hex":"7333637233740000",
      "summary":"same as ipv4-v2-vrid72-pass (VRRPv2, VRID 72, priority 150, advert_int 2, PASS s3cr3t); keepalived sent SIGTERM while MASTER"}' \
    <<<"$CONF_V2_72"

echo "== done; files in $OUT_DIR"
