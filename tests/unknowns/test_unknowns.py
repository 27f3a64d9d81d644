"""Three-valued logic of the national rules (issue 13 point 8), for every parameter cn declares.

For each parameter P, a pack extending cn-test states P as unknown (`value: null`) from 2000 on.
Every household of a seeded sample (bench/sa-gen output, passed as SA_SAMPLE) and of the
hand-made list below is evaluated with and without P. A decision made without P must be the
decision made with it: a program decided (eligible / ineligible) without P has the same status
with P, an amount given without P is the same amount, and a program that is undetermined
without P but decided with it names something missing. Run by ctest with SA_LIBRARY,
SA_SOURCE_DIR and SA_SAMPLE set."""
import json
import os
import re
import shutil
import sys
import tempfile
import unittest

SRC = os.environ.get("SA_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(SRC, "bindings", "python"))
import libsa  # noqa: E402

DATES = ("2025-08-01", "2021-03-01")
# cn-test's window with two 刚性支出 tests (内蒙古 2024-like: 70 % of all kinds, or 60 % of medical +
# accident): the rigid.* parameters are also checked on this date
TWO_TESTS = "2029-03-01"


def dates_for(name):
    return DATES + (TWO_TESTS,) if name.startswith("rigid.") else DATES


def declared_params():
    names = []
    for rel in ("policies/cn/params.yaml", "policies/cn/params/temporary.yaml"):
        with open(os.path.join(SRC, rel), encoding="utf-8") as f:
            for line in f:
                m = re.match(r"^  ([a-z_]+(?:\.[a-z_]+)+):\s*$", line)
                if m:
                    names.append(m.group(1))
    return names


def sample_households():
    out = []
    path = os.environ.get("SA_SAMPLE") or os.path.join(SRC, "tests", "unknowns", "sample.jsonl")
    if path and os.path.exists(path):
        with open(path, encoding="utf-8") as f:
            for line in f:
                line = line.strip()
                if line.startswith("{"):
                    hh = json.loads(line)
                    hh["region"] = "990101"
                    out.append(hh)
    # hand-made: rural tiered/gap, pension, supporters, rigid, hardship, orphan
    base = {"region": "990101", "attested": {"assets_within_tekun_limits": True, "assets_within_dibao_limits": True,
            "assets_within_edge_limits": True, "assets_within_rigid_limits": True}}
    sc = {k: True for k in ("eating", "dressing", "bed_transfer", "toileting", "indoor_walking", "bathing")}
    out += [
        dict(base, id="u-rural", area="rural", dibao_tier="B", members=[
            {"id": "m1", "relation": "head", "birth": "1960-05-01", "income": {"wages": "200", "basic_pension_central": "150"},
             "self_care": sc, "support_mode": "home"},
            {"id": "m2", "relation": "grandchild", "birth": "2012-01-01", "income": {}, "orphan_status": "de_facto"}]),
        dict(base, id="u-urban-sup", area="urban", rigid_spending={"medical": "30000"},
             supporters=[{"relation": "child", "birth": "1950-01-01", "income": "900", "assets_within_low_income_limits": True}],
             hardship={"kind": "expense", "months": 4, "spending": "9000"},
             members=[{"id": "m1", "relation": "head", "birth": "1930-01-01", "income": {"pension": "100"}, "self_care": sc},
                      {"id": "m2", "relation": "child", "birth": "1962-01-01", "income": {"wages": "3000"},
                       "employment_costs": "100"}]),
        dict(base, id="u-elder-couple", area="urban", members=[
            {"id": "m1", "relation": "head", "birth": "1950-01-01", "income": {"basic_pension_central": "150"}, "self_care": sc},
            {"id": "m2", "relation": "spouse", "birth": "1952-01-01", "income": {}, "self_care": sc}]),
        dict(base, id="u-rich", area="urban", rigid_spending={}, members=[
            {"id": "m1", "relation": "head", "birth": "1980-01-01", "income": {"wages": "9000", "basic_pension_central": "150"}}]),
        # 2029 two-test window: wages 2000 a month = 24000 a year (70 % = 16800, 60 % = 14400)
        dict(base, id="u-rigid-medical", area="urban", rigid_spending={"medical": "15000"},
             members=[{"id": "m1", "relation": "head", "birth": "1980-01-01", "income": {"wages": "2000"}}]),
        dict(base, id="u-rigid-accident", area="urban", rigid_spending={"other": "14401"},
             members=[{"id": "m1", "relation": "head", "birth": "1980-01-01", "income": {"wages": "2000"}}]),
        dict(base, id="u-rigid-education", area="urban", rigid_spending={"education": "15000"},
             members=[{"id": "m1", "relation": "head", "birth": "1980-01-01", "income": {"wages": "2000"}}]),
        dict(base, id="u-rigid-mixed", area="urban", rigid_spending={"medical": "10000", "education": "8000"},
             members=[{"id": "m1", "relation": "head", "birth": "1980-01-01", "income": {"wages": "2000"}}]),
        dict(base, id="u-rigid-low", area="urban", rigid_spending={"medical": "5000"},
             members=[{"id": "m1", "relation": "head", "birth": "1980-01-01", "income": {"wages": "2000"}}]),
        dict(base, id="u-urgent", area="urban", hardship={"kind": "urgent", "severity": "serious", "months": 2},
             members=[{"id": "m1", "relation": "head", "birth": "1980-01-01", "income": {"wages": "1000"}}]),
    ]
    return out


def overlay(tmp, name, idx):
    pid = "cn-test-u%d" % idx
    d = os.path.join(tmp, pid)
    os.makedirs(d)
    with open(os.path.join(d, "pack.yaml"), "w", encoding="utf-8") as f:
        f.write("id: %s\ntitle: unknown %s\nregion: \"990000\"\nextends: cn-test\nversion: \"t\"\n" % (pid, name))
    with open(os.path.join(d, "params.yaml"), "w", encoding="utf-8") as f:
        f.write("params:\n  %s:\n    values:\n      - from: 2000-01-01\n        value: null\n"
                "        ref: unknown on purpose (tests/unknowns)\n" % name)
    return pid


class UnknownsTest(unittest.TestCase):
    def test_decided_without_a_parameter_means_decided_with_it(self):
        tmp = tempfile.mkdtemp(prefix="sa-unknowns-")
        try:
            path = os.path.join(SRC, "policies") + ":" + tmp
            names = declared_params()
            self.assertGreater(len(names), 50)
            hhs = [libsa.parse_households(json.dumps({"household": h}), h["id"])[0] for h in sample_households()]
            known = libsa.Engine("cn-test", path)
            base = {}
            for i, h in enumerate(hhs):
                for d in DATES + (TWO_TESTS,):
                    try:
                        base[(i, d)] = known.evaluate(h, d)
                    except libsa.SaError:  # a member born after that date
                        pass
            checked, decided_without, bad = 0, 0, []
            for k, name in enumerate(names):
                eng = libsa.Engine(overlay(tmp, name, k), path)
                for i, h in enumerate(hhs):
                    for d in dates_for(name):
                        b = base.get((i, d))
                        if b is None:
                            continue
                        u = eng.evaluate(h, d)
                        for pu in u["programs"]:
                            pb = next(p for p in b["programs"] if p["program"] == pu["program"])
                            where = "%s unknown, household %d, %s, %s" % (name, i, d, pu["program"])
                            checked += 1
                            if pu["status"] != "undetermined":
                                decided_without += 1
                                if pu["status"] != pb["status"]:
                                    bad.append("%s: %s without it, %s with it" % (where, pu["status"], pb["status"]))
                                elif pu["amount_fen"] is not None and pu["amount_fen"] != pb["amount_fen"]:
                                    bad.append("%s: amount %s without it, %s with it" % (where, pu["amount"], pb["amount"]))
                            elif pb["status"] != "undetermined" and not pu["missing"]:
                                bad.append(where + ": undetermined without naming what is missing")
            kinds = sorted(set(re.sub(r"household \d+, [0-9-]+, ", "", b) for b in bad))
            self.maxDiff = None
            self.assertEqual(kinds, [], "%d contradictions (%d kinds)" % (len(bad), len(kinds)))
            self.assertGreater(decided_without, checked // 2)
        finally:
            shutil.rmtree(tmp)


if __name__ == "__main__":
    unittest.main()
