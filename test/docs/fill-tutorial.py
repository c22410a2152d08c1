#!/usr/bin/env python3
"""Fill the tutorial's marked blocks: file blocks from the files, empty output blocks by running them.
Usage: python3 test/docs/fill-tutorial.py docs/tutorial/NN-x.md ... (run from the repo root).
Output blocks that already have text are left alone (they may elide lines with `...`)."""
import os, re, subprocess, sys

def shown(src):
    src = re.sub(r'from "(\.\./)+src/index\.js"', 'from "kamaelia"', src)
    return re.sub(r'from "(\.\./)+src/(\w+)/index\.js"', r'from "kamaelia/\2"', src)

for md in sys.argv[1:]:
    lines = open(md).read().split("\n")
    out, i = [], 0
    while i < len(lines):
        m = re.match(r"^<!-- (file|output): (\S+) -->$", lines[i])
        if m and i + 1 < len(lines) and lines[i + 1].startswith("```"):
            end = lines.index("```", i + 2)
            path = os.path.join(os.path.dirname(md), m.group(2))
            body = lines[i + 2:end]
            if m.group(1) == "file":
                body = shown(open(path).read()).rstrip("\n").split("\n")
            elif not body:
                r = subprocess.run(["node", "--import", "tsx", path], capture_output=True, text=True)
                body = r.stdout.rstrip("\n").split("\n")
            out += [lines[i], lines[i + 1]] + body + ["```"]
            i = end + 1
        else:
            out.append(lines[i]); i += 1
    open(md, "w").write("\n".join(out))
