#!/usr/bin/env python3
"""Docs that stay true: every code block in README.md and docs/*.md is either run here and its
output compared (marked <!-- doc-test: NAME --> on the line before the block), or marked as an
example (<!-- example -->: illustration, not checked). A block with neither mark fails, and
so does a doc test whose output differs from the block.

Usage: check_docs.py SOURCE_DIR EMBED SA_CLI   (EMBED: examples/embed, SA_CLI: the sa command)
"""
import json
import os
import re
import subprocess
import sys


def run(cmd, cwd):
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=True).stdout


def first_json(text):
    i = text.index("\n{") + 1
    obj, end = json.JSONDecoder().raw_decode(text, i)
    return text[i:end]


def doc_tests(src, embed, cli):
    """NAME -> a function giving the text the block must hold."""
    return {
        # docs/decision.md: the example program's decision, pretty JSON
        "embed-json": lambda: first_json(run([embed], src)),
        # docs/decision.md: the schema_version a decision carries is the schema's
        "schema-version": lambda: '"schema_version": %d' % json.load(
            open(os.path.join(src, "docs", "decision.schema.json"), encoding="utf-8"))["properties"][
                "schema_version"]["const"],
        # README.md / docs: the sa command's usage
        "sa-usage": lambda: subprocess.run([cli], capture_output=True, text=True).stderr.rstrip("\n"),
    }


def main():
    src, embed, cli = sys.argv[1], sys.argv[2], sys.argv[3]
    tests = doc_tests(src, embed, cli)
    files = [os.path.join(src, "README.md")] + sorted(
        os.path.join(src, "docs", f) for f in os.listdir(os.path.join(src, "docs")) if f.endswith(".md"))
    problems, ran, examples = [], 0, 0
    for path in files:
        rel = os.path.relpath(path, src)
        lines = open(path, encoding="utf-8").read().split("\n")
        i = 0
        while i < len(lines):
            if not lines[i].startswith("```"):
                i += 1
                continue
            start = i
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"):
                j += 1
            body = "\n".join(lines[start + 1:j])
            k = start - 1
            while k >= 0 and not lines[k].strip():
                k -= 1
            mark = lines[k].strip() if k >= 0 else ""
            if rel == "README.md" and k >= 0 and lines[k].startswith("# ") and "scripts/main.sh" in body:
                # README starts with its two set-up commands; .ci/run runs the second itself
                examples += 1
                i = j + 1
                continue
            m = re.fullmatch(r"<!-- doc-test: ([a-z0-9-]+) -->", mark)
            if m:
                name = m.group(1)
                if name not in tests:
                    problems.append(f"{rel}:{start + 1}: no doc test named {name}")
                else:
                    want = tests[name]().strip("\n")
                    ran += 1
                    if want != body.strip("\n") and want not in body:
                        problems.append(f"{rel}:{start + 1}: the block differs from what doc test {name} "
                                        f"gives:\n{want}")
            elif mark == "<!-- example -->":
                examples += 1
            else:
                problems.append(f"{rel}:{start + 1}: a code block neither run by a doc test "
                                f"(<!-- doc-test: NAME -->) nor marked <!-- example -->")
            i = j + 1
    for p in problems:
        print(p)
    print(f"docs: {ran} blocks checked by running, {examples} marked as examples, {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
