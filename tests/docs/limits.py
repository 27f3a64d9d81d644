#!/usr/bin/env python3
"""Print the hostile-input limits of libsa/core/limits.h in the units the docs use, one a line
(NAME VALUE UNIT), for <!-- check: python3 tests/docs/limits.py --> in docs (docs/README.md)."""
import os
import re

SRC = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
for line in open(os.path.join(SRC, "libsa", "core", "limits.h"), encoding="utf-8"):
    m = re.match(r"#define (SA_\w+) +\(?(?:\(\w+\))?(\d+)(?:[uU]?L*)?(?: << (\d+))?\)?(\w*)", line)
    if not m:
        continue
    name, n, shift = m.group(1), int(m.group(2)), int(m.group(3) or 0)
    value = n << shift
    if name.endswith("_MS"):
        print(f"{name} {value} ms")
    elif shift or name in ("SA_FILE_MAX",) or value >= 1 << 20 and "BYTES" in name:
        for unit, size in (("MiB", 1 << 20), ("KiB", 1 << 10)):
            if value % size == 0:
                print(f"{name} {value // size} {unit} ({value} bytes)")
                break
        else:
            print(f"{name} {value} bytes")
    elif "_FEN_" in name:
        print(f"{name} {value} fen = {value // 100}.{value % 100:02d} yuan")
    else:
        print(f"{name} {value}")
