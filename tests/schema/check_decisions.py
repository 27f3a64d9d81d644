#!/usr/bin/env python3
"""Every decision libsa writes matches docs/decision.schema.json.

Usage: check_decisions.py SOURCE_DIR SA_CLI [SA_GEN]
Evaluates every sample household (samples/<pack>/households.yaml on the date in DATE) with
`sa eval --format jsonl`, households with a hardship under the services fixture (temporary,
special and the "services" section), and, given sa-gen, 500 generated households screened with
`sa screen` (no reasons); validates each decision against the schema and checks that
schema_version is the one the schema fixes.
"""
import json
import os
import subprocess
import sys
import tempfile

import jsonschema


HARDSHIP = """households:
  - id: t1
    region: "990000"
    area: urban
    hardship: { kind: expense, cause: medical, months: 4 }
    members:
      - { id: m1, relation: head, birth: 1970-01-01, income: { wages: "500" } }
      - { id: m2, relation: spouse, birth: 1972-01-01, income: {} }
      - { id: m3, relation: child, birth: 2012-01-01 }
  - id: t2
    region: "990000"
    area: urban
    hardship: { kind: urgent, severity: mild }
    members:
      - { id: m1, relation: head, birth: 1980-01-01, income: {} }
  - id: t3
    region: "990000"
    area: rural
    hardship: { kind: urgent, severity: serious }
    members:
      - { id: m1, relation: head, birth: 1950-01-01 }
"""


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
        out = subprocess.run([cli, "eval", "--pack", pack, "--date", date, "--format", "jsonl", "--pack-path",
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
    runs = []
    fixture = os.path.join(src, "policies") + ":" + os.path.join(src, "tests", "data", "services")
    with tempfile.TemporaryDirectory() as tmp:
        hard = os.path.join(tmp, "hardship.yaml")
        with open(hard, "w", encoding="utf-8") as f:
            f.write(HARDSHIP)
        for date in ("2025-03-01", "2025-08-01"):
            runs.append(("cn-99", [cli, "eval", "--pack", "cn-99", "--date", date, "--format", "jsonl", "--pack-path",
                                   fixture, hard]))
        if len(sys.argv) > 3 and os.access(sys.argv[3], os.X_OK):  # sa-gen, when bench/ is built
            reg = os.path.join(tmp, "registry.jsonl")
            with open(reg, "w", encoding="utf-8") as f:
                subprocess.run([sys.argv[3], "--count", "500", "--pack", "cn-53", "--pack-path",
                                os.path.join(src, "policies")], stdout=f, check=True)
            runs.append(("cn-53 screen", [cli, "screen", "--pack", "cn-53", "--date", "2025-08-01", "--pack-path",
                                          os.path.join(src, "policies"), "--summary", os.path.join(tmp, "summary.txt"), reg]))
        for label, cmd in runs:
            out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
            for d in decisions(out):
                n += 1
                errors = list(validator.iter_errors(d))
                if d.get("schema_version") != want:
                    errors.append(f"schema_version {d.get('schema_version')!r}")
                for e in errors:
                    bad += 1
                    print(f"{label} {d.get('household')}: {getattr(e, 'message', e)}")
    print(f"decision schema: {n} decisions checked, {bad} problem(s)")
    return 1 if bad or n == 0 else 0


if __name__ == "__main__":
    sys.exit(main())
