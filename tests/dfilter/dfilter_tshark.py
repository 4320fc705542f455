#!/usr/bin/env python3
"""dfilter_tshark.py - capscope -Y against tshark 4.0 on the same captures, one row per
expression of expressions.txt (see test_dfilter_tshark.sh for the set-up).

The oracle is tshark's own display filter engine. tshark starts in about 0.2 s and a table
of ~300 expressions over several captures would need thousands of starts, so the expressions
run in one tshark per capture as Lua taps (Listener.new("frame", EXPR)), which compile EXPR
with the same dfilter code as -Y and see the same tree; a sample of rows is then re-run with
real `tshark -Y EXPR -T fields -e frame.number` to check that the oracle agrees with -Y.
capscope's side is batched the same way: one `capscope -r CAP --filter-table TABLE` per
capture asks every expression of every frame (the same decode as -Y); a sample of rows is
re-run with real `capscope -r CAP -Y EXPR --json` to check that the table agrees with -Y, and
every row capscope rejects is re-run with -Y for its exit code and message.

Rows: tshark rejects EXPR -> capscope must reject it (exit 2, "display filter column N:").
tshark accepts and capscope says "unknown field" -> SKIP (the catalogue lacks the field).
Otherwise the frame numbers selected must be equal on every capture.
Prints one line per failing or skipped row and ends with "N passed, N failed, N skipped".
"""
import argparse
import concurrent.futures
import json
import os
import re
import subprocess
import sys

# tshark reassembles by default; capscope decodes each packet alone. Reassembly moves the
# upper-layer fields of fragments and segments onto other frames, which is a decoder
# difference, not a filter one, so it is off here as in tests/corpus/crosscheck.py.
TSHARK_OPTS = ["-n", "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
               "-o", "tcp.desegment_tcp_streams:FALSE"]
VALIDATE_ROWS = 12  # rows re-run with real tshark -Y (and capscope -Y) per capture


def read_table(path):
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.strip() and not line.lstrip().startswith("#"):
                rows.append(line)
    return rows


def lua_oracle(rows, path):
    with open(path, "w", encoding="utf-8") as f:
        # frames the taps see at all: a frame whose dissection ends in an exception (a cut
        # packet) never reaches the "frame" tap, though -Y still filters it
        f.write("local all = Listener.new('frame', nil)\n"
                "function all.packet(p) io.write('F ', p.number, '\\n') end\n")
        for i, expr in enumerate(rows):
            f.write(f"do local ok, l = pcall(Listener.new, 'frame', [==[{expr}]==])\n"
                    f"if not ok then io.write('E {i} ', tostring(l):gsub('\\n', ' '), '\\n')\n"
                    f"else function l.packet(p) io.write('M {i} ', p.number, '\\n') end end end\n")


def tshark_oracle(cap, lua, nrows):
    out = subprocess.run(["tshark", *TSHARK_OPTS, "-q", "-r", cap, "-X", f"lua_script:{lua}"],
                         capture_output=True, text=True, timeout=300).stdout
    frames = [set() for _ in range(nrows)]
    rejected = {}
    seen = set()
    for line in out.splitlines():
        parts = line.split(" ", 2)
        if parts[0] == "F":
            seen.add(int(parts[1]))
        elif parts[0] == "M":
            frames[int(parts[1])].add(int(parts[2]))
        elif parts[0] == "E":
            rejected[int(parts[1])] = parts[2] if len(parts) > 2 else ""
    return frames, rejected, seen


def tshark_y(cap, expr):
    r = subprocess.run(["tshark", *TSHARK_OPTS, "-r", cap, "-Y", expr, "-T", "fields", "-e",
                        "frame.number"], capture_output=True, text=True, timeout=120)
    return {int(x) for x in r.stdout.split()} if r.returncode == 0 else None


def capscope_run(capscope, cap, expr):
    r = subprocess.run([capscope, "-r", cap, "--no-reassembly", "-Y", expr, "--json"], capture_output=True,
                       timeout=120)
    err = r.stderr.decode("utf-8", "replace").strip()
    if r.returncode != 0:
        return None, r.returncode, err
    nums = {int(m) for m in re.findall(rb'^\{"frame.number":(\d+)', r.stdout, re.M)}
    return nums, 0, err


def capscope_table(capscope, cap, table, nrows):
    """Every row over one read: (frames per row, {row: compile error})."""
    r = subprocess.run([capscope, "-r", cap, "--no-reassembly", "--filter-table", table],
                       capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        raise SystemExit(f"FAIL: capscope --filter-table on {cap} exits {r.returncode}: "
                         f"{r.stderr.strip()[:400]}")
    frames = [set() for _ in range(nrows)]
    errors = {}
    for line in r.stdout.splitlines():
        row, rest = line.split(" ", 1)
        if rest.startswith("error: "):
            errors[int(row) - 1] = rest[7:]
        else:
            frames[int(row) - 1].add(int(rest))
    return frames, errors


def show(frames):
    s = sorted(frames)
    text = ",".join(map(str, s[:12]))
    return text + (f",... ({len(s)})" if len(s) > 12 else "")


def check_row(capscope, caps, i, expr, oracle, table):
    """Returns ("pass"|"fail"|"skip", message)."""
    rejected = [oracle[c][1].get(i) for c in caps]
    terr = table[caps[0]][1].get(i)
    if rejected[0] is not None:
        if terr is None:
            return "fail", f"tshark rejects it ({rejected[0][:120]}) but capscope accepts it"
        nums, rc, err = capscope_run(capscope, caps[0], expr)  # -Y's exit code and message
        if rc == 2 and err.startswith("capscope: display filter"):
            return "pass", ""
        return "fail", f"tshark rejects it ({rejected[0][:120]}) but capscope -Y {'accepts it' if rc == 0 else 'exits ' + str(rc) + ': ' + err}"
    if terr is not None:
        if "unknown field" in terr:
            return "skip", f"capscope's catalogue lacks a field tshark has: {terr}"
        return "fail", f"tshark accepts it but capscope rejects it: {terr}"
    for cap in caps:
        nums = table[cap][0][i]
        want = oracle[cap][0][i]
        nums = nums & oracle[cap][2]  # frames the oracle cannot see are not compared
        if nums != want:
            extra, missing = nums - want if nums else set(), want - (nums or set())
            return "fail", (f"{os.path.basename(cap)}: capscope {show(nums or set())} tshark "
                            f"{show(want)} (extra {show(extra)}; missing {show(missing)})")
    return "pass", ""


def validate_oracle(caps, rows, oracle):
    """The Lua taps must select what -Y selects: a few accepted rows, on every capture."""
    bad = []
    picked = [i for i in range(len(rows)) if oracle[caps[0]][1].get(i) is None]
    step = max(1, len(picked) // VALIDATE_ROWS)
    for i in picked[::step][:VALIDATE_ROWS]:
        for cap in caps:
            got = tshark_y(cap, rows[i])
            if got is not None and got & oracle[cap][2] != oracle[cap][0][i]:
                bad.append(f"oracle differs from tshark -Y for {rows[i]!r} on {cap}")
    return bad


def validate_table(capscope, caps, rows, table, jobs):
    """The table's frames must be what capscope -Y keeps: a few accepted rows, every capture."""
    picked = [i for i in range(len(rows)) if table[caps[0]][1].get(i) is None]
    step = max(1, len(picked) // VALIDATE_ROWS)
    work = [(i, cap) for i in picked[::step][:VALIDATE_ROWS] for cap in caps]

    def one(w):
        i, cap = w
        nums, rc, err = capscope_run(capscope, cap, rows[i])
        if rc != 0 or nums != table[cap][0][i]:
            return (f"capscope --filter-table differs from capscope -Y for {rows[i]!r} on "
                    f"{os.path.basename(cap)}: -Y {show(nums or set())} (exit {rc}) table "
                    f"{show(table[cap][0][i])}")
        return None
    with concurrent.futures.ThreadPoolExecutor(jobs) as pool:
        return [m for m in pool.map(one, work) if m], len(work)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--capscope", required=True)
    ap.add_argument("--table", required=True)
    ap.add_argument("--workdir", required=True)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("caps", nargs="+")
    a = ap.parse_args()
    rows = read_table(a.table)
    lua = os.path.join(a.workdir, "oracle.lua")
    lua_oracle(rows, lua)
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        results = list(pool.map(lambda c: tshark_oracle(c, lua, len(rows)), a.caps))
    oracle = dict(zip(a.caps, results))
    for cap in a.caps:
        total = int(subprocess.run(["capinfos", "-c", "-M", "-T", "-r", cap], capture_output=True,
                                   text=True).stdout.split()[-1])
        blind = total - len(oracle[cap][2])
        if blind:
            print(f"note: {os.path.basename(cap)}: {blind} of {total} frames end in a tshark "
                  "exception and reach no tap; they are left out of the comparison")
    problems = validate_oracle(a.caps, rows, oracle)
    for p in problems:
        print("FAIL (oracle):", p)
    tpath = os.path.join(a.workdir, "table.txt")
    with open(tpath, "w", encoding="utf-8") as f:
        f.write("".join(r + "\n" for r in rows))  # row i is line i + 1
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        table = dict(zip(a.caps, pool.map(lambda c: capscope_table(a.capscope, c, tpath,
                                                                    len(rows)), a.caps)))
    tproblems, tchecked = validate_table(a.capscope, a.caps, rows, table, a.jobs)
    for p in tproblems:
        print("FAIL (table):", p)
    print(f"capscope --filter-table against capscope -Y: {tchecked} row-captures re-run, "
          f"{len(tproblems)} differ")
    counts = {"pass": 0, "fail": len(problems) + len(tproblems), "skip": 0}
    with concurrent.futures.ThreadPoolExecutor(a.jobs) as pool:
        verdicts = list(pool.map(lambda i: check_row(a.capscope, a.caps, i, rows[i], oracle,
                                                     table), range(len(rows))))
    for expr, (verdict, msg) in zip(rows, verdicts):
        counts[verdict] += 1
        if verdict != "pass":
            print(f"{verdict.upper()}: {expr}   -- {msg}")
    print(f"{counts['pass']} passed, {counts['fail']} failed, {counts['skip']} skipped")
    sys.exit(1 if counts["fail"] else 0)


if __name__ == "__main__":
    main()
