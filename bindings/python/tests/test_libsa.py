"""Tests of the Python binding against the shipped packs (run by ctest with SA_LIBRARY and
SA_SOURCE_DIR set)."""
import os
import sys
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
import libsa  # noqa: E402

SRC = os.environ.get("SA_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", "..", ".."))
PACKS = os.path.join(SRC, "policies")


def program(decision, name):
    return next(p for p in decision["programs"] if p["program"] == name)


class BindingTest(unittest.TestCase):
    def test_yunnan_2025_tekun_968(self):
        # 云民发〔2025〕40号: 特困 basic living ≥ 1.3 × 744 = 967.2, published 968.
        eng = libsa.Engine("cn-53", PACKS)
        hh = libsa.Household("py-1", "530102", "urban")
        hh.add_member("m1", "head", "1950-01-01")
        for act in ("eating", "dressing", "bed_transfer", "toileting", "indoor_walking", "bathing"):
            hh.set(f"members.0.self_care.{act}", "true")
        hh.set("members.0.income.wages", "0")
        hh.set("members.0.support_mode", "home")
        hh.set("attested.assets_within_tekun_limits", "true")
        hh.set("attested.assets_within_dibao_limits", "true")
        hh.set("attested.assets_within_edge_limits", "true")
        d = eng.evaluate(hh, "2025-08-01")
        self.assertEqual(d["tier"], "tekun")
        self.assertEqual(d["pack_hash"], eng.pack_hash)
        tk = program(d, "tekun")
        self.assertEqual(tk["status"], "eligible")
        self.assertTrue(tk["amount_fen"] >= 96800, tk)

    def test_samples_parse_and_evaluate(self):
        eng = libsa.Engine("cn-53", PACKS)
        hhs = libsa.read_households(os.path.join(SRC, "samples", "cn-53", "households.yaml"))
        self.assertEqual(len(hhs), 2)
        d = eng.evaluate(hhs[1], "2025-08-01")
        self.assertEqual(program(d, "dibao")["amount"], "1232.00")  # 744 × 3 − 1000

    def test_errors_carry_position(self):
        with self.assertRaises(libsa.SaError) as cm:
            libsa.parse_households("household:\n  id: x\n  region: '530102'\n  area: town\n", "bad.yaml")
        e = cm.exception
        self.assertEqual((e.source, e.line, e.column), ("bad.yaml", 4, 9))
        self.assertIn("area", e.message)
        hh = libsa.Household("py-2", "530102", "urban")
        hh.add_member("m1", "head", "1990-01-01")
        with self.assertRaises(libsa.SaError):
            hh.set("members.0.income.wages", "-5")
        with self.assertRaises(libsa.SaError) as cm:
            libsa.Engine("cn-99", PACKS)
        self.assertEqual(cm.exception.code, -3)  # SA_ENOTFOUND


if __name__ == "__main__":
    unittest.main()
