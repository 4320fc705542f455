#!/usr/bin/env python3
"""colour_rows.py FG BG [--lines] - reads `tmux capture-pane -e -p` on stdin and prints the
first word (the frame number in the packet list) of every line whose text starts in
foreground FG and background BG (SGR codes, e.g. 31 40 for red on black; BG "-" for any),
space-separated with a trailing space; with --lines, those lines' whole text, one a line.
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
            elif 30 <= c <= 37:
                state[0] = c
            elif 40 <= c <= 49:
                state[1] = c
            elif c == 39:
                state[0] = None


def main():
    fg = int(sys.argv[1])
    bg = None if sys.argv[2] == "-" else int(sys.argv[2])
    lines = "--lines" in sys.argv[3:]
    state = [None, None]
    out = []
    for line in sys.stdin:
        lead = re.match(r"(?:\x1b\[[0-9;]*m)*", line).group(0)
        apply(lead, state)
        text = SGR.sub("", line[len(lead):]).rstrip()
        words = text.split()
        if state[0] == fg and (bg is None or state[1] == bg):
            if lines:
                print(text)
            elif words and words[0].isdigit():
                out.append(words[0])
        apply(line[len(lead):], state)
    print("".join(w + " " for w in out), end="")


main()
