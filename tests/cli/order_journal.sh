#!/usr/bin/env bash
# sa order over a JSON-lines journal: a refused step leaves the journal byte for byte as it
# was; a record cut short by a crash is reported by show and removed (never applied) before
# the next append; show --format json gives the records.
# usage: order_journal.sh SA_BINARY SOURCE_DIR
set -euo pipefail
sa=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
j=$tmp/orders.jsonl
o=(--pack cn-150602 --pack-path "$src/policies" --journal "$j")
fail() { echo "FAIL: $*"; exit 1; }

"$sa" order new "${o[@]}" --household h1 --member m1 --item deep_clean --at 2025-03-01T09:00 >/dev/null
"$sa" order advance "${o[@]}" O000001 order --at 2025-03-02 >/dev/null
cp "$j" "$tmp/before"
# 服务 cannot follow 点单: exit 1, the journal unchanged
if "$sa" order advance "${o[@]}" O000001 serve --at 2025-03-03 2>"$tmp/err" >/dev/null; then fail "serve after order accepted"; fi
grep -q "服务 不能接在 已点单 之后" "$tmp/err" || fail "refusal message: $(cat "$tmp/err")"
cmp -s "$j" "$tmp/before" || fail "a refused step changed the journal"
# an application over the yearly budget (1000 yuan): refused, journal unchanged
if "$sa" order new "${o[@]}" --household h1 --member m1 --item massage --quantity 10 --at 2025-03-05 >/dev/null 2>"$tmp/err"; then
  : # 100 + 800 = 900: within the budget
else fail "900 of 1000 refused: $(cat "$tmp/err")"; fi
cp "$j" "$tmp/before"
if "$sa" order new "${o[@]}" --household h1 --member m1 --item deep_clean --quantity 2 --at 2025-03-06 2>"$tmp/err" >/dev/null; then
  fail "1100 of 1000 accepted"; fi
grep -q "超出年度预算" "$tmp/err" || fail "budget message: $(cat "$tmp/err")"
cmp -s "$j" "$tmp/before" || fail "a refused application changed the journal"

# a crash in the middle of a write: the last line has no newline
printf '{"event":"dispatch","order":"O000001","at":"2025-03-0' >>"$j"
"$sa" order show "${o[@]}" --format json --date 2025-03-04 >"$tmp/show" 2>"$tmp/err"
grep -q "orders.jsonl:4: 最后一行不完整" "$tmp/err" || fail "cut record not reported: $(cat "$tmp/err")"
[ "$(wc -l <"$tmp/show")" = 2 ] || fail "show: $(cat "$tmp/show")"
grep -q '"id":"O000001".*"state":"ordered".*"overdue":false' "$tmp/show" || fail "record: $(cat "$tmp/show")"
# the next append drops the cut record first, then writes whole lines
"$sa" order advance "${o[@]}" O000001 dispatch --provider 东胜家政 --at 2025-03-03 >/dev/null 2>"$tmp/err"
grep -q "删除了被中断的最后一条记录" "$tmp/err" || fail "cut record not removed: $(cat "$tmp/err")"
[ "$(wc -l <"$j")" = 4 ] || fail "journal lines: $(cat "$j")"
tail -1 "$j" | grep -qx '{"event":"dispatch","order":"O000001","at":"2025-03-03T00:00:00","provider":"东胜家政"}' || fail "appended: $(tail -1 "$j")"
"$sa" order show "${o[@]}" O000001 --date 2025-03-04 >"$tmp/show" 2>"$tmp/err"
[ ! -s "$tmp/err" ] || fail "clean journal reported: $(cat "$tmp/err")"
grep -q "下一步 next: 接单 accept  限 due 2025-03-10" "$tmp/show" || fail "text: $(cat "$tmp/show")"
echo "order journal ok"
