"""python3 -m libsa.dask screen --pack ID [--pack-path DIRS] [--date YYYY-MM-DD]
       (--scheduler ADDR | --local N) [--partitions N] [--out FILE] [--summary FILE] REGISTRY

Screens a JSON-lines registry on a Dask cluster; decisions go to --out (default standard
output) in registry order, the summary (as `sa screen` prints it) to --summary (default
standard error). --local N starts a LocalCluster of N worker processes instead."""
import argparse
import datetime
import sys

from . import screen


def main(argv=None):
    ap = argparse.ArgumentParser(prog="python3 -m libsa.dask")
    sub = ap.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("screen", help="screen a JSON-lines registry on a Dask cluster")
    s.add_argument("--pack", required=True)
    s.add_argument("--pack-path")
    s.add_argument("--date", default=datetime.date.today().isoformat())
    g = s.add_mutually_exclusive_group(required=True)
    g.add_argument("--scheduler", help="address of a running dask scheduler, e.g. tcp://10.0.0.1:8786")
    g.add_argument("--local", type=int, metavar="N", help="start a LocalCluster of N worker processes")
    s.add_argument("--partitions", type=int, help="tasks to split the registry into (default: 4 per worker thread)")
    s.add_argument("--out", help="decisions, one JSON line each (default: standard output)")
    s.add_argument("--summary", help="the summary (default: standard error)")
    s.add_argument("registry")
    a = ap.parse_args(argv)

    from distributed import Client, LocalCluster

    cluster = None
    if a.local:
        cluster = LocalCluster(n_workers=a.local, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(a.scheduler)
    out = open(a.out, "w", encoding="utf-8") if a.out else sys.stdout
    try:
        def err(line, message):
            print(f"python3 -m libsa.dask screen: line {line}: {message}", file=sys.stderr)
        summary, secs = screen(client, a.registry, a.pack, a.date, pack_path=a.pack_path,
                               partitions_count=a.partitions, out=out, on_error=err)
        workers = len(client.scheduler_info()["workers"])
    finally:
        if out is not sys.stdout:
            out.close()
        client.close()
        if cluster is not None:
            cluster.close()
    text = summary.text(a.pack, a.date, secs, workers, unit="dask workers")
    if a.summary:
        with open(a.summary, "w", encoding="utf-8") as f:
            f.write(text)
    else:
        sys.stderr.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
