#!/usr/bin/env python3
"""The layering test (docs/architecture.md): dependencies in libsa point one way.

Usage: check_layers.py SOURCE_DIR [OBJECTS]   (OBJECTS: the library's object files, ':'-separated)

Reads the layer table of docs/architecture.md (folder -> folders it may use) and fails when
  - a file under libsa/<folder>/ includes "<other>/..." for a folder its row does not list,
    or includes a header without naming its folder;
  - a Lua header (lua.h, lauxlib.h, lualib.h) is included outside libsa/lua/;
  - a header under include/ includes anything but public headers and system headers;
  - an object file of libsa/<folder>/ calls a function defined in a folder its row does not
    list (from `nm`);
  - a folder under libsa/ has no row, or a C file under libsa/ has more than 900 lines.
"""
import os
import re
import subprocess
import sys

MAX_LINES = 900
LUA_HEADERS = {"lua.h", "lauxlib.h", "lualib.h", "luaconf.h"}


def read_table(src):
    path = os.path.join(src, "docs", "architecture.md")
    rows = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            m = re.match(r"\|\s*`libsa/([a-z_]+)/`\s*\|.*\|\s*([^|]*?)\s*\|\s*$", line)
            if m:
                uses = {u.strip() for u in m.group(2).split(",") if u.strip() not in ("", "—", "-")}
                rows[m.group(1)] = uses
    return rows


def main():
    src = sys.argv[1]
    objects = [o for o in (sys.argv[2].split(":") if len(sys.argv) > 2 else []) if o]
    rows = read_table(src)
    problems = []
    libsa = os.path.join(src, "libsa")
    if not rows:
        problems.append("docs/architecture.md: no layer table found")
    for folder in sorted(os.listdir(libsa)):
        d = os.path.join(libsa, folder)
        if not os.path.isdir(d):
            problems.append(f"libsa/{folder}: files belong in a layer folder")
            continue
        if folder not in rows:
            problems.append(f"libsa/{folder}/: no row in docs/architecture.md's layer table")
            continue
        allowed = rows[folder] | {folder}
        for name in sorted(os.listdir(d)):
            if not name.endswith((".c", ".h")):
                continue
            rel = f"libsa/{folder}/{name}"
            with open(os.path.join(d, name), encoding="utf-8") as f:
                lines = f.read().split("\n")
            if name.endswith(".c") and len(lines) - 1 > MAX_LINES:
                problems.append(f"{rel}: {len(lines) - 1} lines (at most {MAX_LINES}: split the module)")
            for n, line in enumerate(lines, 1):
                m = re.match(r'\s*#\s*include\s*([<"])([^>"]+)[>"]', line)
                if not m:
                    continue
                inc = m.group(2)
                if os.path.basename(inc) in LUA_HEADERS and folder != "lua":
                    problems.append(f"{rel}:{n}: includes {inc}: Lua is touched in libsa/lua/ only")
                if m.group(1) != '"' or inc == "sa.h" or inc.startswith("sa/"):
                    continue
                layer = inc.split("/")[0] if "/" in inc else None
                if layer is None:
                    problems.append(f'{rel}:{n}: #include "{inc}" does not name its folder ("<folder>/{inc}")')
                elif layer not in allowed:
                    problems.append(f'{rel}:{n}: #include "{inc}": libsa/{folder}/ may not use libsa/{layer}/ '
                                    f"(docs/architecture.md)")
    inc_dir = os.path.join(src, "include")
    public = set()
    for root, _, files in os.walk(inc_dir):
        for name in files:
            public.add(os.path.relpath(os.path.join(root, name), inc_dir))
    for hdr in sorted(public):
        with open(os.path.join(inc_dir, hdr), encoding="utf-8") as f:
            for n, line in enumerate(f, 1):
                m = re.match(r'\s*#\s*include\s*([<"])([^>"]+)[>"]', line)
                if not m:
                    continue
                inc = m.group(2)
                if os.path.basename(inc) in LUA_HEADERS:
                    problems.append(f"include/{hdr}:{n}: includes {inc}")
                elif m.group(1) == '"':
                    resolved = os.path.normpath(os.path.join(os.path.dirname(hdr), inc))
                    if resolved not in public and inc not in public:
                        problems.append(f'include/{hdr}:{n}: #include "{inc}" is not a public header')
    # calls, from the built objects
    defined, undefined = {}, {}
    for obj in objects:
        m = re.search(r"/libsa/([a-z_]+)/[^/]+\.o(bj)?$", obj)
        if not m:
            continue
        folder = m.group(1)
        out = subprocess.run(["nm", obj], capture_output=True, text=True, check=True).stdout
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in "TDBRC":
                defined[parts[2]] = folder
            elif len(parts) == 2 and parts[0] == "U":
                undefined.setdefault((folder, obj), set()).add(parts[1])
    for (folder, obj), syms in sorted(undefined.items()):
        allowed = rows.get(folder, set()) | {folder}
        for sym in sorted(syms):
            owner = defined.get(sym)
            if owner and owner not in allowed:
                problems.append(f"{os.path.basename(obj)} (libsa/{folder}/) calls {sym} of libsa/{owner}/")
    for p in problems:
        print(p)
    print(f"layering: {len(rows)} layers, {len(objects)} objects checked, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
