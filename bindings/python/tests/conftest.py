"""Shared fixtures. SA_SOURCE_DIR is the libsa source tree (policies/, samples/); SA_GEN and
SA_CLI are bench/sa-gen and the sa program of the build (bindings/python/test.sh sets them)."""
import os
import pathlib
import subprocess

import pytest

SRC = pathlib.Path(os.environ.get("SA_SOURCE_DIR", pathlib.Path(__file__).resolve().parents[3]))
PACKS = str(SRC / "policies")
DATE = "2025-08-01"


@pytest.fixture(scope="session")
def src():
    return SRC


@pytest.fixture(scope="session")
def packs():
    return PACKS


@pytest.fixture(scope="session")
def registry(tmp_path_factory):
    """2,000 generated households (JSON lines) with a few malformed lines, in the test region of
    pack cn-test (a pack decides only households of its own region)."""
    gen = os.environ.get("SA_GEN")
    if not gen:
        pytest.skip("SA_GEN (bench/sa-gen) not set")
    path = tmp_path_factory.mktemp("registry") / "registry.jsonl"
    with open(path, "wb") as f:
        subprocess.run([gen, "--seed", "7", "--count", "2000", "--bad", "3", "--pack", "cn-test", "--pack-path", PACKS,
                        "--date", DATE], stdout=f, check=True)
    return path


def sa_screen(registry, pack="cn-test", date=DATE, tmp=None):
    """`sa screen` on the registry: (decision lines, summary text without the timing line)."""
    cli = os.environ.get("SA_CLI")
    if not cli:
        pytest.skip("SA_CLI (the sa program) not set")
    out, summ = tmp / "cli.jsonl", tmp / "cli.summary"
    subprocess.run([cli, "screen", "--pack", pack, "--pack-path", PACKS, "--date", date, "--out", str(out),
                    "--summary", str(summ), str(registry)], check=True, stderr=subprocess.DEVNULL)
    return out.read_text(encoding="utf-8").splitlines(), untimed(summ.read_text(encoding="utf-8"))


def untimed(summary):
    """A summary text with the run time and thread count cut from its second line, up to the
    per-region breakdown `sa screen` adds after it (not part of sa_screen_summary)."""
    lines = summary.splitlines()
    lines[1] = lines[1].split(";")[0]
    for i, line in enumerate(lines):
        if line.startswith("  by region"):
            lines = lines[:i]
            break
    return "\n".join(lines)
