"""libsa for Python: decide social assistance from Lua policy packs.

Standard library only (ctypes + json). The shared library is found from $SA_LIBRARY, else
by the dynamic loader's search for "sa" (its soname; docs/abi.md).

    import libsa
    eng = libsa.Engine(pack="cn-53", pack_path="policies")
    for hh in libsa.read_households("samples/cn-53/households.yaml"):
        d = eng.evaluate(hh, "2025-08-01")
        print(d["tier"], d["programs"][0]["amount"])
"""
import ctypes
import ctypes.util
import json
import os

__all__ = ["Engine", "Household", "SaError", "read_households", "parse_households"]


def _load():
    # by path ($SA_LIBRARY) or by the soname the loader finds; never a version written here
    path = os.environ.get("SA_LIBRARY") or ctypes.util.find_library("sa")
    if not path:
        raise OSError("libsa not found: install it, or set SA_LIBRARY to the built libsa.so")
    lib = ctypes.CDLL(path)
    c = ctypes
    sig = {
        "sa_version": (c.c_char_p, []),
        "sa_error_last": (c.c_void_p, []),
        "sa_engine_new": (c.c_int, [c.POINTER(c.c_void_p), c.c_void_p]),
        "sa_engine_load": (c.c_int, [c.c_void_p, c.c_char_p]),
        "sa_engine_free": (None, [c.c_void_p]),
        "sa_engine_pack_hash": (c.c_char_p, [c.c_void_p]),
        "sa_household_parse": (c.c_int, [c.POINTER(c.POINTER(c.c_void_p)), c.POINTER(c.c_size_t),
                                         c.c_char_p, c.c_size_t, c.c_char_p]),
        "sa_household_array_free": (None, [c.POINTER(c.c_void_p), c.c_size_t]),
        "sa_household_new": (c.c_int, [c.POINTER(c.c_void_p), c.c_char_p, c.c_char_p, c.c_char_p]),
        "sa_household_add_member": (c.c_int, [c.POINTER(c.c_size_t), c.c_void_p, c.c_char_p, c.c_char_p,
                                              c.c_char_p]),
        "sa_household_set": (c.c_int, [c.c_void_p, c.c_char_p, c.c_char_p]),
        "sa_household_free": (None, [c.c_void_p]),
        "sa_evaluate": (c.c_int, [c.POINTER(c.c_void_p), c.c_void_p, c.c_void_p, c.c_int32]),
        "sa_decision_to_json": (c.c_int, [c.POINTER(c.c_void_p), c.c_void_p, c.c_uint]),
        "sa_decision_free": (None, [c.c_void_p]),
        "sa_date_parse": (c.c_int, [c.POINTER(c.c_int32), c.c_char_p]),
        "sa_free": (None, [c.c_void_p]),
    }
    for name, (res, args) in sig.items():
        f = getattr(lib, name)
        f.restype = res
        f.argtypes = args
    return lib


_lib = None


def _L():
    global _lib
    if _lib is None:
        _lib = _load()
    return _lib


class _Error(ctypes.Structure):
    _fields_ = [("code", ctypes.c_int), ("message", ctypes.c_char_p), ("source", ctypes.c_char_p),
                ("line", ctypes.c_int), ("column", ctypes.c_int)]


class SaError(Exception):
    """A libsa error: code (negative sa_error_code), message, source file, line, column."""

    def __init__(self, code, message, source=None, line=0, column=0):
        where = f"{source}:{line}:{column}: " if source and line else (f"{source}: " if source else "")
        super().__init__(f"{where}{message}")
        self.code, self.message, self.source, self.line, self.column = code, message, source, line, column


def _check(rc):
    if rc < 0:
        p = _L().sa_error_last()
        if p:
            e = _Error.from_address(p)
            raise SaError(rc, (e.message or b"").decode(), e.source.decode() if e.source else None, e.line, e.column)
        raise SaError(rc, "libsa error")
    return rc


def _date(text):
    d = ctypes.c_int32()
    _check(_L().sa_date_parse(ctypes.byref(d), text.encode()))
    return d.value


class Household:
    """A household: from YAML/JSON text (parse_households) or built field by field."""

    def __init__(self, id=None, region=None, area=None, _handle=None, _owner=None):
        self._owner = _owner
        if _handle is not None:
            self._h = _handle
            return
        h = ctypes.c_void_p()
        _check(_L().sa_household_new(ctypes.byref(h), id.encode(), region.encode(), area.encode()))
        self._h = h

    def add_member(self, id, relation, birth):
        idx = ctypes.c_size_t()
        _check(_L().sa_household_add_member(ctypes.byref(idx), self._h, id.encode(), relation.encode(),
                                            birth.encode()))
        return idx.value

    def set(self, path, value):
        """Set a field by path, e.g. set("members.0.income.wages", "3000")."""
        _check(_L().sa_household_set(self._h, path.encode(), str(value).encode()))
        return self

    def __del__(self):
        if getattr(self, "_owner", None) is None and getattr(self, "_h", None) and _lib is not None:
            _lib.sa_household_free(self._h)
            self._h = None


class _HouseholdArray:
    def __init__(self, arr, n):
        self.arr, self.n = arr, n

    def __del__(self):
        if _lib is not None:
            _lib.sa_household_array_free(self.arr, self.n)


def parse_households(text, name="<text>"):
    data = text.encode() if isinstance(text, str) else text
    arr = ctypes.POINTER(ctypes.c_void_p)()
    n = ctypes.c_size_t()
    _check(_L().sa_household_parse(ctypes.byref(arr), ctypes.byref(n), data, len(data), name.encode()))
    owner = _HouseholdArray(arr, n.value)
    return [Household(_handle=ctypes.c_void_p(arr[i]), _owner=owner) for i in range(n.value)]


def read_households(path):
    with open(path, "rb") as f:
        return parse_households(f.read(), path)


class Engine:
    """One pack in a sandbox. Use one Engine per thread."""

    def __init__(self, pack, pack_path=None):
        # Mirrors sa_engine_options (include/sa/engine.h, version 1); zero means "default".
        class Opts(ctypes.Structure):
            _fields_ = [("version", ctypes.c_uint), ("pack_path", ctypes.c_char_p), ("alloc", ctypes.c_void_p),
                        ("alloc_ud", ctypes.c_void_p), ("memory_limit", ctypes.c_size_t),
                        ("instruction_limit", ctypes.c_uint64), ("output_limit", ctypes.c_size_t),
                        ("time_limit_ms", ctypes.c_uint32)]
        self._e = None
        opts = Opts(1, pack_path.encode() if pack_path else None, None, None, 0, 0, 0, 0)
        e = ctypes.c_void_p()
        _check(_L().sa_engine_new(ctypes.byref(e), ctypes.byref(opts)))
        self._e = e
        _check(_L().sa_engine_load(self._e, pack.encode()))

    @property
    def pack_hash(self):
        return _L().sa_engine_pack_hash(self._e).decode()

    def evaluate(self, household, as_of):
        """Evaluate on as_of ("YYYY-MM-DD"); returns the decision as a dict (docs/decision.md)."""
        d = ctypes.c_void_p()
        _check(_L().sa_evaluate(ctypes.byref(d), self._e, household._h, _date(as_of)))
        try:
            out = ctypes.c_void_p()
            _check(_L().sa_decision_to_json(ctypes.byref(out), d, 0))
            try:
                return json.loads(ctypes.string_at(out.value).decode())
            finally:
                _L().sa_free(out)
        finally:
            _L().sa_decision_free(d)

    def __del__(self):
        if getattr(self, "_e", None) and _lib is not None:
            _lib.sa_engine_free(self._e)
            self._e = None
