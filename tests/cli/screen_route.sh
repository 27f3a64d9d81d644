#!/usr/bin/env bash
# sa screen --route over a registry mixing 昆明, 广州 and 惠民 households plus some of a region
# no pack covers (北京 110101): each household decided under its own place's pack (the same
# decisions as screening each place alone), the uncovered ones reported by line and never
# evaluated; the summary by region as text, JSON and CSV; the HTML report opened in headless
# Chromium, printed to PDF, and read back with pdftotext.
# usage: screen_route.sh SA_BINARY SA_GEN_BINARY SOURCE_DIR
set -euo pipefail
sa=$1 gen=$2 src=$3
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
P=$src/policies
fail() { echo "FAIL: $*"; exit 1; }
{
  "$gen" --count 60 --seed 1 --pack cn-5301 --pack-path "$P" --date 2025-08-01
  "$gen" --count 60 --seed 2 --pack cn-4401 --pack-path "$P" --date 2025-08-01
  "$gen" --count 30 --seed 3 --pack cn-371621 --pack-path "$P" --date 2025-08-01
} | awk 'NR%10==0{sub(/"region": "[0-9]*"/,"\"region\": \"110101\"")}1' >"$tmp/mixed.jsonl"
"$sa" screen --route --pack-path "$P" --date 2025-08-01 --jobs 2 --out "$tmp/routed.out" \
  --summary "$tmp/sum.json" --summary-format json --report "$tmp/report.html" "$tmp/mixed.jsonl" 2>"$tmp/err"
# every tenth line is 北京: reported with its line, not decided
[ "$(grep -c 'no pack on the path covers region 110101' "$tmp/err")" = 15 ] || fail "uncovered: $(head -3 "$tmp/err")"
grep -q "line 10: 没有覆盖地区 110101 的政策包" "$tmp/err" || fail "line number: $(head -1 "$tmp/err")"
[ "$(wc -l <"$tmp/routed.out")" = 135 ] || fail "decisions: $(wc -l <"$tmp/routed.out")"
grep -q '"household":"g1-9"' "$tmp/routed.out" && fail "an uncovered household was decided"
grep -q '"household":"g1-8","pack":"cn-5301"' "$tmp/routed.out" || fail "g1-8 not decided under cn-5301"
# the same decisions as each place screened alone under its own pack
for pr in cn-5301:530101 cn-4401:440101 cn-371621:371621; do
  p=${pr%%:*} r=${pr##*:}
  grep "\"region\": \"$r\"" "$tmp/mixed.jsonl" >"$tmp/$p.jsonl"
  "$sa" screen --pack "$p" --pack-path "$P" --date 2025-08-01 --out "$tmp/$p.out" "$tmp/$p.jsonl" 2>/dev/null
done
sort "$tmp"/cn-5301.out "$tmp"/cn-4401.out "$tmp"/cn-371621.out >"$tmp/alone"
sort "$tmp/routed.out" >"$tmp/routed.sorted"
cmp -s "$tmp/alone" "$tmp/routed.sorted" || fail "routed decisions differ from each pack's own"
# summary by region: JSON numbers, three regions, 15 bad
python3 - "$tmp/sum.json" <<'PY' || fail "summary JSON"
import json, sys
s = json.load(open(sys.argv[1]))
assert s["records"] == 150 and s["evaluated"] == 135 and s["bad"] == 15, s
regions = [r["region"] for r in s["regions"]]
assert regions == ["530101", "440101", "371621"], regions
for r in s["regions"]:
    assert sum(r["tiers"].values()) == {"530101": 54, "440101": 54, "371621": 27}[r["region"]], r
    for p in r["programs"]:
        assert isinstance(p["eligible"], int) and isinstance(p["cash_fen"], int)
        assert p["cash"] == "%d.%02d" % divmod(p["cash_fen"], 100)
for p in s["programs"]:
    assert p["cash_fen"] == sum(q["cash_fen"] for r in s["regions"] for q in r["programs"] if q["program"] == p["program"])
assert all(m["households"] >= s["missing"][i + 1]["households"] for i, m in enumerate(s["missing"][:-1]))
PY
"$sa" screen --route --pack-path "$P" --date 2025-08-01 --out /dev/null --summary "$tmp/sum.csv" \
  --summary-format csv "$tmp/mixed.jsonl" 2>/dev/null
head -1 "$tmp/sum.csv" | grep -q '^kind,region,name,period,households,eligible,undetermined,cash_yuan,cash_fen,not_enrolled,no_longer' || fail "csv header"
grep -q '^program,440101,dibao,month,' "$tmp/sum.csv" || fail "csv region row"
# many regions, interleaved: the summary groups them in first-seen order, each with its own counts
"$gen" --count 300 --seed 4 --pack cn-test --pack-path "$P" --date 2025-08-01 |
  awk '{r = sprintf("99%04d", (NR * 7919) % 97); sub(/"region": "[0-9]*"/, "\"region\": \"" r "\"")}1' >"$tmp/many.jsonl"
"$sa" screen --pack cn-test --pack-path "$P" --date 2025-08-01 --out /dev/null --summary "$tmp/many.json" \
  --summary-format json "$tmp/many.jsonl" 2>/dev/null
python3 - "$tmp/many.jsonl" "$tmp/many.json" <<'PY' || fail "summary of interleaved regions"
import json, sys
hh = [json.loads(l) for l in open(sys.argv[1])]
seen = list(dict.fromkeys(h["region"] for h in hh))
s = json.load(open(sys.argv[2]))
assert len(seen) == 97 and [r["region"] for r in s["regions"]] == seen, [r["region"] for r in s["regions"]][:5]
for r in s["regions"]:
    assert sum(r["tiers"].values()) == sum(1 for h in hh if h["region"] == r["region"]), r["region"]
PY
# the report in a real browser
if ! command -v chromium >/dev/null || ! command -v pdftotext >/dev/null; then fail "chromium and pdftotext are needed (scripts/setup.sh)"; fi
chromium --headless --no-sandbox --disable-gpu --no-first-run --disable-background-networking \
  --disable-component-update --disable-sync --user-data-dir="$tmp/chrome" \
  --print-to-pdf="$tmp/report.pdf" "file://$tmp/report.html" >/dev/null 2>&1 || fail "chromium"
pdftotext "$tmp/report.pdf" "$tmp/report.txt"
for want in "各地区分层户数" "应保未保" "待定户缺少的信息" "530101" "440101" "371621"; do
  grep -q "$want" "$tmp/report.txt" || fail "the PDF lacks '$want'"
done
cash=$(python3 -c "import json;s=json.load(open('$tmp/sum.json'));print([p for r in s['regions'] if r['region']=='440101' for p in r['programs'] if p['program']=='dibao'][0]['cash'])")
grep -q "$cash" "$tmp/report.txt" || fail "the PDF lacks 广州's 低保 cash $cash"
grep -q "<svg" "$tmp/report.html" || fail "no SVG chart"
grep -o 'https\?://[^"]*' "$tmp/report.html" | grep -v '^http://www.w3.org/2000/svg$' && fail "the report fetches something"
echo "screen route ok"
