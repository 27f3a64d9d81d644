#!/usr/bin/env bash
# services.yaml is checked (issue 12 #10): sa lint reports a misspelt key with "did you mean"
# (before, lint passed and every sa eval of the pack failed); sa pack diff names a changed
# price (before: "0 differences"). Usage: services_checked.sh <sa> <source dir>
set -u
sa=$1; src=$2; h="$src/tests/data/hostile"
fail() { echo "FAIL: $*"; exit 1; }
out=$("$sa" lint --pack-path "$h/services_typo:$h/base" cn-x 2>&1)
[ $? -ne 0 ] || fail "lint passed a misspelt key: $out"
echo "$out" | grep -q "unknown key 'max_per_yer'.*did you mean 'max_per_year'" || fail "no did-you-mean: $out"
echo "$out" | grep -q "services.yaml:13:" || fail "no line: $out"
"$sa" lint --pack-path "$h/services_v1:$h/base" cn-x >/dev/null 2>&1 || fail "a good catalog fails lint"
# every problem of a catalog, at every level, each at its file:line:column (before: the first)
out=$("$sa" lint --lang en --pack-path "$h/services_bad:$h/base" cn-x 2>&1)
[ $? -eq 1 ] || fail "lint passed a bad catalog: $out"
f="services_bad/cn-x/services.yaml"
for want in \
  "$f:4:7: error: mode: 'extnd' is not a mode; did you mean 'extend'?" \
  "$f:5:41: error: unknown key 'carry_ovr' in budget; did you mean 'carry_over'?" \
  "$f:5:19: error: budget.amount: '600.005' is not an amount in yuan" \
  "$f:12:40: error: unknown key 'colour' in a category (id, name, note)" \
  "$f:7:45: error: stage categories: unknown category 'concren'; did you mean 'concern'?" \
  "$f:9:11: error: stages: duplicate id 'a'" \
  "$f:14:58: error: who: 'dibaoo' is not a tier; did you mean 'dibao'?" \
  "$f:14:89: error: who: age_max 59 is below age_min 60" \
  "$f:15:82: error: unknown key 'suport_mode' in who; did you mean 'support_mode'?" \
  "$f:15:58: error: who: 'elderlyy' is not a tag; did you mean 'elderly'?" \
  "$f:17:83: error: unknown key 'max_per_yer' in an item; did you mean 'max_per_year'?" \
  "$f:17:38: error: item category: unknown category 'concren'; did you mean 'concern'?" \
  "$f:17:63: error: item price: '1.5e2' is not an amount in yuan" \
  "$f:18:11: error: items: duplicate id 'visit'" \
  "$f:18:86: error: item source: 'guessed' is not a source (seed, national, invented)" \
  "$f:18:61: error: item price: '-5' is not an amount in yuan" \
  "$f:18:73: error: item needs: '关坏' is not a need domain" \
  "$f:19:5: error: items: an item needs a name (text)" \
  "$f:19:43: error: an item: 'unit' must be text" \
  "$f:19:76: error: an item: 'max_per_year' must be a whole number from 0 to 10000" \
  "$f:20:54: error: unknown key 'dispatch_within_dayz' in chain; did you mean 'dispatch_within_days'?" \
  "$f:21:18: error: rating: 'scale' must be a whole number from 1 to 100" \
  "$f:21:48: error: rating: yellow_min 80 is above green_min 70"; do
  echo "$out" | grep -qF "$want" || fail "missing: $want
$out"
done
echo "$out" | grep -q "^1 pack: 23 errors" || fail "not 23 errors: $out"
out=$("$sa" lint --lang en --max-errors 5 --pack-path "$h/services_bad:$h/base" cn-x 2>&1)
[ "$(echo "$out" | grep -c ': error: ')" -eq 5 ] || fail "--max-errors 5 did not stop at 5: $out"
echo "$out" | grep -q "stopped after 5 errors (--max-errors)" || fail "no stop message: $out"
# the shipped packs' catalogs pass
"$sa" lint --quiet --pack-path "$src/policies" >/dev/null 2>&1 || fail "a shipped pack fails lint"
out=$("$sa" pack diff --left-path "$h/services_v1:$h/base" --right-path "$h/services_v2:$h/base" cn-x cn-x 2>&1)
echo "$out" | grep -q "services~ cn-x/services.yaml" || fail "diff does not name services.yaml: $out"
echo "$out" | grep -q "price: 60" || fail "diff does not show the new price: $out"
echo "$out" | grep -q "^1 difference" || fail "not 1 difference: $out"
echo "services checked ok"
