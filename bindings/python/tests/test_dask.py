"""Screening on Dask: a LocalCluster of 2 worker processes gives the decisions and summary of
`sa screen` on the same file; each worker loads the pack once."""
import os
import subprocess
import sys

import pytest

from conftest import DATE, PACKS, sa_screen, untimed

import distributed  # python3-distributed (scripts/setup.sh); a missing package fails, never skips


@pytest.fixture(scope="module")
def cluster():
    cl = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = distributed.Client(cl)
    yield cl, client
    client.close()
    cl.close()


def test_dask_equals_sa_screen(registry, tmp_path, cluster):
    import libsa.dask
    cl, client = cluster
    cli_lines, cli_summary = sa_screen(registry, tmp=tmp_path)
    out = tmp_path / "dask.jsonl"
    with open(out, "w", encoding="utf-8") as f:
        summary, _ = libsa.dask.screen(client, str(registry), "cn-test", DATE, pack_path=PACKS, partitions_count=9, out=f)
    assert out.read_text(encoding="utf-8").splitlines() == cli_lines
    assert untimed(summary.text("cn-test", DATE, 1.0, 2)) == cli_summary
    assert summary.bad > 0  # the generator's malformed lines were counted, not fatal
    loads = client.run(libsa.dask.engine_loads)
    assert sorted(loads.values()) == [1, 1], loads  # 9 tasks, one pack load per worker


def test_module_entry_point(registry, tmp_path, cluster):
    cl, _ = cluster
    cli_lines, cli_summary = sa_screen(registry, tmp=tmp_path)
    out, summ = tmp_path / "m.jsonl", tmp_path / "m.summary"
    subprocess.run([sys.executable, "-m", "libsa.dask", "screen", "--pack", "cn-test", "--pack-path", PACKS,
                    "--date", DATE, "--scheduler", cl.scheduler_address, "--out", str(out), "--summary", str(summ),
                    str(registry)], check=True, stderr=subprocess.DEVNULL, env=dict(os.environ))
    assert out.read_text(encoding="utf-8").splitlines() == cli_lines
    assert untimed(summ.read_text(encoding="utf-8")) == cli_summary


def test_partitions_cover_the_file(registry):
    import libsa.dask
    parts = libsa.dask.partitions(str(registry), 7)
    size = os.path.getsize(registry)
    assert parts[0][0] == 0 and parts[-1][1] == size
    assert all(a[1] == b[0] for a, b in zip(parts, parts[1:]))
    data = registry.read_bytes()
    assert all(data[b - 1:b] == b"\n" for _, b, _ in parts[:-1])
    assert parts[0][2] == 1 and parts[-1][2] == data[:parts[-1][0]].count(b"\n") + 1
