#!/usr/bin/env python3
"""check_stats.py - checks capscope --stats --json output against what was sent.
usage: check_stats.py OUT.json K BYTES RATE_PPS INTERVAL_MS
Checks: every line is an object with exactly the documented keys and types; the packets and
bytes over all intervals sum to K and BYTES exactly; every full interval (inside the sending
period: not the first or last with packets) lasts INTERVAL_MS and its pps and bps are within
10% of the offered rate; drops are 0; timestamps advance by the interval lengths.
Exit 0 when all hold, 1 otherwise (each failure printed)."""
import json
import sys

KEYS = {"ts": str, "interval_ms": int, "packets": int, "bytes": int, "bps": (int, float),
        "pps": (int, float), "drops": int}


def load(path, bad):
    recs = []
    for n, line in enumerate(open(path), 1):
        try:
            r = json.loads(line)
        except ValueError:
            bad.append("line %d is not JSON: %r" % (n, line[:80]))
            continue
        if set(r) != set(KEYS):
            bad.append("line %d keys %s, want %s" % (n, sorted(r), sorted(KEYS)))
        for k, t in KEYS.items():
            if k in r and not isinstance(r[k], t):
                bad.append("line %d: %s=%r is not %s" % (n, k, r[k], t))
        recs.append(r)
    return recs


def check_full(recs, rate, interval, avg_size, bad):
    busy = [i for i, r in enumerate(recs) if r["packets"] > 0]
    full = recs[busy[0] + 1:busy[-1]] if busy else []
    if len(full) < 3:
        bad.append("only %d full intervals while sending (want at least 3)" % len(full))
    for r in full:
        if r["interval_ms"] != interval:
            bad.append("full interval at %s lasts %d ms, want %d" % (r["ts"], r["interval_ms"], interval))
        for key, want in (("pps", rate), ("bps", rate * avg_size * 8)):
            if abs(r[key] - want) > 0.10 * want:
                bad.append("interval at %s: %s=%s, offered %.0f (more than 10%% off)" % (r["ts"], key, r[key], want))
    return len(full)


def main():
    path, k, total, rate, interval = sys.argv[1], *map(int, sys.argv[2:6])
    bad = []
    recs = load(path, bad)
    if not recs:
        print("no intervals printed"); return 1
    got_p, got_b = sum(r["packets"] for r in recs), sum(r["bytes"] for r in recs)
    if (got_p, got_b) != (k, total):
        bad.append("sums: %d packets / %d bytes, sent %d / %d" % (got_p, got_b, k, total))
    if any(r["drops"] for r in recs):
        bad.append("kernel drops reported: %d" % sum(r["drops"] for r in recs))
    for a, b in zip(recs, recs[1:]):
        step = float(b["ts"]) - float(a["ts"])
        if abs(step * 1000 - b["interval_ms"]) > 2:
            bad.append("ts %s -> %s does not advance by interval_ms %d" % (a["ts"], b["ts"], b["interval_ms"]))
    if any(r["interval_ms"] > interval for r in recs):
        bad.append("an interval longer than %d ms" % interval)
    nfull = check_full(recs, rate, interval, total / k, bad)
    for b in bad:
        print("  " + b)
    if not bad:
        print("  %d intervals (%d full): %d packets, %d bytes, as sent" % (len(recs), nfull, got_p, got_b))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
