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
grep -q '^- 定义 defined by: `cn-530399`, `cn-530399/rules/dibao.lua:3-[0-9]*`; 覆盖 overrides `cn` (调用 calls super)' "$T/doc.md"
grep -q '^- 读取的参数 parameters read: `local.elderly80_supplement`' "$T/doc.md"
# the guide's commands are the real ones
grep -q 'build/cli/sa pack doc cn-5303 > qujing.md' "$SRC/docs/rule-authors.md"
$SA pack doc cn-5303 --pack-path "$SRC/policies" >/dev/null
echo "worked example ok"
