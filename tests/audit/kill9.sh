#!/usr/bin/env bash
# kill -9 loses no record reported written: sa screen --log writes each record before it hands
# the decision on; the writer is killed mid-run, and every decision that reached the output
# must be in the log, whose only possible fault is a truncated last line.
# usage: kill9.sh SA_BINARY SOURCE_DIR
set -euo pipefail
sa=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
line='{"id":"k-ID","region":"530102","area":"urban","attested":{"assets_within_dibao_limits":true,"assets_within_tekun_limits":true,"assets_within_edge_limits":true},"members":[{"id":"m1","relation":"head","birth":"1980-05-01","employment":"employed","able_to_work":true,"income":{"wages":"1000"}}]}'
for i in $(seq 1 2000); do echo "${line/ID/$i}"; done >"$tmp/registry.jsonl"
"$sa" screen --pack cn-53 --date 2025-08-01 --pack-path "$src/policies" --jobs 2 --log "$tmp/k.log" \
  --out "$tmp/out.jsonl" --summary "$tmp/summary.txt" "$tmp/registry.jsonl" 2>/dev/null &
pid=$!
# wait (no time limit asserted) until decisions are being reported, then kill -9
while kill -0 "$pid" 2>/dev/null; do
  n=$(wc -l <"$tmp/out.jsonl" 2>/dev/null || echo 0)
  [ "$n" -ge 200 ] && break
  sleep 0.01
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
reported=$(wc -l <"$tmp/out.jsonl")   # complete lines only
set +e
"$sa" log verify "$tmp/k.log" >"$tmp/verify.txt" 2>&1
rc=$?
set -e
cat "$tmp/verify.txt"
records=$(sed -n 's/^OK: \([0-9]*\) records.*/\1/p; s/^FAILED: \([0-9]*\) records good.*/\1/p' "$tmp/verify.txt")
if grep -q "BAD record" "$tmp/verify.txt"; then echo "a bad record after kill -9"; exit 1; fi
if [ "$rc" != 0 ] && ! grep -q TRUNCATED "$tmp/verify.txt"; then echo "verify failed for another reason"; exit 1; fi
if [ -z "$records" ] || [ "$reported" -gt "$records" ]; then
  echo "lost: $reported decisions reported, $records records in the log"; exit 1
fi
echo "kill9 ok: $reported decisions reported written, $records records in the log, verify exit $rc"
