#!/usr/bin/env bash
# The printable explanation in a real browser: headless Chromium prints the page of a shipped
# sample household to PDF, and pdftotext must find the Chinese headings and the amounts.
# usage: html_pdf.sh SA_BINARY SOURCE_DIR
set -euo pipefail
sa=$1 src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$sa" explain --pack cn-53 --date 2025-08-01 --pack-path "$src/policies" --format html \
  --household yn-dibao-002 --out "$tmp/page.html" "$src/samples/cn-53/households.yaml"
# As root Chromium needs --no-sandbox; nothing may reach the network (the page needs none).
HOME=$tmp timeout 300 chromium --headless --no-sandbox --disable-gpu --no-first-run \
  --disable-background-networking --disable-component-update --disable-sync \
  --user-data-dir="$tmp/profile" --no-pdf-header-footer --print-to-pdf="$tmp/page.pdf" \
  "file://$tmp/page.html" >"$tmp/chromium.log" 2>&1 || { cat "$tmp/chromium.log"; exit 1; }
pdftotext -layout "$tmp/page.pdf" "$tmp/page.txt"
fail=0
for want in 社会救助审核确认说明 一、结论 二、家庭成员与收入 三、收入与救助金额关系图 四、适用的标准和参数 \
            五、各项目的认定 六、待补充的事实与核实问题 最低生活保障 低保边缘家庭 \
            yn-dibao-002 cn-53 1,232.00 1,000.00 2,232.00 3,348.00 744 云民发 低保线 边缘线 本户现状; do
  if ! grep -qF -- "$want" "$tmp/page.txt"; then
    echo "missing in the PDF text: $want"
    fail=1
  fi
done
pages=$(pdfinfo "$tmp/page.pdf" | sed -n 's/^Pages: *//p')
pdfinfo "$tmp/page.pdf" | grep -q "Page size:.*(A4)" || { echo "not A4:"; pdfinfo "$tmp/page.pdf"; fail=1; }
[ "$fail" = 0 ] || { sed -n 1,80p "$tmp/page.txt"; exit 1; }
echo "html pdf ok: $pages A4 pages"
