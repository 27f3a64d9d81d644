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
out=$("$sa" pack diff --left-path "$h/services_v1:$h/base" --right-path "$h/services_v2:$h/base" cn-x cn-x 2>&1)
echo "$out" | grep -q "services~ cn-x/services.yaml" || fail "diff does not name services.yaml: $out"
echo "$out" | grep -q "price: 60" || fail "diff does not show the new price: $out"
echo "$out" | grep -q "^1 difference" || fail "not 1 difference: $out"
echo "services checked ok"
