"""Screening a JSON-lines registry on a Dask cluster (Debian: python3-distributed).

    python3 -m libsa.dask screen --pack cn-53 --pack-path DIRS --date 2025-08-01 \\
        --scheduler tcp://HOST:8786 [--partitions N] [--out decisions.jsonl] [--summary FILE] REGISTRY

The client splits the registry into byte ranges that end on line boundaries (one task each;
the file must be readable at the same path on every worker: a shared or copied file). Each
worker process keeps one Engine per thread for the whole run (the pack is loaded once per
worker thread, not per task), evaluates its range line by line exactly as `sa screen` does
(no reasons, the same JSON), and returns the decisions with its partial summary. The client
writes the decisions in registry order and adds the summaries up. docs/scale-out.md.
"""
import json
import os
import threading
import time

import libsa
from libsa.types import Summary

_local = threading.local()


def _engine(pack, pack_path):
    """This worker thread's engine for pack, loaded on first use and kept."""
    cache = getattr(_local, "engines", None)
    if cache is None:
        cache = _local.engines = {}
    key = (pack, pack_path)
    if key not in cache:
        cache[key] = libsa.Engine(pack, pack_path=pack_path)
        global _loads
        with _loads_lock:
            _loads += 1
    return cache[key]


_loads = 0
_loads_lock = threading.Lock()


def engine_loads():
    """How many engines this process has loaded (one per worker thread and pack)."""
    return _loads


def partitions(path, count):
    """Byte ranges [start, end) of the file, `count` of them at most, each ending after a
    newline, with the 1-based number of each range's first line."""
    size = os.path.getsize(path)
    count = max(1, min(count, size or 1))
    cuts = [0]
    with open(path, "rb") as f:
        for k in range(1, count):
            pos = size * k // count
            if pos <= cuts[-1]:
                continue
            f.seek(pos - 1)
            f.readline()  # to the end of the line holding byte pos-1
            p = f.tell()
            if cuts[-1] < p < size:
                cuts.append(p)
    cuts.append(size)
    out, line = [], 1
    with open(path, "rb") as f:
        for a, b in zip(cuts, cuts[1:]):
            out.append((a, b, line))
            f.seek(a)
            line += f.read(b - a).count(b"\n")
    return out


def screen_partition(path, start, end, first_line, pack, pack_path, as_of):
    """Evaluate lines [start, end) of the registry; returns (decisions, errors, summary):
    decisions as (line, json) in order, errors as (line, message)."""
    eng = _engine(pack, pack_path)
    with open(path, "rb") as f:
        f.seek(start)
        data = f.read(end - start)
    decisions, errors, summary = [], [], Summary()
    line = first_line
    for raw in data.split(b"\n"):
        text = raw.decode("utf-8", errors="replace")
        if text.strip(" \t\r"):
            try:
                obj = json.loads(text)
                if not isinstance(obj, dict):
                    raise ValueError("a record is a JSON object (a household)")
                hh = libsa.Household.from_json(text, name=f"{os.path.basename(path)}:{line}")
                try:
                    js = eng.evaluate_json(hh, as_of, reasons=False)
                finally:
                    hh.close()
                summary.add(json.loads(js), obj.get("enrolments") or [])
                decisions.append((line, js))
            except (ValueError, libsa.SaError) as e:
                summary.add_bad()
                errors.append((line, str(e)))
        line += 1
    return decisions, errors, summary


def screen(client, path, pack, as_of, pack_path=None, partitions_count=None, out=None, on_error=None):
    """Screen the registry at path on the cluster of `client`; write each decision (one JSON
    line) to `out` (a text file object) in registry order. Returns (summary, seconds)."""
    path = os.path.abspath(path)
    if partitions_count is None:
        nthreads = sum(client.nthreads().values()) or 1
        partitions_count = nthreads * 4
    parts = partitions(path, partitions_count)
    t0 = time.perf_counter()
    futures = [client.submit(screen_partition, path, a, b, line, pack, pack_path, as_of, pure=False)
               for a, b, line in parts]
    total = Summary()
    for fut in futures:  # in registry order: each partition's decisions, then the next
        decisions, errors, summary = fut.result()
        for line, message in errors:
            if on_error:
                on_error(line, message)
        if out is not None:
            for _, js in decisions:
                out.write(js)
                out.write("\n")
        total.merge(summary)
        fut.release()
    return total, time.perf_counter() - t0
