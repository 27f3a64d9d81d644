"""Typed results: dataclasses, with money as decimal.Decimal (yuan, two decimals, exact)."""
import datetime
import json
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Dict, List, Optional

# Programs sa_evaluate appends after the pack's tier programs (libsa/engine/extras.c,
# docs/decision.md "Extras"): the summary counts tiers over the tier programs only.
EXTRA_PROGRAMS = ("temporary",)
EXTRA_PREFIXES = ("special.",)


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
class MarginCandidate:
    """One person's own income test (特困, 特困人员认定办法 第六条（一）): how much that person's
    monthly counted income would have to change to flip it (docs/decision.md "margin")."""
    member: str
    direction: str  # up | down
    amount: Decimal
    value: Decimal
    op: str
    limit: Decimal
    passes: bool


@dataclass(frozen=True)
class Margin:
    """The distance of a program's income test to its threshold (docs/decision.md "margin",
    C: sa_decision_program_margin, sa_decision_program_margin_candidate). For 特困 the fields
    are those of the candidate nearest the line (`member`); `candidates` lists each one."""
    test: str
    basis: str
    direction: str  # up | down
    amount: Decimal
    value: Decimal
    op: str
    limit: Decimal
    passes: bool
    other_conditions: bool
    member: Optional[str] = None
    candidates: List[MarginCandidate] = field(default_factory=list)

    @classmethod
    def from_obj(cls, m) -> Optional["Margin"]:
        if not m:
            return None
        cands = [MarginCandidate(c["member"], c["direction"], money(c["amount"]), money(c["value"]), c["op"],
                                 money(c["limit"]), bool(c["passes"])) for c in m.get("candidates") or []]
        return cls(m["test"], m["basis"], m["direction"], money(m["amount"]), money(m["value"]), m["op"],
                   money(m["limit"]), bool(m["passes"]), bool(m["other_conditions"]), m.get("member"), cands)


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
    margin: Optional[Margin] = None

    @property
    def eligible(self) -> bool:
        return self.status == "eligible"


@dataclass(frozen=True)
class Decision:
    """A decision (docs/decision.md). `json` is libsa's own text; `raw` the parsed object
    (with fields this class does not name, e.g. services)."""
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

    # Read like the parsed JSON too (d["tier"], d["programs"][0]["amount"]), as the binding's
    # dict results used to be read.
    def __getitem__(self, key):
        return self.raw[key]

    def __contains__(self, key):
        return key in self.raw

    def get(self, key, default=None):
        return self.raw.get(key, default)

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
                                 list(p.get("members", [])), list(p.get("missing", [])), reasons,
                                 Margin.from_obj(p.get("margin"))))
        return cls(d["household"], d["pack"], d["pack_hash"], _date(d["as_of"]), d["tier"], d.get("circle"),
                   progs, list(d.get("missing", [])), text, d)


@dataclass
class ProgramCount:
    """One program's counts in a screening summary (sa_screen_program). cash is in fen, per
    `period` ("month", or "once" for a one-off amount)."""
    period: str = "month"
    eligible: int = 0
    undetermined: int = 0
    cash: int = 0
    not_enrolled: int = 0
    no_longer: int = 0
    enrolled_undetermined: int = 0

    @property
    def cash_yuan(self) -> Decimal:
        return fen_to_yuan(self.cash)


def _is_extra(name):
    return name in EXTRA_PROGRAMS or name.startswith(EXTRA_PREFIXES)


@dataclass
class Summary:
    """What a screening run counted (sa_screen_summary): households, circles, households by
    highest tier and counts per program. Tier and program names come from the decisions, in
    the order first seen, as libsa records them."""
    records: int = 0
    evaluated: int = 0
    bad: int = 0
    circle: Dict[str, int] = field(default_factory=lambda: {"1": 0, "2": 0, "3": 0, "none": 0})
    tiers: Dict[str, int] = field(default_factory=dict)
    programs: Dict[str, ProgramCount] = field(default_factory=dict)

    def _program(self, name, period):
        if name not in self.programs:
            self.programs[name] = ProgramCount(period or "month")
        return self.programs[name]

    def merge(self, other: "Summary") -> "Summary":
        """Add other's counts (a later part of the same registry) to this one."""
        self.records += other.records
        self.evaluated += other.evaluated
        self.bad += other.bad
        for k, v in other.circle.items():
            self.circle[k] += v
        for k, v in other.tiers.items():
            self.tiers[k] = self.tiers.get(k, 0) + v
        for k, o in other.programs.items():
            p = self._program(k, o.period)
            for f in ("eligible", "undetermined", "cash", "not_enrolled", "no_longer", "enrolled_undetermined"):
                setattr(p, f, getattr(p, f) + getattr(o, f))
        return self

    def add(self, decision: dict, enrolments) -> None:
        """Count one decision (parsed JSON) of a household enrolled in `enrolments`, as
        sa_screen_run counts it (libsa/screen/summary.c)."""
        self.records += 1
        self.evaluated += 1
        progs = decision["programs"]
        for p in progs:  # a row for each tier program, highest first, then the tier found
            if not _is_extra(p["program"]):
                self.tiers.setdefault(p["program"], 0)
        tier = decision.get("tier") or "none"
        self.tiers[tier] = self.tiers.get(tier, 0) + 1
        circle = decision.get("circle")
        self.circle[str(circle) if circle in (1, 2, 3) else "none"] += 1
        enrolled = set(enrolments or ())
        for dp in progs:
            p = self._program(dp["program"], dp.get("period"))
            st = dp["status"]
            inn = dp["program"] in enrolled
            if st == "eligible":
                p.eligible += 1
                if dp.get("amount_fen") is not None:
                    p.cash += dp["amount_fen"]
                if not inn:
                    p.not_enrolled += 1
            elif st == "undetermined":
                p.undetermined += 1
                if inn:
                    p.enrolled_undetermined += 1
            elif inn:
                p.no_longer += 1

    def add_bad(self) -> None:
        self.records += 1
        self.bad += 1

    def to_dict(self) -> dict:
        return {"records": self.records, "evaluated": self.evaluated, "bad": self.bad, "circle": dict(self.circle),
                "tiers": dict(self.tiers),
                "programs": {k: dict(v.__dict__, cash=str(v.cash_yuan)) for k, v in self.programs.items()}}

    def text(self, pack: str, as_of: str, seconds: float, workers: int, unit: str = "threads") -> str:
        """The summary as `sa screen` prints it (cli/cmd_screen.c)."""
        rate = self.evaluated / seconds if seconds > 0 else 0.0
        w = max([7] + [len(k) for k in self.programs])
        lines = [f"screening summary / 筛查汇总: pack {pack}, date {as_of}",
                 f"  records {self.records}, evaluated {self.evaluated}, skipped (bad) {self.bad}; "
                 f"{seconds:.2f} s on {workers} {unit}, {rate:.0f} households/s",
                 "  tier / 层级:" + "".join(f" {t} {n}" for t, n in self.tiers.items()),
                 f"  circle / 圈层: 1: {self.circle['1']}  2: {self.circle['2']}  3: {self.circle['3']}  "
                 f"none: {self.circle['none']}",
                 "  %-*s %10s %12s %20s %14s %14s %14s" % (w, "program", "eligible", "undetermined", "cash (yuan)",
                                                          "not enrolled", "no longer", "enrolled-undet")]
        for name, p in self.programs.items():
            cash = "%s/%s" % (p.cash_yuan, "case" if p.period == "once" else "month")
            lines.append("  %-*s %10d %12d %20s %14d %14d %14d" % (
                w, name, p.eligible, p.undetermined, cash, p.not_enrolled, p.no_longer, p.enrolled_undetermined))
        lines.append("  (not enrolled: qualifies but h.enrolments lacks the program; no longer: enrolled and now "
                     "ineligible)")
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Period:
    """sa_evaluate_period: status over the months, the total, months that added, and the
    first unknown month when undetermined."""
    status: str
    total: Decimal
    months_eligible: int
    unknown_month: Optional[datetime.date]


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
    """An alert record (docs/monitoring.md): its stable id, the household, the rule that raised
    it, what to do and by when."""
    id: Optional[str]
    household: Optional[str]
    rule: Optional[str]
    action: Optional[str]  # visit | review | refer
    priority: Optional[str]  # high | normal | low
    status: Optional[str]  # open | acknowledged | closed
    zh: Optional[str]
    en: Optional[str]
    ref: Optional[str]
    member: Optional[str]
    due: Optional[datetime.date]
    as_of: Optional[datetime.date]


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
