"""libsa for Python: decide social assistance (特困, 低保, 低保边缘, 刚性支出, ...) from policy packs.

ctypes over the installed shared library (found through pkg-config or the loader, see
libsa/_native.py); standard library only. Money is decimal.Decimal; results are dataclasses
(libsa.types); Engine, Household, Screen and DecisionLog are context managers.

    import libsa
    with libsa.Engine("cn-53", pack_path="/usr/local/share/sa/policies") as eng:
        hh = libsa.Household.from_file("samples/cn-53/yn-dibao-002.json")
        d = eng.evaluate(hh, "2025-08-01")
        print(d.tier, d.program("dibao").amount)          # dibao 1232.00
        for rec in eng.screen("registry.jsonl", "2025-08-01"):
            ...

An Engine is used by one thread at a time (docs/threading.md): give each thread its own.
"""
import ctypes
import datetime
import json
import queue
import threading
from decimal import Decimal

from . import _native
from ._native import c, vp
from .types import (Alert, Catalog, CatalogItem, Decision, LogVerification, Margin, MarginCandidate, Param, Period,
                    PlanReport, Program, ProgramCount, Reason, ScreenError, ScreenRecord, Stage, Summary, Violation, fen_to_yuan)

__all__ = ["Engine", "Household", "Screen", "DecisionLog", "SaError", "Decision", "Program", "Margin",
           "MarginCandidate", "Reason", "Param", "Summary", "ScreenRecord", "ScreenError", "Alert", "Catalog", "CatalogItem", "Stage", "PlanReport",
           "Violation", "LogVerification", "Period", "ProgramCount", "parse_households", "read_households",
           "verify_log", "version"]

__version__ = "0.2.0"

SA_ENOTFOUND, SA_EINVALID, SA_EPOLICY, SA_ELIMIT, SA_ENOMEM, SA_EUSER = -3, -4, -5, -6, -7, -30
_EVAL_NO_TEXT, _EVAL_NO_REASONS = 1, 2
_JSON_PRETTY, _JSON_NO_REASONS = 1, 2
_STATUS = {0: "eligible", 1: "ineligible", 2: "undetermined"}


class SaError(Exception):
    """A libsa error: code (negative sa_error_code), message (English), message_zh (the same in
    zh-CN from libsa's catalog, sa_message_zh; the English when the catalog has no entry),
    source file, line, column. str() is the English message with its position."""

    def __init__(self, code, message, source=None, line=0, column=0, message_zh=None):
        where = f"{source}:{line}:{column}: " if source and line else (f"{source}: " if source else "")
        super().__init__(f"{where}{message}")
        self.code, self.message, self.source, self.line, self.column = code, message, source, line, column
        self.message_zh = message_zh if message_zh is not None else _zh(message)


def _zh(message):
    """The zh-CN text of a libsa message (sa_message_zh), or the message itself."""
    if not message:
        return message
    try:
        raw = message.encode()
        buf = ctypes.create_string_buffer(4 * len(raw) + 1024)
        _L().sa_message_zh(buf, len(buf), raw)
        return buf.value.decode(errors="replace") or message
    except OSError:  # no library to ask
        return message


def _L():
    return _native.load()


def _s(b):
    return None if b is None else b.decode()


def _b(s):
    return None if s is None else (s.encode() if isinstance(s, str) else s)


def _check(rc):
    if rc < 0:
        p = _L().sa_error_last()
        if p:
            e = p.contents
            raise SaError(rc, _s(e.message) or "libsa error", _s(e.source), e.line, e.column)
        raise SaError(rc, "libsa error")
    return rc


def _take(ptr):
    """A libsa-allocated string, copied and freed."""
    try:
        return ctypes.string_at(ptr.value).decode() if ptr.value else None
    finally:
        if ptr.value:
            _L().sa_free(ptr)


def _date(d):
    if isinstance(d, (datetime.date, datetime.datetime)):
        d = d.strftime("%Y-%m-%d")
    out = c.c_int32()
    _check(_L().sa_date_parse(ctypes.byref(out), _b(d)))
    return out.value


def version():
    """The version of the loaded libsa."""
    return _s(_L().sa_version())


# ---- households ----

class Household:
    """A household (docs/household.md): parsed (parse_households, from_json, from_file) or built
    field by field. Close it (or use `with`) to free it at once; otherwise it is freed when
    collected."""

    def __init__(self, id=None, region=None, area=None, _handle=None, _owner=None):
        self._owner = _owner
        self._h = None
        if _handle is not None:
            self._h = _handle
            return
        h = vp()
        _check(_L().sa_household_new(ctypes.byref(h), _b(id), _b(region), _b(area)))
        self._h = h

    @classmethod
    def from_json(cls, obj, name="<household>"):
        """One household from a dict (the bare household object) or JSON/YAML text."""
        text = json.dumps(obj, ensure_ascii=False) if isinstance(obj, dict) else obj
        hs = parse_households(text, name)
        if len(hs) != 1:
            raise ValueError(f"{name}: expected one household, got {len(hs)}")
        return hs[0]

    @classmethod
    def from_file(cls, path):
        with open(path, "rb") as f:
            return cls.from_json(f.read(), str(path))

    @property
    def id(self):
        return _s(_L().sa_household_id(self._live()))

    def add_member(self, id, relation, birth):
        idx = c.c_size_t()
        _check(_L().sa_household_add_member(ctypes.byref(idx), self._live(), _b(id), _b(relation), _b(str(birth))))
        return idx.value

    def set(self, path, value):
        """Set a field by path, e.g. set("members.0.income.wages", "3000")."""
        if isinstance(value, bool):
            value = "true" if value else "false"
        _check(_L().sa_household_set(self._live(), _b(path), _b(str(value))))
        return self

    def _live(self):
        if not self._h:
            raise ValueError("household is closed")
        return self._h

    def close(self):
        if self._h and self._owner is None and _native.lib is not None:
            _native.lib.sa_household_free(self._h)
        self._h = None
        self._owner = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


class _HouseholdArray:
    def __init__(self, arr, n):
        self.arr, self.n = arr, n

    def __del__(self):
        if _native.lib is not None and self.arr:
            _native.lib.sa_household_array_free(self.arr, self.n)


def parse_households(text, name="<text>"):
    """Every household of a YAML/JSON document (a bare object, `household:` or `households:`)."""
    data = text.encode() if isinstance(text, str) else text
    arr = ctypes.POINTER(vp)()
    n = c.c_size_t()
    _check(_L().sa_household_parse(ctypes.byref(arr), ctypes.byref(n), data, len(data), _b(name)))
    owner = _HouseholdArray(arr, n.value)
    return [Household(_handle=vp(arr[i]), _owner=owner) for i in range(n.value)]


def read_households(path):
    with open(path, "rb") as f:
        return parse_households(f.read(), str(path))


def _household(hh):
    if isinstance(hh, Household):
        return hh
    return Household.from_json(hh)


# ---- the engine ----

def _engine_options(pack_path, memory_limit, instruction_limit, output_limit, time_limit_ms):
    # A zeroed buffer larger than version 1 of the struct: sa_engine_options_init fills it
    # with the defaults, then the version-1 fields are set through the ctypes mirror.
    buf = ctypes.create_string_buffer(512)
    _check(_L().sa_engine_options_init(buf, 1))
    o = _native.EngineOptions.from_buffer(buf)
    o._path = _b(pack_path)  # keeps the bytes alive as long as o
    o.pack_path = o._path
    o.memory_limit = memory_limit
    o.instruction_limit = instruction_limit
    o.output_limit = output_limit
    o.time_limit_ms = time_limit_ms
    return buf, o


class _NativeDecision:
    def __init__(self, eng, hh, as_of, flags=0):
        self.p = vp()
        _check(_L().sa_evaluate_ex(ctypes.byref(self.p), eng._live(), hh._live(), _date(as_of), flags))

    def json(self, flags=0):
        out = vp()
        _check(_L().sa_decision_to_json(ctypes.byref(out), self.p, flags))
        return _take(out)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        _L().sa_decision_free(self.p)
        self.p = None


class Engine:
    """One policy pack (with the packs it extends) in a sandbox. One thread at a time."""

    def __init__(self, pack, pack_path=None, memory_limit=0, instruction_limit=0, output_limit=0,
                 time_limit_ms=0):
        self._e = None
        self.pack = pack
        self.pack_path = pack_path
        self._limits = (memory_limit, instruction_limit, output_limit, time_limit_ms)
        self._opts_buf, self._opts = _engine_options(pack_path, *self._limits)
        e = vp()
        _check(_L().sa_engine_new(ctypes.byref(e), self._opts_buf))
        self._e = e
        _check(_L().sa_engine_load(self._e, _b(pack)))

    def _live(self):
        if not self._e:
            raise ValueError("engine is closed")
        return self._e

    @property
    def pack_hash(self):
        return _s(_L().sa_engine_pack_hash(self._live()))

    def reload(self, pack=None):
        """Load the pack again from disk (or another pack); on error the old one stays."""
        _check(_L().sa_engine_load(self._live(), _b(pack or self.pack)))
        self.pack = pack or self.pack
        return self.pack_hash

    # -- evaluate --

    def evaluate_json(self, household, as_of, reasons=True, log=None):
        """The decision as libsa's JSON text. reasons=False leaves reasons out (faster; the
        outcome is the same). log: a DecisionLog to append the decision to."""
        hh = _household(household)
        flags = 0 if reasons else _EVAL_NO_TEXT | _EVAL_NO_REASONS
        with _NativeDecision(self, hh, as_of, flags) as d:
            if log is not None:
                log._append(hh, d)
            return d.json(0 if reasons else _JSON_NO_REASONS)

    def evaluate(self, household, as_of, reasons=True, log=None):
        """The Decision for household (a Household, a dict, or JSON/YAML text) on as_of
        ("YYYY-MM-DD" or a date)."""
        return Decision.from_json(self.evaluate_json(household, as_of, reasons, log))

    def evaluate_text(self, household, as_of):
        """The decision as text for a caseworker (zh-CN with English)."""
        hh = _household(household)
        with _NativeDecision(self, hh, as_of) as d:
            out = vp()
            _check(_L().sa_decision_to_text(ctypes.byref(out), d.p))
            return _take(out)

    def period(self, household, program, start, months):
        """A program's amount summed over months from start (sa_evaluate_period): a Period
        (status, total Decimal, months_eligible, unknown_month). An undetermined month is a
        status, not an error, and never counts as zero."""
        out = _native.Period()
        _check(_L().sa_evaluate_period(ctypes.byref(out), self._live(), _household(household)._live(),
                                       _b(program), _date(start), months))
        um = out.unknown_month
        return Period(_STATUS[out.status], fen_to_yuan(out.total), out.months_eligible,
                      datetime.date(um // 10000, um // 100 % 100, um % 100) if um else None)

    # -- screen --

    def screen(self, registry, as_of, jobs=0, reasons=False, format="auto", name=None, queue_size=1024):
        """Screen a registry (a path, or bytes/str of JSON lines or CSV) on every core: a Screen,
        iterable over ScreenRecords in registry order; .summary once it is exhausted."""
        return Screen(self, registry, as_of, jobs, reasons, format, name, queue_size)

    # -- monitor --

    def monitor(self, events, as_of, name="<events>"):
        """Alerts (政策找人) from an events document (YAML/JSON text or a path-like), docs/monitoring.md."""
        if hasattr(events, "__fspath__"):
            name = str(events)
            with open(events, "rb") as f:
                events = f.read()
        data = _b(events)
        out = vp()
        _check(_L().sa_monitor_parse(ctypes.byref(out), self._live(), data, len(data), _b(name), _date(as_of)))
        try:
            alerts = []
            for i in range(_L().sa_alerts_count(out)):
                def f(k):
                    return _s(_L().sa_alert_field(out, i, _b(k)))
                def d(k):
                    v = f(k)
                    return datetime.date.fromisoformat(v) if v else None
                alerts.append(Alert(f("id"), f("household"), f("rule"), f("action"), f("priority"), f("status"),
                                    f("zh"), f("en"), f("ref"), f("member"), d("due"), d("as_of")))
            return alerts
        finally:
            _L().sa_alerts_free(out)

    # -- services --

    def catalog(self):
        """The pack chain's service catalog (services.yaml), docs/services.md."""
        L = _L()
        cat = vp()
        _check(L.sa_engine_catalog(ctypes.byref(cat), self._live()))
        budget = c.c_int64()
        has_budget = L.sa_catalog_budget(ctypes.byref(budget), cat) == 0
        L.sa_error_clear()
        items = []
        for i in range(L.sa_catalog_item_count(cat)):
            def f(k):
                return _s(L.sa_catalog_item_field(cat, i, _b(k)))
            price = c.c_int64()
            has_price = L.sa_catalog_item_price(ctypes.byref(price), cat, i) == 0
            items.append(CatalogItem(f("id"), f("name"), f("category"), f("unit"), f("type"), f("source"),
                                     fen_to_yuan(price.value) if has_price else None))
        stages = [Stage(_s(L.sa_catalog_stage_id(cat, i)), L.sa_catalog_stage_share(cat, i))
                  for i in range(L.sa_catalog_stage_count(cat))]
        out = vp()
        _check(L.sa_catalog_to_json(ctypes.byref(out), cat))
        return Catalog(_s(L.sa_catalog_pack(cat)), fen_to_yuan(budget.value) if has_budget else None, items,
                       stages, _take(out))

    def plan_check(self, household, as_of, plan):
        """Check a service plan (YAML/JSON text or dict) against the household's entitlement."""
        L = _L()
        text = _b(json.dumps(plan, ensure_ascii=False) if isinstance(plan, dict) else plan)
        hh = _household(household)
        with _NativeDecision(self, hh, as_of) as d:
            rep = vp()
            _check(L.sa_plan_check(ctypes.byref(rep), self._live(), d.p, text, len(text)))
            try:
                vs = []
                for k in range(L.sa_plan_report_violation_count(rep)):
                    def f(n):
                        return _s(L.sa_plan_report_violation(rep, k, _b(n)))
                    vs.append(Violation(f("code"), f("zh"), f("en"), f("item"), f("stage")))
                return PlanReport(bool(L.sa_plan_report_accepted(rep)), fen_to_yuan(L.sa_plan_report_total(rep)), vs)
            finally:
                L.sa_plan_report_free(rep)

    def plan_propose(self, household, as_of, member, needs):
        """A plan (dict) for member meeting the needs within budget and stages; "unmet" lists
        the needs no item meets."""
        hh = _household(household)
        arr = (c.c_char_p * max(1, len(needs)))(*[_b(n) for n in needs])
        with _NativeDecision(self, hh, as_of) as d:
            out = vp()
            _check(_L().sa_plan_propose(ctypes.byref(out), self._live(), d.p, _b(member), arr, len(needs)))
            return json.loads(_take(out), parse_float=Decimal)

    # -- audit: explain, what-if (include/sa/audit.h) --

    def explain(self, household, as_of, format="text", lang="zh", chart_points=0):
        """The decision put into words (docs/explain.md): format "text" or "html"; lang "zh",
        "en" or "both"."""
        o = _native.ExplainOptions()
        _check(_L().sa_explain_options_init(ctypes.byref(o), 1))
        o.format = {"text": 0, "html": 1}[format]
        o.lang = {"zh": 0, "en": 1, "both": 2}[lang]
        o.chart_points = chart_points
        out = vp()
        _check(_L().sa_explain(ctypes.byref(out), self._live(), _household(household)._live(), _date(as_of),
                               ctypes.byref(o)))
        return _take(out)

    def whatif(self, household, as_of, changes):
        """Re-evaluate with changes ("PATH=VALUE", or a dict {path: value}) applied: a dict with
        "changes", "decision" and "diff" ([{field, before, after}])."""
        if isinstance(changes, dict):
            changes = [f"{k}={v}" for k, v in changes.items()]
        arr = (c.c_char_p * max(1, len(changes)))(*[_b(s) for s in changes])
        out = vp()
        _check(_L().sa_whatif(ctypes.byref(out), self._live(), _household(household)._live(), _date(as_of), arr,
                              len(changes), 1))
        return json.loads(_take(out), parse_float=Decimal)

    # -- life --

    def close(self):
        if self._e and _native.lib is not None:
            _native.lib.sa_engine_free(self._e)
        self._e = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def __del__(self):
        try:
            self.close()
        except Exception:
            pass


# ---- screening ----

_DONE = object()


class Screen:
    """A screening run (sa_screen_run) as an iterator of ScreenRecords, in registry order.

    libsa evaluates on `jobs` threads and hands results back on the thread that runs it;
    here that is a helper thread feeding a bounded queue, so the registry streams through
    with bounded memory. Stop early with close() (or leave the `with` block)."""

    def __init__(self, engine, registry, as_of, jobs=0, reasons=False, format="auto", name=None, queue_size=1024):
        self.summary = None
        self._q = queue.Queue(maxsize=queue_size)
        self._stop = threading.Event()
        self._exc = None
        opts = _native.ScreenOptions()
        _check(_L().sa_screen_options_init(ctypes.byref(opts), 1))
        # kept alive for the run: the struct and the pack path bytes it points to
        self._engine_opts, self._engine_struct = _engine_options(engine.pack_path, *engine._limits)
        opts.pack = _b(engine.pack)
        opts.engine = ctypes.cast(self._engine_opts, vp)
        opts.as_of = _date(as_of)
        opts.jobs = jobs
        opts.format = {"auto": 0, "jsonl": 1, "csv": 2}[format]
        opts.json_flags = 0 if reasons else _JSON_NO_REASONS
        self._cb = (_native.ON_RECORD(self._on_record), _native.ON_ERROR(self._on_error))
        opts.on_record, opts.on_error = self._cb
        self._opts = opts
        if isinstance(registry, (bytes, str)) and (isinstance(registry, bytes) or "\n" in registry):
            self._text, self._path = _b(registry), None
            self._name = name or "<registry>"
        else:
            self._text, self._path = None, str(registry)
            self._name = name or self._path
        self._thread = threading.Thread(target=self._run, name="libsa-screen", daemon=True)
        self._thread.start()

    def _put(self, item):
        while not self._stop.is_set():
            try:
                self._q.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def _on_record(self, ud, line, id, json_ptr, n):
        text = ctypes.string_at(json_ptr, n).decode()
        return 0 if self._put(ScreenRecord(line, _s(id), Decision.from_json(text))) else 1

    def _on_error(self, ud, line, code, message):
        self._put(ScreenRecord(line, None, error=ScreenError(line, code, _s(message))))

    def _run(self):
        s = vp()
        try:
            _check(_L().sa_screen_summary_new(ctypes.byref(s)))
            if self._text is not None:
                rc = _L().sa_screen_run(s, ctypes.byref(self._opts), self._text, len(self._text), _b(self._name))
            else:
                rc = _L().sa_screen_file(s, ctypes.byref(self._opts), _b(self._path))
            if rc < 0 and not (rc == SA_EUSER and self._stop.is_set()):
                _check(rc)
            self.summary = _summary(s)
        except BaseException as e:  # handed to the consumer
            self._exc = e
        finally:
            _L().sa_screen_summary_free(s)
            self._put(_DONE)

    def __iter__(self):
        while True:
            item = self._q.get()
            if item is _DONE:
                self._thread.join()
                if self._exc:
                    raise self._exc
                return
            yield item

    def run(self):
        """Consume every record (dropping them) and return the summary."""
        for _ in self:
            pass
        return self.summary

    def close(self):
        self._stop.set()
        self._thread.join()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _summary(s):
    L = _L()
    out = Summary(records=L.sa_screen_summary_records(s), evaluated=L.sa_screen_summary_evaluated(s),
                  bad=L.sa_screen_summary_bad(s))
    out.circle = {"1": L.sa_screen_summary_circle(s, 1), "2": L.sa_screen_summary_circle(s, 2),
                  "3": L.sa_screen_summary_circle(s, 3), "none": L.sa_screen_summary_circle(s, 0)}
    for i in range(L.sa_screen_summary_tier_count(s)):
        t = L.sa_screen_summary_tier(s, i).contents
        out.tiers[_s(t.name)] = t.households
    for i in range(L.sa_screen_summary_program_count(s)):
        p = L.sa_screen_summary_program(s, i).contents
        out.programs[_s(p.name)] = ProgramCount(_s(p.period), p.eligible, p.undetermined, p.cash, p.not_enrolled,
                                                p.no_longer, p.enrolled_undetermined)
    return out


# ---- the decision log (include/sa/audit.h, docs/audit.md) ----

class DecisionLog:
    """An append-only, hash-chained decision log (一户一档). Pass it to Engine.evaluate(log=...)."""

    def __init__(self, path, hmac_key_file=None, fsync="every", fsync_n=0, rotate_bytes=0, redact=False,
                 redact_salt_file=None):
        self._log = None
        self.path = str(path)
        self.last_seq = None
        o = _native.LogOptions()
        _check(_L().sa_log_options_init(ctypes.byref(o), 1))
        o.hmac_key_file = _b(hmac_key_file)
        o.redact = 1 if redact else 0
        o.redact_salt_file = _b(redact_salt_file)
        o.fsync = {"every": 0, "every_n": 1, "close": 2}[fsync]
        o.fsync_n = fsync_n
        o.rotate_bytes = rotate_bytes
        h = vp()
        _check(_L().sa_log_open(ctypes.byref(h), _b(self.path), ctypes.byref(o)))
        self._log = h

    def _append(self, hh, d):
        if not self._log:
            raise ValueError("log is closed")
        seq = c.c_uint64()
        _check(_L().sa_log_append(ctypes.byref(seq), self._log, hh._live(), d.p))
        self.last_seq = seq.value

    def close(self):
        if self._log:
            h, self._log = self._log, None
            _check(_L().sa_log_close(h))

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def verify_log(paths, hmac_key_file=None):
    """Verify decision log files (a rotated chain in order): LogVerification."""
    if isinstance(paths, str) or hasattr(paths, "__fspath__"):
        paths = [paths]
    arr = (c.c_char_p * len(paths))(*[_b(str(p)) for p in paths])
    rep = vp()
    counts = _native.LogReport()
    rc = _L().sa_log_verify(ctypes.byref(rep), ctypes.byref(counts), arr, len(paths), _b(hmac_key_file))
    text = _take(rep)
    if rc < 0 and rc != SA_EINVALID:
        _check(rc)
    return LogVerification(rc == 0, counts.records, counts.bad_line, bool(counts.truncated), text or "")
