#!/usr/bin/env bash
# docs/rule-authors.md §5.3 is a complete county pack with one overridden rule. Take its files
# exactly as the guide prints them (<!-- example-file: PATH --> and <!-- example --> before each code block), and
# check that the pack lints clean, passes its golden tests, and that sa pack doc shows the
# override: what a new author does from the guide alone. Usage: worked_example.sh SA SOURCE_DIR
set -euo pipefail
SA=$1 SRC=$2
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
export LANG=C.UTF-8
python3 - "$SRC/docs/rule-authors.md" "$T/mypacks" <<'PY'
import os, re, sys
text = open(sys.argv[1], encoding="utf-8").read()
found = re.findall(r"<!-- example-file: (\S+) -->\n<!-- example -->\n```[a-z]*\n(.*?)```", text, flags=re.S)
assert len(found) == 4, "expected 4 example files, found %d" % len(found)
for path, body in found:
    out = os.path.join(sys.argv[2], path)
    os.makedirs(os.path.dirname(out), exist_ok=True)
    open(out, "w", encoding="utf-8").write(body)
    print("wrote", path)
PY
P="$T/mypacks:$SRC/policies"
$SA lint --pack-path "$P" cn-530399 | tee "$T/lint"
grep -q '^1 pack: 0 errors, 0 warnings' "$T/lint"
$SA test --pack-path "$P" cn-530399 | tee "$T/test"
grep -q '^2 passed, 0 failed' "$T/test"
$SA pack doc --pack-path "$P" cn-530399 --date 2020-08-01 >"$T/doc.md"
grep -q '^- 定义 defined by: `cn-530399`, `cn-530399/rules/dibao.lua:8-[0-9]*`; 覆盖 overrides `cn` (调用 calls super)' "$T/doc.md"
grep -q '^- 读取的参数 parameters read: `local.elderly80_supplement`' "$T/doc.md"
# The same override written to the old rule contract (a reason record per call, rules.reason):
# it still works through the adapter, and lint warns where it is, with the fix (rule-authors 5.5).
cat >"$T/mypacks/cn-530399/rules/dibao.lua" <<'LUA'
function rules.dibao_supplement(m, h, ctx, F, S)
  local fen, reason, missing = super.dibao_supplement(m, h, ctx, F, S)
  local extra = sa.param("local.elderly80_supplement")
  if extra == nil or sa.age(m.birth, ctx.as_of) < 80 then
    return fen, reason, missing
  end
  if reason ~= nil then
    return fen + extra, reason, missing
  end
  return fen + extra, rules.reason("local.elderly80",
    "{id}：80 周岁以上，加发 {amount:yuan} 元", "{id}: aged 80 or over, {amount:yuan} more",
    "示例县文件（演示用）第 3 条", { "local.elderly80_supplement" }, { id = m.id, amount = extra }), missing
end
LUA
LANG=zh_CN.UTF-8 $SA lint --pack-path "$P" cn-530399 | tee "$T/lint-old"
grep -q 'cn-530399/rules/dibao.lua:10:23: 警告 warning: rules.reason 每户新建一个理由记录.*sa.reason_def.*\[lua-old-reason\]$' "$T/lint-old"
grep -q '^1 个政策包：0 个错误，1 个警告 / 1 pack: 0 errors, 1 warning' "$T/lint-old"
$SA test --pack-path "$P" cn-530399 | tee "$T/test-old"
grep -q '^2 passed, 0 failed' "$T/test-old"
# The conditions combined the old way (a table per condition, rules.all_of / any_of): they still
# work, and lint names the fix (rules.all3 / rules.any3).
cat >"$T/mypacks/cn-530399/rules/edge.lua" <<'LUA'
function rules.edge_income(h, ctx, F)
  local v, r, missing = super.edge_income(h, ctx, F)
  local all = rules.all_of({ { v, r, missing }, { true, nil, {} } })
  local any = rules.any_of({ { v, r, missing } })
  return all, r, missing
end
LUA
LANG=zh_CN.UTF-8 $SA lint --pack-path "$P" cn-530399 | tee "$T/lint-comb"
grep -q 'cn-530399/rules/edge.lua:3:15: 警告 warning: rules.all_of 每个条件要一个表.*rules.all3(v1, r1, m1.*\[lua-old-combinator\]$' "$T/lint-comb"
grep -q 'cn-530399/rules/edge.lua:4:15: 警告 warning: rules.any_of 每个条件要一个表.*rules.any3(v1, r1, m1.*\[lua-old-combinator\]$' "$T/lint-comb"
$SA lint --lang en --pack-path "$P" cn-530399 | grep -q 'edge.lua:3:15: warning: rules.all_of takes a table .*rules.all3(v1, r1, m1, v2, r2, m2, ...)'
$SA test --pack-path "$P" cn-530399 | tee "$T/test-comb"
grep -q '^2 passed, 0 failed' "$T/test-comb"
# the guide's commands are the real ones
grep -q 'build/cli/sa pack doc cn-5303 > qujing.md' "$SRC/docs/rule-authors.md"
$SA pack doc cn-5303 --pack-path "$SRC/policies" >/dev/null
echo "worked example ok"
