"""Service orders from Python (libsa.orders): the chain, refusals that change nothing, the
yearly budget against orders already placed, ratings over a window, a journal cut short.
Catalog: cn-150602 (东胜区, 1000 yuan per person per year)."""
from decimal import Decimal

import pytest

from libsa import Engine, SaError
from libsa.orders import OrderBook


@pytest.fixture
def book(packs):
    with Engine("cn-150602", pack_path=packs) as eng:
        with OrderBook(eng) as b:
            yield b


def test_chain_and_refusals(book):
    rec = book.apply({"event": "apply", "at": "2025-03-01T09:00", "household": "h1", "member": "m1",
                      "item": "massage", "quantity": 2})
    assert rec == {"event": "apply", "order": "O000001", "at": "2025-03-01T09:00:00", "household": "h1",
                   "member": "m1", "item": "massage", "quantity": 2}
    o = book.order("O000001", today="2025-03-09")
    assert o["amount"] == Decimal("160.00") and o["amount_fen"] == 16000
    assert o["next"] == {"step": "order", "zh": "点单", "due": "2025-03-08", "overdue": True}
    with pytest.raises(SaError):
        book.apply({"event": "serve", "order": "O000001", "at": "2025-03-02"})
    assert book.order("O000001")["state"] == "applied"
    for ev in ({"event": "order"}, {"event": "dispatch", "provider": "p1"}, {"event": "reject"},
               {"event": "dispatch", "provider": "p2"}, {"event": "accept"}, {"event": "serve"},
               {"event": "follow_up", "score": 5}):
        book.apply(dict(ev, order="O000001", at="2025-03-05"))
    o = book.order("O000001")
    assert o["state"] == "followed_up" and o["provider"] == "p2" and o["score"] == 5
    assert [h["step"] for h in o["history"]] == ["apply", "order", "dispatch", "reject", "dispatch", "accept",
                                                 "serve", "follow_up"]


def test_budget(book):
    book.apply({"event": "apply", "at": "2025-01-05", "household": "h", "member": "m", "item": "massage",
                "quantity": 10})
    book.apply({"event": "apply", "at": "2025-02-05", "household": "h", "member": "m", "item": "deep_clean",
                "quantity": 2})
    assert book.spent("h", "m", 2025) == (Decimal("1000.00"), Decimal("1000.00"))
    with pytest.raises(SaError, match="超出年度预算"):
        book.apply({"event": "apply", "at": "2025-03-05", "household": "h", "member": "m", "item": "haircut"})
    assert book.ids() == ["O000001", "O000002"]


def test_rating_and_journal(book):
    lines = []
    for n, (day, score) in enumerate([("2025-01-10", 5), ("2025-02-10", 5), ("2025-03-10", 4)]):
        oid = f"R{n}"
        lines.append({"event": "apply", "order": oid, "at": day, "household": f"h{n}", "member": "m",
                      "item": "haircut"})
        for step in ("order", "dispatch", "accept", "serve"):
            lines.append({"event": step, "order": oid, "at": day, "provider": "p"})
        lines.append({"event": "follow_up", "order": oid, "at": day, "score": score})
    import json
    text = "\n".join(json.dumps(x) for x in lines) + '\n{"event":"order","order":"X","at":"2025-03-0'
    book.replay(text, "j.jsonl")
    probs = book.problems
    assert len(probs) == 1 and probs[0].truncated and probs[0].line == len(lines) + 1
    r = book.rating("p", "2025-01-01", "2025-03-31")
    assert r.light == "green" and r.average == Decimal("4.67") and r.scores == 3
