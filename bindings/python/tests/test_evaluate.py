"""Evaluation, typed results and errors against the shipped packs."""
import datetime
import json
import os
import re
from decimal import Decimal

import pytest

import libsa
from conftest import DATE, PACKS


def test_found_without_sa_library():
    # test.sh runs these in a venv with pip-installed libsa and no SA_LIBRARY: the library
    # was found through pkg-config or the loader.
    if os.environ.get("SA_PYTHON_INSTALLED"):
        assert "SA_LIBRARY" not in os.environ
        assert "site-packages" in libsa.__file__
    assert re.fullmatch(r"\d+\.\d+\.\d+", libsa.version())


def test_dibao_gap_typed(src):
    # 云民发〔2025〕40号: urban 低保 744; three people, counted income 1000: 744 × 3 − 1000 = 1232.
    with libsa.Engine("cn-53", pack_path=PACKS) as eng, \
            libsa.Household.from_file(src / "samples" / "cn-53" / "yn-dibao-002.json") as hh:
        d = eng.evaluate(hh, DATE)
        assert isinstance(d, libsa.Decision)
        assert (d.household, d.pack, d.tier, d.circle) == ("yn-dibao-002", "cn-53", "dibao", 2)
        assert d.as_of == datetime.date(2025, 8, 1)
        assert d.pack_hash == eng.pack_hash
        dibao = d.program("dibao")
        assert dibao.status == "eligible" and dibao.eligible
        assert dibao.amount == Decimal("1232.00") and isinstance(dibao.amount, Decimal)
        gap = next(r for r in dibao.reasons if r.id == "dibao.amount.gap")
        assert "第二十三条" in gap.ref
        std = next(p for p in gap.params if p.name == "dibao.standard_urban")
        assert (std.value, std.since, std.pack) == ("744", datetime.date(2025, 7, 1), "cn-53")
        assert '"amount":"1232.00"' in d.json
        # the margin: 1000 < 744 × 3 = 2232, so 1232.00 more income flips the 低保 income test
        m = dibao.margin
        assert (m.test, m.basis, m.direction, m.amount, m.value, m.op, m.limit, m.passes) == \
            ("dibao.income", "income", "up", Decimal("1232.00"), Decimal("1000.00"), "<", Decimal("2232.00"), True)
        assert m.member is None and m.candidates == []
        # 特困 per person (特困人员认定办法 第六条（一）): m2 and m3 have no income of their own,
        # each 744.00 below the standard; the nearest (first on a tie) names the program's margin
        t = d.program("tekun").margin
        assert (t.test, t.basis, t.member, t.amount, t.other_conditions) == \
            ("tekun.income", "own_income", "m2", Decimal("744.00"), True)
        assert [(c.member, c.direction, c.amount, c.value, c.limit, c.passes) for c in t.candidates] == \
            [("m2", "up", Decimal("744.00"), Decimal("0.00"), Decimal("744.00"), True),
             ("m3", "up", Decimal("744.00"), Decimal("0.00"), Decimal("744.00"), True)]
        # a dict and the text evaluate the same
        obj = json.loads((src / "samples" / "cn-53" / "yn-dibao-002.json").read_text(encoding="utf-8"))
        assert eng.evaluate(obj, DATE).json == d.json


def test_tekun_built_in_code():
    # 云民发〔2025〕40号: 特困 basic living at least 1.3 × 744 = 967.2, published 968.
    eng = libsa.Engine("cn-53", pack_path=PACKS)
    hh = libsa.Household("py-1", "530102", "urban")
    hh.add_member("m1", "head", "1950-01-01")
    for act in ("eating", "dressing", "bed_transfer", "toileting", "indoor_walking", "bathing"):
        hh.set(f"members.0.self_care.{act}", True)
    hh.set("members.0.income.wages", 0).set("members.0.support_mode", "home")
    for k in ("tekun", "dibao", "edge"):
        hh.set(f"attested.assets_within_{k}_limits", True)
    d = eng.evaluate(hh, datetime.date(2025, 8, 1))
    tk = d.program("tekun")
    assert d.tier == "tekun" and tk.parts["basic"] == Decimal("968.00") and tk.care_level == "self"
    assert tk.members == ["m1"]
    # no reasons asked for: the same outcome
    lean = eng.evaluate(hh, DATE, reasons=False)
    assert lean.tier == d.tier and lean.program("tekun").amount == tk.amount and lean.program("tekun").reasons == []
    assert "特困" in eng.evaluate_text(hh, DATE)
    eng.close()
    with pytest.raises(ValueError):
        eng.evaluate(hh, DATE)


def test_period_across_the_july_raise(src):
    # 1232 a month from July (744); June under 735: 735 × 3 − 1000 = 1205. June + July = 2437.
    with libsa.Engine("cn-53", pack_path=PACKS) as eng:
        hh = libsa.Household.from_file(src / "samples" / "cn-53" / "yn-dibao-002.json")
        p = eng.period(hh, "dibao", "2025-06-01", 2)
        assert (p.status, p.total, p.months_eligible, p.unknown_month) == ("eligible", Decimal("2437.00"), 2, None)


def test_errors_carry_position():
    with pytest.raises(libsa.SaError) as ei:
        libsa.parse_households("household:\n  id: x\n  region: '530102'\n  area: town\n", "bad.yaml")
    e = ei.value
    assert (e.code, e.source, e.line, e.column) == (libsa.SA_EINVALID, "bad.yaml", 4, 9)
    assert "area" in e.message
    # the Chinese beside the English (libsa's catalog, sa_message_zh), arguments carried over
    assert e.message == "field 'area': 'town' is not one of: urban, rural", e.message
    assert e.message_zh == "字段 'area'：'town' 不是以下之一：urban, rural", e.message_zh
    hh = libsa.Household("py-2", "530102", "urban")
    hh.add_member("m1", "head", "1990-01-01")
    with pytest.raises(libsa.SaError):
        hh.set("members.0.income.wages", "-5")
    with pytest.raises(libsa.SaError) as ei:
        libsa.Engine("cn-99", pack_path=PACKS)
    assert ei.value.code == libsa.SA_ENOTFOUND
    assert ei.value.message_zh != ei.value.message and "cn-99" in ei.value.message_zh, ei.value.message_zh
    with libsa.Engine("cn-53", pack_path=PACKS) as eng:
        with pytest.raises(libsa.SaError) as ei:
            eng.evaluate(hh, "2025-02-30")
        assert ei.value.code == libsa.SA_EINVALID


def test_reload_keeps_old_pack_on_error():
    with libsa.Engine("cn-53", pack_path=PACKS) as eng:
        h = eng.pack_hash
        with pytest.raises(libsa.SaError):
            eng.reload("cn-99")
        assert eng.pack_hash == h and eng.pack == "cn-53"
        assert eng.reload() == h
