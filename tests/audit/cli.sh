#!/usr/bin/env bash
# The audit commands end to end: sa eval/screen --log, sa log verify, sa pack archive,
# sa replay, sa pack sign and --verify-key, sa whatif, sa explain; exit codes and messages.
# usage: cli.sh SA_BINARY SOURCE_DIR
set -uo pipefail
sa=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
P=(--pack cn-53 --date 2025-08-01 --pack-path "$src/policies")
H=$src/samples/cn-53/households.yaml
fail() { echo "FAIL: $*"; exit 1; }

# an unwritable log fails before anything is evaluated: no decision printed
out=$("$sa" eval "${P[@]}" --log /nonexistent-dir/d.log "$H" 2>"$tmp/err"); rc=$?
[ $rc = 1 ] && [ -z "$out" ] && grep -q "cannot open the decision log" "$tmp/err" || fail "unwritable log (rc $rc)"

"$sa" eval "${P[@]}" --log "$tmp/d.log" "$H" >/dev/null || fail "eval --log"
"$sa" eval "${P[@]}" --log "$tmp/d.log" --fsync close "$H" >/dev/null || fail "eval --log again"
"$sa" log verify "$tmp/d.log" | grep -q "^OK: 4 records, seq 1 to 4" || fail "verify"

# an edited record: exit 1, the line named
sed '3s/"amount_fen":[0-9]*/"amount_fen":1/' "$tmp/d.log" >"$tmp/e.log"
cmp -s "$tmp/d.log" "$tmp/e.log" && fail "the edit did not apply"
"$sa" log verify "$tmp/e.log" >"$tmp/v" 2>&1 && fail "an edited log verified"
grep -q "e.log:3: BAD record" "$tmp/v" || fail "the bad line is not named: $(cat "$tmp/v")"

# replay: the same under the archived version; a logged decision that differs: exit 1
"$sa" pack archive cn-53 --to "$tmp/archive" --pack-path "$src/policies" >/dev/null || fail "archive"
"$sa" replay "$tmp/d.log" --archive "$tmp/archive" | grep -q "4 records replayed: 4 the same, 0 different" || fail "replay"
sed '1s/"tier":"tekun"/"tier":"dibao"/' "$tmp/d.log" >"$tmp/r.log"
"$sa" replay "$tmp/r.log" --archive "$tmp/archive" >"$tmp/v" 2>&1 && fail "a changed decision replayed clean"
grep -q "tier: logged dibao, now tekun" "$tmp/v" || fail "replay difference: $(cat "$tmp/v")"
mkdir -p "$tmp/empty"
"$sa" replay "$tmp/d.log" --archive "$tmp/empty" 2>"$tmp/v" && fail "replay without the version"
hash=$(sed -n '1s/.*"pack":{[^}]*"hash":"\([0-9a-f]*\)".*/\1/p' "$tmp/d.log")
grep -q "$hash" "$tmp/v" || fail "the missing hash is not named: $(cat "$tmp/v")"
sed '1s/sa-log\/2/sa-log\/7/' "$tmp/d.log" >"$tmp/f.log"
"$sa" replay "$tmp/f.log" --archive "$tmp/archive" 2>"$tmp/v" && fail "another format replayed"
grep -q "log format 'sa-log/7'" "$tmp/v" || fail "format error: $(cat "$tmp/v")"

# screen --log: one record per decision, verified
printf '%s\n' '{"id":"s1","region":"530102","area":"urban","attested":{"assets_within_dibao_limits":true,"assets_within_tekun_limits":true,"assets_within_edge_limits":true},"members":[{"id":"m1","relation":"head","birth":"1980-05-01","employment":"employed","able_to_work":true,"income":{"wages":"300"}}]}' \
  '{"id":"s2","region":"530102","area":"urban","members":[{"id":"m1","relation":"head","birth":"1980-05-01"}]}' >"$tmp/reg.jsonl"
"$sa" screen "${P[@]}" --log "$tmp/s.log" --redact --redact-salt "$src/tests/audit/salt.txt" --out /dev/null \
  --summary /dev/null "$tmp/reg.jsonl" || fail "screen --log"
"$sa" log verify "$tmp/s.log" | grep -q "^OK: 2 records" || fail "screen log"
grep -q '"s1"' "$tmp/s.log" && fail "redacted log holds an id"

# signatures: refused while unsigned or changed, named; accepted once signed
cp -r "$src/policies/cn" "$src/policies/cn-53" "$tmp/" || fail "copy packs"
mkdir -p "$tmp/packs" && mv "$tmp/cn" "$tmp/cn-53" "$tmp/packs/"
openssl genpkey -algorithm ed25519 -out "$tmp/k.pem" 2>/dev/null || fail "openssl genpkey"
openssl pkey -in "$tmp/k.pem" -pubout -out "$tmp/k.pub" || fail "openssl pkey"
"$sa" eval --pack cn-53 --date 2025-08-01 --pack-path "$tmp/packs" --verify-key "$tmp/k.pub" "$H" 2>"$tmp/v" >/dev/null \
  && fail "an unsigned pack loaded"
grep -q "pack cn is not signed" "$tmp/v" || fail "unsigned: $(cat "$tmp/v")"
"$sa" pack sign cn --key "$tmp/k.pem" --pack-path "$tmp/packs" >/dev/null || fail "sign cn"
"$sa" pack sign cn-53 --key "$tmp/k.pem" --pack-path "$tmp/packs" >/dev/null || fail "sign cn-53"
"$sa" eval --pack cn-53 --date 2025-08-01 --pack-path "$tmp/packs" --verify-key "$tmp/k.pub" "$H" >/dev/null \
  || fail "signed packs refused"
echo "# changed" >>"$tmp/packs/cn-53/params.yaml"
"$sa" eval --pack cn-53 --date 2025-08-01 --pack-path "$tmp/packs" --verify-key "$tmp/k.pub" "$H" 2>"$tmp/v" >/dev/null \
  && fail "a changed pack loaded"
grep -q "pack cn-53 changed since it was signed" "$tmp/v" || fail "changed: $(cat "$tmp/v")"

# what-if and explain
"$sa" whatif "${P[@]}" --set members.m1.income.wages=1500 "$src/tests/audit/dibao3.yaml" >"$tmp/w" || fail "whatif"
grep -q "programs.dibao.amount: 1232.00 → 732.00" "$tmp/w" || fail "whatif diff: $(cat "$tmp/w")"
"$sa" whatif "${P[@]}" --vary members.m1.income.wages=0:3000:500 "$src/tests/audit/dibao3.yaml" >"$tmp/w" || fail "vary"
[ "$(wc -l <"$tmp/w")" = 8 ] || fail "vary rows: $(cat "$tmp/w")"
grep -q "^2000 .*dibao .*符合 232.00" "$tmp/w" || fail "vary row: $(cat "$tmp/w")"
"$sa" explain "${P[@]}" --lang both --household yn-dibao-002 "$H" >"$tmp/x" || fail "explain"
grep -q "1,000.00 < 744.00 × 3 = 2,232.00" "$tmp/x" && grep -q "1. Outcome" "$tmp/x" && grep -q "一、结论" "$tmp/x" \
  || fail "explain text: $(head -20 "$tmp/x")"
echo "audit cli ok"
