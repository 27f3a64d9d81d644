#!/usr/bin/env python3
"""Every decision libsa writes matches docs/decision.schema.json.

Usage: check_decisions.py SOURCE_DIR SA_CLI
Evaluates every sample household (samples/<pack>/households.yaml on the date in DATE) with
`sa eval --format json`, validates each decision against the schema, and checks that
schema_version is the one the schema fixes.
"""
import json
import os
import subprocess
import sys

import jsonschema


def decisions(text):
    dec, i = json.JSONDecoder(), 0
    while True:
        while i < len(text) and text[i].isspace():
            i += 1
        if i >= len(text):
            return
        obj, i = dec.raw_decode(text, i)
        yield obj


def main():
    src, cli = sys.argv[1], sys.argv[2]
    with open(os.path.join(src, "docs", "decision.schema.json"), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    want = schema["properties"]["schema_version"]["const"]
    n, bad = 0, 0
    samples = os.path.join(src, "samples")
    for pack in sorted(os.listdir(samples)):
        with open(os.path.join(samples, pack, "DATE"), encoding="utf-8") as f:
            date = f.read().strip()
        out = subprocess.run([cli, "eval", "--pack", pack, "--date", date, "--format", "json", "--pack-path",
                              os.path.join(src, "policies"), os.path.join(samples, pack, "households.yaml")],
                             capture_output=True, text=True, check=True).stdout
        for d in decisions(out):
            n += 1
            errors = sorted(validator.iter_errors(d), key=lambda e: list(e.path))
            if d.get("schema_version") != want:
                errors.append(f"schema_version {d.get('schema_version')!r}, the schema fixes {want}")
            for e in errors:
                bad += 1
                where = "/".join(str(p) for p in getattr(e, "path", []))
                print(f"{pack} {d.get('household')}: {where}: {getattr(e, 'message', e)}")
    print(f"decision schema: {n} decisions checked, {bad} problem(s)")
    return 1 if bad or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
