"""Service orders as records (include/sa/orders.h, docs/services.md "Orders as records").

    from libsa import Engine
    from libsa.orders import OrderBook

    with Engine("cn-150602", pack_path="policies") as eng:
        with OrderBook(eng) as book:               # copies the catalog: outlives reloads
            book.replay_file("orders.jsonl")       # problems: book.problems
            rec = book.apply({"event": "apply", "at": "2025-03-01", "household": "h1",
                              "member": "m1", "item": "deep_clean"})
            book.order("O000001", today="2025-03-09")   # the record as a dict

Money comes back as decimal.Decimal (`amount`), beside the integer `amount_fen`.
"""
import ctypes
import json
from dataclasses import dataclass
from decimal import Decimal

from . import _check, _date, _L, _b, _s, _take
from ._native import P, c, cp, vp


class _Rating(c.Structure):
    _fields_ = [("light", cp), ("avg_x100", c.c_int), ("scores", c.c_size_t), ("minor_flags", c.c_size_t),
                ("serious_flags", c.c_size_t)]


_SIGS = {
    "sa_order_book_new": (c.c_int, [P(vp), vp]),
    "sa_order_book_free": (None, [vp]),
    "sa_order_book_apply": (c.c_int, [P(vp), vp, cp, c.c_size_t]),
    "sa_order_book_replay": (c.c_int, [vp, cp, c.c_size_t, cp]),
    "sa_order_book_problem_count": (c.c_size_t, [vp]),
    "sa_order_book_problem": (c.c_int, [P(c.c_size_t), P(c.c_int), P(cp), vp, c.c_size_t]),
    "sa_order_book_count": (c.c_size_t, [vp]),
    "sa_order_book_id": (cp, [vp, c.c_size_t]),
    "sa_order_book_order_json": (c.c_int, [P(vp), vp, cp, c.c_int32]),
    "sa_order_book_rating": (c.c_int, [P(_Rating), vp, cp, c.c_int32, c.c_int32]),
    "sa_order_book_spent": (c.c_int, [P(c.c_int64), P(c.c_int64), vp, cp, cp, c.c_int]),
    "sa_engine_catalog": (c.c_int, [P(vp), vp]),
}
_declared = False


def _lib():
    global _declared
    lib = _L()
    if not _declared:
        for name, (res, args) in _SIGS.items():
            f = getattr(lib, name)
            f.restype = res
            f.argtypes = args
        _declared = True
    return lib


@dataclass(frozen=True)
class Problem:
    """A journal line that was refused, or cut short by a crash (truncated)."""
    line: int
    truncated: bool
    message: str


@dataclass(frozen=True)
class Rating:
    """A provider's 红绿灯 over a window of 回访."""
    light: str
    average: Decimal
    scores: int
    minor_flags: int
    serious_flags: int


def _money(rec):
    if rec.get("amount") is not None:
        rec["amount"] = Decimal(rec["amount"])
    return rec


class OrderBook:
    """An order book for the catalog of an engine's loaded pack (a context manager)."""

    def __init__(self, engine):
        lib = _lib()
        cat = vp()
        _check(lib.sa_engine_catalog(ctypes.byref(cat), engine._live()))
        self._b = vp()
        _check(lib.sa_order_book_new(ctypes.byref(self._b), cat))

    def close(self):
        if self._b:
            _lib().sa_order_book_free(self._b)
            self._b = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def _live(self):
        if not self._b:
            raise ValueError("the order book is closed")
        return self._b

    def apply(self, event):
        """Apply one event (a dict or JSON text); returns the event as recorded (a dict), to be
        appended to a journal. Raises SaError, leaving the book unchanged, when refused."""
        text = _b(event if isinstance(event, str) else json.dumps(event, ensure_ascii=False))
        out = vp()
        _check(_lib().sa_order_book_apply(ctypes.byref(out), self._live(), text, len(text)))
        return json.loads(_take(out))

    def replay(self, text, name="<journal>"):
        """Apply every line of a journal (JSON lines); refused and cut lines become problems."""
        data = _b(text)
        _check(_lib().sa_order_book_replay(self._live(), data, len(data), _b(name)))

    def replay_file(self, path):
        with open(path, "rb") as f:
            self.replay(f.read(), str(path))

    @property
    def problems(self):
        lib, out = _lib(), []
        for i in range(lib.sa_order_book_problem_count(self._live())):
            line, cut, msg = c.c_size_t(), c.c_int(), cp()
            _check(lib.sa_order_book_problem(ctypes.byref(line), ctypes.byref(cut), ctypes.byref(msg), self._b, i))
            out.append(Problem(line.value, bool(cut.value), _s(msg.value)))
        return out

    def ids(self):
        lib = _lib()
        return [_s(lib.sa_order_book_id(self._live(), i)) for i in range(lib.sa_order_book_count(self._b))]

    def order(self, order_id, today=None):
        """The record of one order (a dict; docs/services.md); with today, `next.overdue`."""
        out = vp()
        _check(_lib().sa_order_book_order_json(ctypes.byref(out), self._live(), _b(order_id),
                                               _date(today) if today else 0))
        return _money(json.loads(_take(out)))

    def rating(self, provider, start=None, end=None):
        """The provider's light over the 回访 dated start..end (inclusive; None = open)."""
        r = _Rating()
        _check(_lib().sa_order_book_rating(ctypes.byref(r), self._live(), _b(provider),
                                           _date(start) if start else 0, _date(end) if end else 0))
        return Rating(_s(r.light), Decimal(r.avg_x100) / 100, r.scores, r.minor_flags, r.serious_flags)

    def spent(self, household, member, year):
        """(spent, budget) of a member's applications in a calendar year, as Decimal yuan;
        budget is None when the catalog sets none."""
        s, b = c.c_int64(), c.c_int64()
        _check(_lib().sa_order_book_spent(ctypes.byref(s), ctypes.byref(b), self._live(), _b(household), _b(member),
                                          int(year)))
        return Decimal(s.value) / 100, (None if b.value < 0 else Decimal(b.value) / 100)
