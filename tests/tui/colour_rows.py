#!/usr/bin/env python3
"""colour_rows.py FG BG - reads `tmux capture-pane -e -p` on stdin and prints the first word
(the frame number in the packet list) of every line whose text starts in foreground FG and
background BG (SGR codes, e.g. 31 40 for red on black), space-separated with a trailing space.
tmux writes a colour only where it changes, so the colours are carried from line to line."""
import re
import sys

SGR = re.compile(r"\x1b\[([0-9;]*)m")


def apply(codes, state):
    """Updates [fg, bg] with the SGR sequences found in codes."""
    for sgr in SGR.findall(codes):
        for c in (sgr or "0").split(";"):
            c = int(c or 0)
            if c == 0:
                state[0] = state[1] = None
            elif 30 <= c <= 39:
                state[0] = c
            elif 40 <= c <= 49:
                state[1] = c


def main():
    want = [int(sys.argv[1]), int(sys.argv[2])]
    state = [None, None]
    out = []
    for line in sys.stdin:
        lead = re.match(r"(?:\x1b\[[0-9;]*m)*", line).group(0)
        apply(lead, state)
        words = SGR.sub("", line[len(lead):]).split()
        if state == want and words and words[0].isdigit():
            out.append(words[0])
        apply(line[len(lead):], state)
    print("".join(w + " " for w in out), end="")


main()
