"""Finding and declaring the libsa shared library (ctypes).

Where the library is looked for, in order:
  1. $SA_LIBRARY, a path (for a build tree; not needed after an install);
  2. pkg-config: the `libdir` of the `sa` module (libsa.so there, else its soname file);
  3. the dynamic loader's own search: ctypes.util.find_library("sa") (ldconfig cache,
     LD_LIBRARY_PATH), then the bare name "libsa.so".
No version number is written here: the soname comes from the file or the loader.
"""
import ctypes
import ctypes.util
import glob
import os
import shutil
import subprocess

c = ctypes
P = c.POINTER
vp = c.c_void_p
cp = c.c_char_p


def _pkg_config_libdir():
    exe = shutil.which("pkg-config")
    if not exe:
        return None
    try:
        out = subprocess.run([exe, "--variable=libdir", "sa"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.SubprocessError):
        return None
    d = out.stdout.strip()
    return d if out.returncode == 0 and d else None


def _candidates():
    env = os.environ.get("SA_LIBRARY")
    if env:
        yield env
    d = _pkg_config_libdir()
    if d:
        if os.path.exists(os.path.join(d, "libsa.so")):
            yield os.path.join(d, "libsa.so")
        for f in sorted(glob.glob(os.path.join(d, "libsa.so.*")), key=len):
            yield f
    found = ctypes.util.find_library("sa")
    if found:
        yield found
    yield "libsa.so"


def _open():
    errors = []
    for path in _candidates():
        try:
            return c.CDLL(path)
        except OSError as e:
            errors.append(f"{path}: {e}")
    raise OSError("libsa: the shared library was not found (install libsa so that `pkg-config sa` "
                  "or the loader finds it, or set SA_LIBRARY); tried " + "; ".join(errors))


class Error(c.Structure):
    _fields_ = [("code", c.c_int), ("message", cp), ("source", cp), ("line", c.c_int), ("column", c.c_int)]


class EngineOptions(c.Structure):
    """sa_engine_options version 1 (include/sa/engine.h). Passed inside a larger zeroed buffer
    filled by sa_engine_options_init, so that fields appended later read as their defaults."""
    _fields_ = [("version", c.c_uint), ("pack_path", cp), ("alloc", vp), ("alloc_ud", vp),
                ("memory_limit", c.c_size_t), ("instruction_limit", c.c_uint64), ("output_limit", c.c_size_t),
                ("time_limit_ms", c.c_uint32)]


class ScreenTier(c.Structure):
    """sa_screen_tier (records may gain members at the end: read through a pointer only)."""
    _fields_ = [("name", cp), ("households", c.c_uint64)]


class ScreenProgram(c.Structure):
    _fields_ = [("name", cp), ("period", cp), ("eligible", c.c_uint64), ("undetermined", c.c_uint64),
                ("cash", c.c_int64), ("not_enrolled", c.c_uint64), ("no_longer", c.c_uint64),
                ("enrolled_undetermined", c.c_uint64)]


class Period(c.Structure):
    _fields_ = [("status", c.c_int), ("total", c.c_int64), ("months_eligible", c.c_int),
                ("unknown_month", c.c_int32)]


ON_RECORD = c.CFUNCTYPE(c.c_int, vp, c.c_uint64, cp, P(c.c_char), c.c_size_t)
ON_ERROR = c.CFUNCTYPE(None, vp, c.c_uint64, c.c_int, cp)
ON_PROGRESS = c.CFUNCTYPE(None, vp, c.c_uint64, c.c_uint64, c.c_uint64)


class ScreenOptions(c.Structure):
    _fields_ = [("version", c.c_uint), ("pack", cp), ("engine", vp), ("as_of", c.c_int32), ("jobs", c.c_uint),
                ("format", c.c_int), ("json_flags", c.c_uint), ("on_record", ON_RECORD), ("on_error", ON_ERROR),
                ("on_progress", ON_PROGRESS), ("ud", vp)]


class ExplainOptions(c.Structure):
    _fields_ = [("version", c.c_uint), ("format", c.c_int), ("lang", c.c_int), ("chart_points", c.c_int)]


class LogOptions(c.Structure):
    _fields_ = [("version", c.c_uint), ("hmac_key_file", cp), ("redact", c.c_int), ("redact_salt_file", cp),
                ("fsync", c.c_int), ("fsync_n", c.c_uint), ("rotate_bytes", c.c_uint64)]


class LogReport(c.Structure):
    _fields_ = [("records", c.c_uint64), ("bad_line", c.c_uint64), ("truncated", c.c_int)]


_SIGS = {
    "sa_version": (cp, []),
    "sa_error_last": (P(Error), []),
    "sa_error_clear": (None, []),
    "sa_message_zh": (c.c_int, [c.c_char_p, c.c_size_t, cp]),
    "sa_free": (None, [vp]),
    "sa_date_parse": (c.c_int, [P(c.c_int32), cp]),
    # engine and pack set
    "sa_engine_options_init": (c.c_int, [vp, c.c_uint]),
    "sa_engine_new": (c.c_int, [P(vp), vp]),
    "sa_engine_load": (c.c_int, [vp, cp]),
    "sa_engine_free": (None, [vp]),
    "sa_engine_pack_id": (cp, [vp]),
    "sa_engine_pack_hash": (cp, [vp]),
    "sa_pack_set_new": (c.c_int, [P(vp), vp]),
    "sa_pack_set_publish": (c.c_int, [vp, vp, cp, c.c_uint]),
    "sa_pack_set_free": (None, [vp]),
    "sa_engine_follow": (c.c_int, [vp, vp]),
    # households
    "sa_household_parse": (c.c_int, [P(P(vp)), P(c.c_size_t), cp, c.c_size_t, cp]),
    "sa_household_array_free": (None, [P(vp), c.c_size_t]),
    "sa_household_new": (c.c_int, [P(vp), cp, cp, cp]),
    "sa_household_add_member": (c.c_int, [P(c.c_size_t), vp, cp, cp, cp]),
    "sa_household_set": (c.c_int, [vp, cp, cp]),
    "sa_household_id": (cp, [vp]),
    "sa_household_free": (None, [vp]),
    # decisions
    "sa_evaluate_ex": (c.c_int, [P(vp), vp, vp, c.c_int32, c.c_uint]),
    "sa_evaluate_period": (c.c_int, [P(Period), vp, vp, cp, c.c_int32, c.c_int]),
    "sa_decision_to_json": (c.c_int, [P(vp), vp, c.c_uint]),
    "sa_decision_to_text": (c.c_int, [P(vp), vp]),
    "sa_decision_free": (None, [vp]),
    # screening
    "sa_screen_options_init": (c.c_int, [P(ScreenOptions), c.c_uint]),
    "sa_screen_run": (c.c_int, [vp, P(ScreenOptions), cp, c.c_size_t, cp]),
    "sa_screen_file": (c.c_int, [vp, P(ScreenOptions), cp]),
    "sa_screen_summary_new": (c.c_int, [P(vp)]),
    "sa_screen_summary_free": (None, [vp]),
    "sa_screen_summary_records": (c.c_uint64, [vp]),
    "sa_screen_summary_evaluated": (c.c_uint64, [vp]),
    "sa_screen_summary_bad": (c.c_uint64, [vp]),
    "sa_screen_summary_circle": (c.c_uint64, [vp, c.c_int]),
    "sa_screen_summary_tier_count": (c.c_size_t, [vp]),
    "sa_screen_summary_tier": (P(ScreenTier), [vp, c.c_size_t]),
    "sa_screen_summary_program_count": (c.c_size_t, [vp]),
    "sa_screen_summary_program": (P(ScreenProgram), [vp, c.c_size_t]),
    # monitoring
    "sa_monitor_parse": (c.c_int, [P(vp), vp, cp, c.c_size_t, cp, c.c_int32]),
    "sa_alerts_count": (c.c_size_t, [vp]),
    "sa_alert_field": (cp, [vp, c.c_size_t, cp]),
    "sa_alerts_to_json": (c.c_int, [P(vp), vp, c.c_uint]),
    "sa_alerts_free": (None, [vp]),
    # services
    "sa_engine_catalog": (c.c_int, [P(vp), vp]),
    "sa_catalog_pack": (cp, [vp]),
    "sa_catalog_budget": (c.c_int, [P(c.c_int64), vp]),
    "sa_catalog_item_count": (c.c_size_t, [vp]),
    "sa_catalog_item_field": (cp, [vp, c.c_size_t, cp]),
    "sa_catalog_item_price": (c.c_int, [P(c.c_int64), vp, c.c_size_t]),
    "sa_catalog_stage_count": (c.c_size_t, [vp]),
    "sa_catalog_stage_id": (cp, [vp, c.c_size_t]),
    "sa_catalog_stage_share": (c.c_int, [vp, c.c_size_t]),
    "sa_catalog_to_json": (c.c_int, [P(vp), vp]),
    "sa_plan_check": (c.c_int, [P(vp), vp, vp, cp, c.c_size_t]),
    "sa_plan_report_free": (None, [vp]),
    "sa_plan_report_accepted": (c.c_int, [vp]),
    "sa_plan_report_total": (c.c_int64, [vp]),
    "sa_plan_report_violation_count": (c.c_size_t, [vp]),
    "sa_plan_report_violation": (cp, [vp, c.c_size_t, cp]),
    "sa_plan_propose": (c.c_int, [P(vp), vp, vp, cp, P(cp), c.c_size_t]),
    # audit (include/sa/audit.h)
    "sa_explain_options_init": (c.c_int, [P(ExplainOptions), c.c_uint]),
    "sa_explain": (c.c_int, [P(vp), vp, vp, c.c_int32, P(ExplainOptions)]),
    "sa_whatif": (c.c_int, [P(vp), vp, vp, c.c_int32, P(cp), c.c_size_t, c.c_int]),
    "sa_log_options_init": (c.c_int, [P(LogOptions), c.c_uint]),
    "sa_log_open": (c.c_int, [P(vp), cp, P(LogOptions)]),
    "sa_log_append": (c.c_int, [P(c.c_uint64), vp, vp, vp]),
    "sa_log_close": (c.c_int, [vp]),
    "sa_log_verify": (c.c_int, [P(vp), P(LogReport), P(cp), c.c_size_t, cp]),
}

lib = None


def load():
    """The library, opened and declared on first use."""
    global lib
    if lib is None:
        h = _open()
        for name, (res, args) in _SIGS.items():
            f = getattr(h, name, None)
            if f is None:  # an older libsa: the call raises when used
                continue
            f.restype = res
            f.argtypes = args
        lib = h
    return lib


def has(name):
    return getattr(load(), name, None) is not None
