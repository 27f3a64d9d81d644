#!/usr/bin/env bash
# sa monitor --format json, then sa alert ack/close over the records file: the lifecycle is
# enforced, a refused step leaves the file byte for byte, the file is replaced whole.
# usage: alert_lifecycle.sh SA_BINARY SOURCE_DIR
set -euo pipefail
sa=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
f=$tmp/alerts.jsonl
fail() { echo "FAIL: $*"; exit 1; }
"$sa" monitor --pack cn-6101 --pack-path "$src/policies" --date 2025-09-01 --format json \
  "$src/tests/data/monitor/events.yaml" >"$f"
id=$(grep '"rule":"monitor.visit.hospital"' "$f" | sed 's/^{"id":"\([^"]*\)".*/\1/')
[ -n "$id" ] || fail "no hospital visit alert"
cp "$f" "$tmp/before"
if "$sa" alert close --file "$f" "$id" --outcome x --at 2025-09-02 2>"$tmp/err"; then fail "closed an open alert"; fi
grep -q "须先签收再关闭" "$tmp/err" || fail "message: $(cat "$tmp/err")"
cmp -s "$f" "$tmp/before" || fail "a refused close changed the file"
"$sa" alert ack --file "$f" "$id" --by 张社工 --at 2025-09-02T10:00
"$sa" alert close --file "$f" "$id" --at 2025-09-03 --outcome "已入户走访"
grep -q "\"id\":\"$id\".*\"status\":\"closed\".*\"acknowledged_at\":\"2025-09-02T10:00\",\"acknowledged_by\":\"张社工\",\"closed_at\":\"2025-09-03\",\"outcome\":\"已入户走访\"" "$f" \
  || fail "record: $(grep "$id" "$f")"
[ "$(wc -l <"$f")" = "$(wc -l <"$tmp/before")" ] || fail "records lost"
ls "$tmp" | grep -q tmp && fail "a temporary file was left behind"
"$sa" alert show --file "$f" --date 2025-09-05 | grep -q "\[closed\]" || fail "show"
echo "alert lifecycle ok"
