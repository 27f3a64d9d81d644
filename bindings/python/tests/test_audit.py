"""Explain, what-if and the decision log (include/sa/audit.h). A build without the audit
modules answers "not available in this build yet": the tests then skip."""
import pytest

import libsa
from conftest import DATE, PACKS


def _pending(e):
    return "not available in this build yet" in str(e)


def test_explain_and_whatif(src):
    with libsa.Engine("cn-53", pack_path=PACKS) as eng:
        hh = libsa.Household.from_file(src / "samples" / "cn-53" / "yn-dibao-002.json")
        try:
            text = eng.explain(hh, DATE, lang="both")
        except libsa.SaError as e:
            if _pending(e):
                pytest.skip("sa_explain not in this build yet")
            raise
        assert "1232" in text and "744" in text
        html = eng.explain(hh, DATE, format="html")
        assert html.lstrip().lower().startswith("<!doctype html")
        w = eng.whatif(hh, DATE, {"members.m1.income.wages": "1300"})
        # 744 × 3 − 1300 = 932
        assert any(x["field"] == "programs.dibao.amount" and x["before"] == "1232.00" and x["after"] == "932.00"
                   for x in w["diff"])


def test_decision_log(src, tmp_path):
    path = tmp_path / "decisions.log"
    with libsa.Engine("cn-53", pack_path=PACKS) as eng:
        hh = libsa.Household.from_file(src / "samples" / "cn-53" / "yn-dibao-002.json")
        try:
            log = libsa.DecisionLog(path)
        except libsa.SaError as e:
            if _pending(e):
                pytest.skip("sa_log_open not in this build yet")
            raise
        with log:
            for _ in range(3):
                eng.evaluate(hh, DATE, log=log)
            assert log.last_seq is not None
    v = libsa.verify_log(path)
    assert v.ok and v.records == 3 and v.bad_line == 0
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("1232.00", "1332.00")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bad = libsa.verify_log(path)
    assert not bad.ok and bad.bad_line == 2
