# Reads a failover.sh output directory (wire.txt from tcpdump -tt, kills.txt) and prints the table.
import sys, statistics
out, centis = sys.argv[1], int(sys.argv[2])
I = centis / 100.0
adi = 3 * I + (256 - 100) * I / 256          # RFC 9568 §6.1, Backup priority 100
wire = []
for line in open(f"{out}/wire.txt"):
    f = line.split()
    try: t = float(f[0])
    except: continue
    if 'VRRP' in line and '>' in line: wire.append((t, 'adv', f[2]))
    elif 'ARP' in line and '192.0.2.100' in line: wire.append((t, 'arp', ''))
kills = [l.split() for l in open(f"{out}/kills.txt")]
res = {}
runs = open(f"{out}/runs.txt", "w")
for impl, run, tk in kills:
    tk = float(tk)
    last_a = max((t for t, k, s in wire if k == 'adv' and s == '192.0.2.1' and t <= tk + 0.002), default=None)
    first_b = min((t for t, k, s in wire if k == 'adv' and s == '192.0.2.2' and t > tk), default=None)
    garp = min((t for t, k, s in wire if k == 'arp' and t > tk), default=None)
    if last_a is None or first_b is None or garp is None:
        print(f"{impl} run {run}: incomplete capture", file=sys.stderr); continue
    late = (first_b - last_a - adi) * 1000
    res.setdefault(impl, []).append((late, (garp - tk) * 1000, (garp - first_b) * 1000))
    print(f"{impl:10s} run {run:>3s} late {late:8.3f} ms  kill->garp {(garp-tk)*1000:8.3f} ms", file=runs)
def pct(v, p):
    v = sorted(v); k = (len(v) - 1) * p; lo = int(k); hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)
print(f"interval {centis*10} ms, Active_Down_Interval {adi*1000:.3f} ms, output in {out}")
print(f"{'impl':10s} {'n':>3s} | {'late p50':>9s} {'p99':>8s} {'max':>8s} {'min':>8s} | {'kill->GARP p50':>14s} {'p99':>8s} {'max':>8s} | {'advert->GARP p50':>16s} {'max':>7s}  (ms)")
for impl in ('vrrp4j', 'keepalived'):
    r = res.get(impl, [])
    if not r: continue
    l = [x[0] for x in r]; g = [x[1] for x in r]; a = [x[2] for x in r]
    print(f"{impl:10s} {len(r):3d} | {pct(l,.5):9.3f} {pct(l,.99):8.3f} {max(l):8.3f} {min(l):8.3f} | {pct(g,.5):14.3f} {pct(g,.99):8.3f} {max(g):8.3f} | {pct(a,.5):16.3f} {max(a):7.3f}")
