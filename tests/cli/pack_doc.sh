#!/usr/bin/env bash
# sa pack doc: the reference of every shipped pack is generated here (into BUILD/reference),
# never written by hand; it documents every rule function and parameter of the chain, what the
# rules read and return, value histories with sources, and who defines or overrides what. The
# HTML is rendered by headless chromium. Also: a child overriding the rounding of an inherited
# ratio (tests/data/packs/rounding). Usage: pack_doc.sh SA SOURCE_DIR BUILD_DIR
set -uo pipefail
SA=$1 SRC=$2 OUT=$(cd "$3" && pwd)/reference
export SA_PACK_PATH=$SRC/policies LANG=C.UTF-8
mkdir -p "$OUT"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fails=0
check() { local name=$1; shift; if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fails=$((fails + 1)); fi; }
D=2024-07-01
for dir in "$SRC"/policies/cn*; do
  id=$(basename "$dir")
  $SA pack doc "$id" --date $D >"$OUT/$id.md" || { echo "FAIL pack doc $id"; fails=$((fails + 1)); continue; }
  $SA pack doc "$id" --date $D --format html >"$OUT/$id.html"
  $SA pack show "$id" --date $D --format json >"$T/$id.json"
  check "$id: every rule function and parameter of the chain is documented" python3 - "$T/$id.json" "$OUT/$id.md" <<'PY'
import json, sys
show = json.load(open(sys.argv[1])); doc = open(sys.argv[2]).read()
for r in show["rules"]:
    assert "### `rules.%s(" % r["name"] in doc, r["name"]
for p in show["params"]:
    assert "### `%s`" % p["name"] in doc, p["name"]
PY
done
$SA pack doc cn-371621 --date $D >"$T/again.md"
check "the reference is generated: the same twice" cmp -s "$OUT/cn-371621.md" "$T/again.md"
M=$OUT/cn-371621.md
check "reasons: every sa.reason_def of the chain, by id, with its templates, reference, parameters and arguments" \
  python3 - "$SRC/policies" "$M" <<'PY'
import glob, re, sys
doc = open(sys.argv[2]).read()
sec = doc[doc.index("## 理由 / Reasons"):doc.index("## 参数 / Parameters")]
ids = [row.split(" | ")[0][2:].replace("\\_", "_") for row in sec.splitlines() if row.startswith("| ") and not row.startswith("| id ") and not row.startswith("| ---")]
declared = set()
for f in glob.glob(sys.argv[1] + "/cn/rules/*.lua"):
    declared |= set(re.findall(r'sa\.reason_def\(\s*"([^"]+)"\s*,', open(f).read()))  # ids written out whole
assert ids == sorted(ids), "not sorted by id"
missing = declared - set(ids)
assert not missing, sorted(missing)[:5]
assert len(ids) >= len(declared)
gap = next(r for r in sec.splitlines() if r.startswith("| dibao.amount.gap |"))
assert "差额计发：低保标准 {S:yuan} 元" in gap and "第二十三条" in gap and "S, n, who\\_zh, who\\_en, income, gap" in gap, gap
PY
check "rule: defined by, file:lines" grep -q '^- 定义 defined by: `cn`, `cn/rules/dibao.lua:[0-9]*-[0-9]*`' "$M"
check "rule: the author's comment" grep -q '^> 分类施保 supplement of member m' "$M"
check "rule: parameters read (through a local alias of rules.param)" grep -q '^- 读取的参数 parameters read: `supplement.elderly`, `supplement.elderly_age`' "$M"
check "rule: fields of its arguments read" grep -q '^- 读取的字段 fields read: `F.by_id`, `m.disability`, `m.id`, `m.serious_illness`' "$M"
check "rule: the record returned, with types" bash -c "grep -qF '  - \`status\`: \"eligible\" \\| \"ineligible\"' '$M' && grep -q '^  - \`amount\`: integer fen' '$M'"
check "record table: every key the engine reads from a rule's result (libsa/lua/convert.c), typed" python3 - "$SRC/libsa/lua/convert.c" "$M" <<'PY'
import re, sys
src = open(sys.argv[1]).read()
keys = set(re.findall(r'(?:lua_pushliteral\(L, |opt_str\(L, [^,]+, |read_str_list\(L, [^,]+, |margin_int\(L, [^,]+, '
                      r'|margin_bool\(L, [^,]+, |lua_getfield\(L, [^,]+, )"([a-z_]+)"', src))
assert {"status", "amount", "care_levels", "margin", "candidates"} <= keys, keys
doc = open(sys.argv[2]).read()
table = doc[doc.index("| field | type |"):]
rows = {m.group(1).replace("\\", ""): m.group(2) for m in re.finditer(r"^\| ([a-z_\\]+) \| (.+) \|$", table, re.M)}
missing = sorted(k for k in keys if not rows.get(k))
assert not missing, missing
PY
check "rule: how to override it" grep -q 'function rules.dibao_supplement(m, h, ctx, F, S) … end`; the parent.s version is `super.dibao_supplement(m, h, ctx, F, S)`' "$M"
check "parameter: value history with packs and sources" grep -q '^| 2023-01-01 |  | 189 | cn-371621 | 惠民县调整2023年困难群众救助保障标准' "$M"
check "parameter: an unknown period" grep -q '^| 2024-01-01 |  | null (unknown) | cn-371621 |' "$M"
check "parameter: declared by, with its legal reference" grep -q '声明 declared by `cn`: 特困人员认定办法' "$M"
# which pack defines or overrides: a child that overrides a rule, calling super
check "override: defined by the child, overrides the parent, calls super" bash -c "
  $SA pack doc cn-1101 --pack-path '$SRC/tests/data/lint/overlay' --date 2025-03-01 |
  grep -q '^- 定义 defined by: \`cn-1101\`, \`cn-1101/rules/amount.lua:3-[0-9]*\`; 覆盖 overrides \`cn-11\` (调用 calls super); 定义于 defined in \`cn\`, \`cn-11\`, \`cn-1101\`'"
# the HTML renders in a real browser
HOME=$T timeout 120 chromium --headless --no-sandbox --disable-gpu --user-data-dir="$T/chrome" \
  --dump-dom "file://$OUT/cn-371621.html" >"$T/dom.html" 2>/dev/null
check "HTML: rendered by headless chromium" bash -c "grep -q 'id=\"rule-dibao_supplement\"' '$T/dom.html' && grep -q '<td>cn-371621</td>' '$T/dom.html'"

# a child overrides the rounding of an inherited ratio
R=$SRC/tests/data/packs/rounding
check "rounding override: the child's golden case (199, not 198.60) passes" \
  bash -c "$SA test --pack-path '$R:$SRC/policies' cn-610399 | grep -q '^2 passed, 0 failed'"
check "rounding override: the parent still rounds half-up to the fen (722.60)" \
  bash -c "$SA test cn-6103 | grep -q ' 0 failed'"
$SA pack show cn-610399 supplement.elderly --pack-path "$R:$SRC/policies" --date 2023-08-01 --format json >"$T/r.json"
check "rounding override: pack show names the rounding in force" python3 -c '
import json, sys
p = {x["name"]: x for x in json.load(open(sys.argv[1]))["params"]}
assert p["supplement.elderly"]["rounding"] == "up_yuan", p["supplement.elderly"]
assert p["supplement.elderly_age"]["rounding"] is None
' "$T/r.json"
check "rounding override: pack doc names the overriding pack" bash -c "
  $SA pack doc cn-610399 --pack-path '$R:$SRC/policies' --date 2023-08-01 | grep -q '取整 rounding: \`up_yuan\` (覆盖 overridden by \`cn-610399\`)'"
check "rounding override: lint is clean" bash -c "$SA lint --pack-path '$R:$SRC/policies' cn-610399 | grep -q '0 errors'"
$SA lint --pack-path "$R:$SRC/policies" cn-610398 >"$T/lint" 2>&1
check "rounding override on a money parameter: a lint error at file:line:column" \
  grep -q "cn-610398/params.yaml:3:15: error: 'dibao.standard_urban' is a money parameter: only a ratio has a rounding to override \[param-rounding\]" "$T/lint"
$SA test --pack-path "$R:$SRC/policies" cn-610398 >"$T/out" 2>&1
check "rounding override on a money parameter: the pack is refused" grep -q "sets rounding, but only a ratio parameter has a rounding" "$T/out"

echo "$fails failed"
[ "$fails" -eq 0 ] && echo "pack doc ok"
