"""Typed results: dataclasses, with money as decimal.Decimal (yuan, two decimals, exact)."""
import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Dict, List, Optional

PROGRAMS = ("tekun", "dibao", "edge", "rigid")
TIERS = ("tekun", "dibao", "edge", "rigid", "none")


def money(text) -> Optional[Decimal]:
    """Yuan text ("1232.00") as Decimal, None for null."""
    return None if text is None else Decimal(text)


def fen_to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"))


def _date(text):
    return None if text is None else datetime.date.fromisoformat(text)


@dataclass(frozen=True)
class Param:
    name: str
    value: Optional[str]
    since: Optional[datetime.date]  # the JSON's "from": the date the value took effect
    pack: Optional[str]
    ref: Optional[str]


@dataclass(frozen=True)
class Reason:
    id: str
    zh: Optional[str]
    en: Optional[str]
    ref: Optional[str]
    params: List[Param]


@dataclass(frozen=True)
class Program:
    name: str
    status: str  # eligible | ineligible | undetermined
    amount: Optional[Decimal]
    parts: Dict[str, Decimal]
    care_level: Optional[str]
    members: List[str]
    missing: List[str]
    reasons: List[Reason]

    @property
    def eligible(self) -> bool:
        return self.status == "eligible"


@dataclass(frozen=True)
class Decision:
    """A decision (docs/decision.md). `json` is libsa's own text; `raw` the parsed object
    (with fields this class does not name, e.g. services and margin)."""
    household: str
    pack: str
    pack_hash: str
    as_of: datetime.date
    tier: str
    circle: Optional[int]
    programs: List[Program]
    missing: List[str]
    json: str = field(repr=False)
    raw: dict = field(repr=False, compare=False)

    def program(self, name) -> Optional[Program]:
        return next((p for p in self.programs if p.name == name), None)

    @classmethod
    def from_json(cls, text: str) -> "Decision":
        d = json.loads(text)
        progs = []
        for p in d["programs"]:
            reasons = [Reason(r["id"], r.get("zh"), r.get("en"), r.get("ref"),
                              [Param(x["name"], x.get("value"), _date(x.get("from")), x.get("pack"), x.get("ref"))
                               for x in r.get("params", [])])
                       for r in p.get("reasons", [])]
            progs.append(Program(p["program"], p["status"], money(p.get("amount")),
                                 {k: money(v) for k, v in (p.get("parts") or {}).items()}, p.get("care_level"),
                                 list(p.get("members", [])), list(p.get("missing", [])), reasons))
        return cls(d["household"], d["pack"], d["pack_hash"], _date(d["as_of"]), d["tier"], d.get("circle"),
                   progs, list(d.get("missing", [])), text, d)


@dataclass
class Summary:
    """Counts and cash of a screening run (sa_screen_summary). Cash is monthly, in yuan."""
    records: int = 0
    evaluated: int = 0
    bad: int = 0
    tier: Dict[str, int] = field(default_factory=lambda: {t: 0 for t in TIERS})
    circle: Dict[str, int] = field(default_factory=lambda: {k: 0 for k in ("1", "2", "3", "none")})
    eligible: Dict[str, int] = field(default_factory=lambda: {p: 0 for p in PROGRAMS})
    undetermined: Dict[str, int] = field(default_factory=lambda: {p: 0 for p in PROGRAMS})
    cash: Dict[str, Decimal] = field(default_factory=lambda: {p: Decimal("0.00") for p in PROGRAMS})
    not_enrolled: Dict[str, int] = field(default_factory=lambda: {p: 0 for p in PROGRAMS})
    no_longer: Dict[str, int] = field(default_factory=lambda: {p: 0 for p in PROGRAMS})
    enrolled_undetermined: Dict[str, int] = field(default_factory=lambda: {p: 0 for p in PROGRAMS})

    def merge(self, other: "Summary") -> "Summary":
        """Add other's counts to this one (summaries of disjoint parts add up)."""
        self.records += other.records
        self.evaluated += other.evaluated
        self.bad += other.bad
        for name in ("tier", "circle", "eligible", "undetermined", "cash", "not_enrolled", "no_longer",
                     "enrolled_undetermined"):
            mine, theirs = getattr(self, name), getattr(other, name)
            for k, v in theirs.items():
                mine[k] += v
        return self

    def add(self, decision: dict, enrolments) -> None:
        """Count one decision (parsed JSON) of a household enrolled in `enrolments`, as
        sa_screen_run counts it."""
        self.records += 1
        self.evaluated += 1
        tier = decision.get("tier")
        self.tier[tier if tier in TIERS else "none"] += 1
        circle = decision.get("circle")
        self.circle[str(circle) if circle in (1, 2, 3) else "none"] += 1
        enrolled = set(enrolments or ())
        by_name = {p["program"]: p for p in decision["programs"]}
        for p in PROGRAMS:
            st = by_name[p]["status"] if p in by_name else "ineligible"
            if st == "eligible":
                self.eligible[p] += 1
                fen = by_name[p].get("amount_fen")
                if fen is not None:
                    self.cash[p] += fen_to_yuan(fen)
                if p not in enrolled:
                    self.not_enrolled[p] += 1
            elif st == "undetermined":
                self.undetermined[p] += 1
                if p in enrolled:
                    self.enrolled_undetermined[p] += 1
            elif p in enrolled:
                self.no_longer[p] += 1

    def add_bad(self) -> None:
        self.records += 1
        self.bad += 1

    def to_dict(self) -> dict:
        d = dict(self.__dict__)
        d["cash"] = {k: str(v) for k, v in self.cash.items()}
        return d

    def text(self, pack: str, as_of: str, seconds: float, workers: int, unit: str = "threads") -> str:
        """The summary as `sa screen` prints it (cli/cmd_screen.c)."""
        rate = self.evaluated / seconds if seconds > 0 else 0.0
        lines = [f"screening summary / 筛查汇总: pack {pack}, date {as_of}",
                 f"  records {self.records}, evaluated {self.evaluated}, skipped (bad) {self.bad}; "
                 f"{seconds:.2f} s on {workers} {unit}, {rate:.0f} households/s",
                 "  tier / 层级:" + "".join(f" {t} {self.tier[t]}" for t in TIERS),
                 f"  circle / 圈层: 1: {self.circle['1']}  2: {self.circle['2']}  3: {self.circle['3']}  "
                 f"none: {self.circle['none']}",
                 "  %-6s %10s %12s %20s %14s %14s %14s" % ("program", "eligible", "undetermined",
                                                          "monthly cash (yuan)", "not enrolled", "no longer",
                                                          "enrolled-undet")]
        for p in PROGRAMS:
            lines.append("  %-6s %10d %12d %20s %14d %14d %14d" % (
                p, self.eligible[p], self.undetermined[p], f"{self.cash[p]:.2f}", self.not_enrolled[p],
                self.no_longer[p], self.enrolled_undetermined[p]))
        lines.append("  (not enrolled: qualifies but h.enrolments lacks the program; no longer: enrolled and now "
                     "ineligible)")
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class ScreenError:
    line: int
    code: int
    message: str


@dataclass(frozen=True)
class ScreenRecord:
    """One household of a registry: its first line, id and decision (or error)."""
    line: int
    id: Optional[str]
    decision: Optional[Decision] = None
    error: Optional[ScreenError] = None


@dataclass(frozen=True)
class Alert:
    household: Optional[str]
    id: Optional[str]
    zh: Optional[str]
    en: Optional[str]
    ref: Optional[str]
    action: Optional[str]
    due: Optional[datetime.date]
    member: Optional[str]


@dataclass(frozen=True)
class CatalogItem:
    id: str
    name: Optional[str]
    category: Optional[str]
    unit: Optional[str]
    type: Optional[str]
    source: Optional[str]
    price: Optional[Decimal]


@dataclass(frozen=True)
class Stage:
    id: str
    share: int  # percent of the yearly budget


@dataclass(frozen=True)
class Catalog:
    pack: str
    budget: Optional[Decimal]  # yearly, per person
    items: List[CatalogItem]
    stages: List[Stage]
    json: str = field(repr=False)

    def item(self, id) -> Optional[CatalogItem]:
        return next((i for i in self.items if i.id == id), None)


@dataclass(frozen=True)
class Violation:
    code: str
    zh: Optional[str]
    en: Optional[str]
    item: Optional[str]
    stage: Optional[str]


@dataclass(frozen=True)
class PlanReport:
    accepted: bool
    total: Decimal
    violations: List[Violation]


@dataclass(frozen=True)
class LogVerification:
    ok: bool
    records: int
    bad_line: int
    truncated: bool
    report: str
