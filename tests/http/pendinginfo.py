#!/usr/bin/env python3
"""pendinginfo.py - the Info of TCP segments whose HTTP message is still being reassembled,
against tshark 4.0.

usage: pendinginfo.py CAPSCOPE PCAP...

tshark writes a message's first line into the Info before it asks for more bytes, and TCP
appends " [TCP segment of a reassembled PDU]"; it hands the bytes so far to HTTP again only
while their length is unknown (headers, chunks), so a segment of a body of known length (or
one until the FIN) keeps TCP's own Info with the note. For each frame tshark shows as TCP with
that note: if its Info is a first line (no port arrow), capscope --print's Info must be the
same text; otherwise capscope's must be its own TCP Info (not an HTTP line) with the note.
Exit 1 on any difference.
"""
import subprocess, sys, re
cap = sys.argv[1]
bad = 0
for pcap in sys.argv[2:]:
    ts = subprocess.run(['tshark', '-n', '-r', pcap, '-T', 'fields', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info'], capture_output=True, text=True).stdout.splitlines()
    cs = subprocess.run([cap, '-r', pcap, '--print'], capture_output=True, text=True).stdout.splitlines()
    for i, (t, c) in enumerate(zip(ts, cs)):
        proto, info = t.split('\t', 1)
        if proto != 'TCP' or not info.endswith('[TCP segment of a reassembled PDU]'):
            continue
        m = re.search(r' TCP len:\d+ (.*)$', c)
        ci = m.group(1) if m else None
        if '\u2192' not in info:   # the message's first line, as HTTP wrote it
            ok = ci == info
        else:                      # TCP's own Info (capscope's form), then the note
            ok = ci is not None and ci.endswith(' [TCP segment of a reassembled PDU]') and not re.match(r'(HTTP/|[A-Z-]+ \S+ HTTP/)', ci)
        if not ok:
            bad += 1; print('%s frame %d: tshark %r capscope %r' % (pcap, i + 1, info, ci))
print('pending-PDU Info differences:', bad)
sys.exit(1 if bad else 0)
