#!/usr/bin/env python3
"""Every message format of libsa/ and cli/ has a zh-CN entry in libsa/core/i18n_zh.inc.

Message formats are the string literals given to the functions that produce messages:
sa__error / sa__error_at (library errors), finding (lint), note (golden tests), cli_say / cli_usage_error /
cli_fail / cli_text (the sa command) and the descriptions of the command table. A format
made only of conversions ("%s") carries no text of its own, and one already written in
Chinese and English needs no entry.
Usage: i18n_check.py SOURCE_DIR [--list]   (--list prints the formats without entry)
"""
import os
import re
import sys

# function name -> number of arguments before the format
CALLS = {"sa__error": 1, "sa__error_at": 4, "finding": 6, "note": 1, "cli_say": 1, "cli_fail": 1, "cli_usage_error": 1,
         "fail": 2, "bad": 2, "luaL_error": 1}
LIT = re.compile(r'"((?:[^"\\\n]|\\.)*)"')


def c_unescape(s):
    out, i = [], 0
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            n = s[i + 1]
            out.append({"n": "\n", "t": "\t", '"': '"', "\\": "\\", "'": "'"}.get(n, "\\" + n))
            i += 2
        else:
            out.append(c)
            i += 1
    return "".join(out)


def split_args(text, start):
    """Arguments of the call whose '(' is at text[start]; returns list of raw arg texts."""
    depth, i, args, cur = 0, start, [], []
    while i < len(text):
        c = text[i]
        if c == '"' or c == "'":
            j = i + 1
            while j < len(text) and text[j] != c:
                j += 2 if text[j] == "\\" else 1
            cur.append(text[i:j + 1])
            i = j + 1
            continue
        if c in "([{":
            depth += 1
            if depth == 1 and c == "(":
                i += 1
                continue
        elif c in ")]}":
            depth -= 1
            if depth == 0:
                args.append("".join(cur))
                return args
        elif c == "," and depth == 1:
            args.append("".join(cur))
            cur = []
            i += 1
            continue
        cur.append(c)
        i += 1
    return args


def literal(arg):
    arg = arg.strip()
    parts = LIT.findall(arg)
    if not parts or not arg.startswith('"'):
        return None
    rest = LIT.sub("", arg).strip()
    if rest:
        return None
    return c_unescape("".join(parts))


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", lambda m: "\n" * m.group(0).count("\n"), text, flags=re.S)
    return re.sub(r"//[^\n]*", "", text)


def formats(src):
    found = {}
    for top in ("libsa", "cli"):
        for root, _, files in os.walk(os.path.join(src, top)):
            for f in sorted(files):
                if not f.endswith(".c"):
                    continue
                path = os.path.join(root, f)
                text = strip_comments(open(path, encoding="utf-8").read())
                for m in re.finditer(r"\b(" + "|".join(CALLS) + r")\s*\(", text):
                    name = m.group(1)
                    before = text[max(0, m.start() - 30):m.start()]
                    if re.search(r"(static|int|void)\s+$", before):
                        continue  # a definition or prototype
                    args = split_args(text, m.end() - 1)
                    k = CALLS[name]
                    if len(args) <= k:
                        continue
                    fmt = literal(args[k])
                    if fmt is None:
                        continue
                    line = text.count("\n", 0, m.start()) + 1
                    found.setdefault(fmt, "%s:%d" % (os.path.relpath(path, src), line))
                # the command table of cli/sa.c: the description is the last string of an entry
                for m in re.finditer(r'\{\s*"\w+",\s*cmd_\w+,(.*?)\},\n', text, flags=re.S):
                    lits = re.findall(r'"((?:[^"\\\n]|\\.)*)"\s*$', m.group(1).strip(), flags=re.S)
                    args = split_args("(" + m.group(1) + ")", 0)
                    lits = [literal(a) for a in args if literal(a) is not None]
                    fmt = lits[-1] if lits else None
                    if fmt:
                        found.setdefault(fmt, "%s:%d" % (os.path.relpath(path, src), text.count("\n", 0, m.start()) + 1))
    return found


def text_only(fmt):
    return re.sub(r"%[-+ #0-9.*]*[hlLqjzt]*[a-zA-Z%]", "", fmt).strip(" :;,.()'/\n") != ""


def catalog(src):
    text = strip_comments(open(os.path.join(src, "libsa", "core", "i18n_zh.inc"), encoding="utf-8").read())
    entries = {}
    for m in re.finditer(r"\{\s*((?:\"(?:[^\"\\\n]|\\.)*\"\s*)+),\s*((?:\"(?:[^\"\\\n]|\\.)*\"\s*)+)\}", text):
        en = c_unescape("".join(LIT.findall(m.group(1))))
        zh = c_unescape("".join(LIT.findall(m.group(2))))
        entries[en] = zh
    return entries


def nconv(fmt):
    return len(re.findall(r"%[-+ #0-9.*]*[hlLqjzt]*[a-zA-Z]", fmt.replace("%%", "")))


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else "."
    fm = formats(src)
    cat = catalog(src)
    bad = 0
    for fmt, where in sorted(fm.items(), key=lambda x: x[1]):
        if not text_only(fmt) or re.search(r"[\u4e00-\u9fff]", fmt):
            continue  # nothing to translate, or already written in zh-CN with English
        if fmt not in cat:
            bad += 1
            if "--list" in sys.argv:
                print('\t{ %s,\n\t  "" },' % ('"' + fmt.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'))
            else:
                print("%s: no zh-CN entry in libsa/core/i18n_zh.inc for %r" % (where, fmt))
    for en, zh in cat.items():
        n = nconv(en)
        used = set(int(x) for x in re.findall(r"\{(\d+)\}", zh))
        if any(u < 1 or u > n for u in used):
            bad += 1
            print("libsa/core/i18n_zh.inc: %r: the zh-CN text uses an argument the format does not have" % en)
        if re.search(r"[A-Za-z]{2}", re.sub(r"%[-+ #0-9.*]*[hlLqjzt]*[a-zA-Z%]", "", en)) and \
                not re.search(r"[\u4e00-\u9fff]", zh):
            bad += 1
            print("libsa/core/i18n_zh.inc: %r: the zh-CN text has no Chinese" % en)
    print("%d message formats, %d catalog entries, %d problems" % (len(fm), len(cat), bad))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
