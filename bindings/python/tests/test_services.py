"""Monitoring, the service catalog and plans (docs/monitoring.md, docs/services.md)."""
import datetime
from decimal import Decimal

import libsa
from conftest import PACKS

KANG = ("household:\n  id: kang-yumei\n  region: \"150602\"\n  area: urban\n  members:\n"
        "    - { id: m1, relation: head, birth: 1975-03-01, disability: { type: physical, grade: 4 }, income: { wages: 0 } }\n"
        "    - { id: m2, relation: spouse, birth: 1970-05-01, serious_illness: true, income: { wages: 0 } }\n"
        "  assets: { deposits: 0 }\n"
        "  attested: { assets_within_dibao_limits: true, assets_within_tekun_limits: true, "
        "assets_within_edge_limits: true, assets_within_rigid_limits: true }\n")
PLAN = ("member: m1\nstages:\n"
        "  - items: [{ item: festival_visit }, { item: deep_clean }]\n"
        "  - items: [{ item: massage, quantity: 5 }]\n"
        "  - items: [{ item: employment_link }]\n")


def test_monitor_alerts(src):
    with libsa.Engine("cn-6101", pack_path=PACKS) as eng:
        alerts = eng.monitor(src / "tests" / "data" / "monitor" / "events.yaml", "2025-09-01")
    ids = [(a.household, a.rule) for a in alerts]
    assert ids == [("xa-001", "monitor.medical_high"), ("xa-001", "monitor.revisit"),
                   ("xa-001", "monitor.visit.hospital"), ("xa-002", "monitor.review.death"),
                   ("xa-002", "monitor.review.unemployment")]
    high = alerts[0]
    assert high.action == "review" and high.due == datetime.date(2025, 10, 1)
    assert "10000.01" in high.zh and "国办发〔2023〕39号" in high.ref
    assert alerts[2].member == "m1" and alerts[2].due == datetime.date(2025, 8, 20)
    assert all(a.id and a.status == "open" and a.as_of == datetime.date(2025, 9, 1) for a in alerts)
    assert len({a.id for a in alerts}) == len(alerts)


def test_catalog_and_plan():
    with libsa.Engine("cn-150602", pack_path=PACKS) as eng:
        cat = eng.catalog()
        assert cat.budget == Decimal("1000.00")
        assert len(cat.items) > 10 and all(isinstance(i.price, (Decimal, type(None))) for i in cat.items)
        assert cat.item("massage") is not None and cat.item("no-such") is None
        assert sum(s.share for s in cat.stages) == 100
        assert '"items"' in cat.json
        rep = eng.plan_check(KANG, "2025-03-01", PLAN)
        assert rep.accepted and rep.total == Decimal("1000.00") and rep.violations == []
        # over budget: 20 massages
        bad = eng.plan_check(KANG, "2025-03-01", PLAN.replace("quantity: 5", "quantity: 20"))
        assert not bad.accepted and any(v.code == "plan.over_budget" for v in bad.violations)
        prop = eng.plan_propose(KANG, "2025-03-01", "m1", ["关怀", "基本生活", "康复", "就业"])
        assert prop["member"] == "m1" and prop["stages"]
        assert eng.plan_check(KANG, "2025-03-01", prop).accepted
