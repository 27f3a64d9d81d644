#!/usr/bin/env bash
# Start a scratch PostgreSQL cluster, declare sa_evaluate from the built module, and check a
# decision. Usage: test.sh MODULE PG_BINDIR SOURCE_DIR. Runs the server as the `postgres` user
# when started as root (initdb refuses root).
set -euo pipefail
module=$1 bindir=$2 src=$3
work=$(mktemp -d)
run() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() { run "$bindir/pg_ctl" -D "$work/data" -m immediate stop >/dev/null 2>&1 || true; rm -rf "$work"; }
trap cleanup EXIT
chmod 755 "$work"
[ "$(id -u)" -eq 0 ] && chown postgres "$work"
run "$bindir/initdb" -D "$work/data" -A trust -U postgres -E UTF8 --locale=C >/dev/null
run "$bindir/pg_ctl" -D "$work/data" -w -l "$work/log" \
  -o "-k $work -c listen_addresses='' -c sa.pack_path=$src/policies" start >/dev/null
psql=("$bindir/psql" -h "$work" -U postgres -d postgres -X -q -t -A -v ON_ERROR_STOP=1)
run "${psql[@]}" -c "CREATE FUNCTION sa_evaluate(text, text, date) RETURNS jsonb AS '$module', 'sa_pg_evaluate' LANGUAGE C STRICT STABLE;"
hh='{"household": {"id": "pg-1", "region": "530102", "area": "urban",
  "attested": {"assets_within_dibao_limits": true, "assets_within_tekun_limits": true, "assets_within_edge_limits": true},
  "members": [
    {"id": "m1", "relation": "head", "birth": "1980-05-01", "able_to_work": true, "income": {"wages": "1000"}},
    {"id": "m2", "relation": "spouse", "birth": "1982-09-20", "income": {}},
    {"id": "m3", "relation": "child", "birth": "2012-02-14", "income": {}}]}}'
# 云民发〔2025〕40号: 744 × 3 − 1000 = 1232
got=$(run "${psql[@]}" -c "SELECT d->>'tier', p->>'amount' FROM (SELECT sa_evaluate('cn-53', \$hh\$$hh\$hh\$, '2025-08-01') AS d) s, jsonb_array_elements(d->'programs') p WHERE p->>'program' = 'dibao';")
echo "got: $got"
[ "$got" = "dibao|1232.00" ] || { echo "unexpected decision"; exit 1; }
# errors carry the position
if run "${psql[@]}" -c "SELECT sa_evaluate('cn-53', 'household: {id: x, region: \"530102\", area: town, members: []}', '2025-08-01');" 2>"$work/err"; then
  echo "bad household accepted"; exit 1
fi
grep -q "area" "$work/err" || { cat "$work/err"; exit 1; }
echo "postgresql extension ok"
