#!/usr/bin/env bash
# The extension on a real server: install the build with DESTDIR into a scratch tree that
# mirrors Debian's PostgreSQL layout (the server finds its share and lib folders relative to
# its binary, so a copy of postgres there loads our sa.control and sa_pg.so), initdb and
# pg_ctl a scratch cluster, CREATE EXTENSION sa, and check: the bare jsonb household and the
# text form, sa_try_evaluate over 10,000 generated rows with one bad row, sa_screen_summary
# against `sa screen` on the same rows, a parallel plan, sa_reload() and SET sa.pack_path on
# the open connection. Usage: test.sh BUILD_DIR SOURCE_DIR PG_BINDIR PG_PKGLIBDIR PG_SHAREDIR
set -euo pipefail
build=$1 src=$2 bindir=$3 pkglibdir=$4 sharedir=$5
work=$(mktemp -d)
run() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() { run "$root$bindir/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"; }
root=$work/root
trap cleanup EXIT
chmod 755 "$work"
DESTDIR=$root cmake --install "$build" >/dev/null
# the server: its binaries copied (not linked: it resolves its own path), the rest linked
mkdir -p "$root$bindir" "$root$pkglibdir" "$root$sharedir/extension"
for b in postgres initdb pg_ctl psql; do cp "$bindir/$b" "$root$bindir/"; done
for f in "$pkglibdir"/*; do [ -e "$root$pkglibdir/$(basename "$f")" ] || ln -s "$f" "$root$pkglibdir/"; done
for f in "$sharedir"/*; do [ "$(basename "$f")" = extension ] || ln -s "$f" "$root$sharedir/"; done
for f in "$sharedir"/extension/*; do [ -e "$root$sharedir/extension/$(basename "$f")" ] || ln -s "$f" "$root$sharedir/extension/"; done
test -f "$root$sharedir/extension/sa.control" && test -f "$root$pkglibdir/sa_pg.so"
# sa_pg.so needs libsa.so from the same install
libdir=$(dirname "$(find "$root" -name 'libsa.so' | head -1)")
packs=$(find "$root" -type d -path '*/share/sa/policies' | head -1)
# a copy of the packs to change on disk while the connection stays open
cp -r "$src/policies" "$work/packs"
[ "$(id -u)" -eq 0 ] && chown -R postgres "$work"
run env LD_LIBRARY_PATH="$libdir" "$root$bindir/initdb" -D "$work/data" -A trust -U postgres -E UTF8 --locale=C >/dev/null
run env LD_LIBRARY_PATH="$libdir" "$root$bindir/pg_ctl" -D "$work/data" -w -l "$work/log" \
  -o "-k $work -c listen_addresses='' -c sa.pack_path=$packs -c max_worker_processes=8" start >/dev/null
psql=("$root$bindir/psql" -h "$work" -U postgres -d postgres -X -q -t -A -v ON_ERROR_STOP=1)
q() { run "${psql[@]}" "$@"; }
check() { # check NAME EXPECTED GOT
  if [ "$2" = "$3" ]; then echo "ok   $1"; else echo "FAIL $1: expected [$2], got [$3]"; exit 1; fi
}

q -c "CREATE EXTENSION sa;"
hh=$(cat "$src/samples/cn-53/yn-dibao-002.json")
dibao() { echo "SELECT p->>'amount' FROM jsonb_array_elements(($1)->'programs') p WHERE p->>'program' = 'dibao'"; }
# 云民发〔2025〕40号: 744 × 3 − 1000 = 1232, from the bare jsonb object and from the YAML text
check "bare jsonb household" "dibao|1232.00" \
  "$(q -c "SELECT d->>'tier', p->>'amount' FROM (SELECT sa_evaluate('cn-53', \$h\$$hh\$h\$::jsonb, '2025-08-01') d) s, jsonb_array_elements(d->'programs') p WHERE p->>'program' = 'dibao';")"
yaml=$(printf 'household:\n  id: yn-dibao-002\n  region: "530102"\n  area: urban\n  attested: {assets_within_dibao_limits: true, assets_within_tekun_limits: true, assets_within_edge_limits: true}\n  members:\n    - {id: m1, relation: head, birth: 1980-05-01, employment: employed, able_to_work: true, income: {wages: "1000"}}\n    - {id: m2, relation: spouse, birth: 1982-09-20, disability: {type: physical, grade: 2}, serious_illness: false, employment: none, income: {}}\n    - {id: m3, relation: child, birth: 2012-02-14, education: {level: junior, full_time: true}, income: {}}\n')
check "text (YAML) form gives the same decision" "t" \
  "$(q -c "SELECT sa_evaluate('cn-53', \$h\$$yaml\$h\$::text, '2025-08-01') = sa_evaluate('cn-53', \$h\$$hh\$h\$::jsonb, '2025-08-01');")"

# errors: raised by sa_evaluate with the position, returned by sa_try_evaluate
if q -c "SELECT sa_evaluate('cn-53', '{\"id\": \"x\", \"region\": \"530102\", \"area\": \"town\", \"members\": []}'::jsonb, '2025-08-01');" 2>"$work/err"; then
  echo "FAIL bad household accepted"; exit 1
fi
grep -q "area" "$work/err" && echo "ok   sa_evaluate raises: $(head -1 "$work/err")"
check "sa_try_evaluate returns the error" "area|household|t" \
  "$(q -c "SELECT e->'error'->>'path', e->'error'->>'stage', e->'error'->>'message' LIKE '%town%' FROM (SELECT sa_try_evaluate('cn-53', '{\"id\": \"x\", \"region\": \"530102\", \"area\": \"town\", \"members\": [{\"id\": \"m1\", \"relation\": \"head\", \"birth\": \"1980-01-01\"}]}'::jsonb, '2025-08-01') e) s;")"

# 10,000 generated households, row 5000 made bad
# (generated households live in cn-test's test region: a pack decides only its own region)
"$build/bench/sa-gen" --seed 3 --count 10000 --pack cn-test --pack-path "$src/policies" --date 2025-08-01 >"$work/reg.jsonl"
awk 'NR == 5000 { sub(/"area": "[a-z]*"/, "\"area\": \"town\"") } { print }' "$work/reg.jsonl" >"$work/reg2.jsonl"
chmod 644 "$work/reg2.jsonl"
q -c "CREATE TABLE registry (n serial PRIMARY KEY, h jsonb NOT NULL);"
q -c "\\copy registry (h) FROM '$work/reg2.jsonl' WITH (FORMAT csv, QUOTE e'\\x01', DELIMITER e'\\x02')"
q -c "ANALYZE registry;"
check "9,999 decisions and 1 error over 10,000 rows" "9999|1|5000" \
  "$(q -c "SELECT count(*) FILTER (WHERE d ? 'tier'), count(*) FILTER (WHERE d ? 'error'), min(n) FILTER (WHERE d ? 'error') FROM (SELECT n, sa_try_evaluate('cn-test', h, '2025-08-01') d FROM registry) s;")"

# the aggregate equals sa screen's summary on the same file
"$build/cli/sa" screen --pack cn-test --pack-path "$src/policies" --date 2025-08-01 --out /dev/null \
  --summary "$work/cli.summary" "$work/reg2.jsonl" 2>/dev/null
serial=$(q -c "SET max_parallel_workers_per_gather = 0; SELECT sa_screen_summary(sa_try_evaluate('cn-test', h, '2025-08-01')) FROM registry;")
echo "$serial" >"$work/serial.json"
python3 - "$work/serial.json" "$work/cli.summary" <<'PY'
import json, re, sys
s = json.load(open(sys.argv[1]))
text = open(sys.argv[2], encoding="utf-8").read()
m = re.search(r"records (\d+), evaluated (\d+), skipped \(bad\) (\d+)", text)
assert (s["records"], s["evaluated"], s["errors"]) == tuple(map(int, m.groups())), (s, m.groups())
tiers = dict(re.findall(r" (tekun|dibao|edge|rigid|none) (\d+)", text.split("tier / 层级:")[1].splitlines()[0]))
assert {k: v["households"] for k, v in s["tiers"].items()} == {k: int(tiers.get(k, 0)) for k in s["tiers"]}, (s, tiers)
assert set(tiers) <= set(s["tiers"]), tiers
for prog in ("tekun", "dibao", "edge", "rigid"):
    row = re.search(r"^  %s +(\d+) +(\d+) +([\d.]+)/month" % prog, text, re.M).groups()
    got = s["programs"][prog]
    assert (got["eligible"], got["undetermined"], "%.2f" % got["cash"]) == (int(row[0]), int(row[1]), row[2]), (prog, got, row)
cash = sum(v["cash"] for v in s["tiers"].values())
assert abs(cash - sum(v["cash"] for v in s["programs"].values())) < 0.001
print("ok   sa_screen_summary equals sa screen: %d records, %d evaluated, %d bad" % (s["records"], s["evaluated"], s["errors"]))
PY

# PARALLEL SAFE: the planner splits the aggregate over workers, and the result is the same
par=(-c "SET parallel_setup_cost = 0; SET parallel_tuple_cost = 0; SET min_parallel_table_scan_size = 0; SET max_parallel_workers_per_gather = 2;")
plan=$(q "${par[@]}" -c "EXPLAIN (COSTS OFF) SELECT sa_screen_summary(sa_try_evaluate('cn-test', h, '2025-08-01')) FROM registry;")
echo "$plan" | sed 's/^/     /'
echo "$plan" | grep -q "Gather" && echo "$plan" | grep -q "Partial Aggregate" && echo "$plan" | grep -q "Parallel Seq Scan" \
  || { echo "FAIL no parallel plan"; exit 1; }
launched=$(q "${par[@]}" -c "EXPLAIN (ANALYZE, COSTS OFF, TIMING OFF, SUMMARY OFF) SELECT sa_screen_summary(sa_try_evaluate('cn-test', h, '2025-08-01')) FROM registry;" | sed -n 's/.*Workers Launched: \([0-9]*\).*/\1/p')
[ "${launched:-0}" -ge 1 ] || { echo "FAIL no parallel worker launched"; exit 1; }
echo "ok   parallel plan, $launched workers launched"
check "parallel result equals serial" "$serial" \
  "$(q "${par[@]}" -c "SELECT sa_screen_summary(sa_try_evaluate('cn-test', h, '2025-08-01')) FROM registry;")"

# reload and pack_path on one open connection: 800 × 3 − 1000 = 1400, then 900 × 3 − 1000 = 1700
params=$work/packs/cn-53/params.yaml
sed -i 's/value: "744"/value: "800"/' "$params"
out=$(q -c "SELECT ($(dibao "sa_evaluate('cn-53', \$h\$$hh\$h\$::jsonb, '2025-08-01')"));" \
  -c "SET sa.pack_path = '$work/packs';" \
  -c "SELECT ($(dibao "sa_evaluate('cn-53', \$h\$$hh\$h\$::jsonb, '2025-08-01')"));" \
  -c "\\! sed -i 's/value: \"800\"/value: \"900\"/' $params" \
  -c "SELECT ($(dibao "sa_evaluate('cn-53', \$h\$$hh\$h\$::jsonb, '2025-08-01')"));" \
  -c "SELECT sa_reload() > 0;" \
  -c "SELECT ($(dibao "sa_evaluate('cn-53', \$h\$$hh\$h\$::jsonb, '2025-08-01')"));" | tr '\n' ' ')
check "SET sa.pack_path and sa_reload() on the open connection" "1232.00 1400.00 1400.00 t 1700.00 " "$out"
echo "postgresql extension ok"
