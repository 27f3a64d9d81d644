#!/usr/bin/env bash
# The main job: set up, build, and evaluate the bundled sample households under the bundled
# packs (samples/<pack-id>/*.yaml, each evaluated on the date in samples/<pack-id>/DATE).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j"$(nproc)" >/dev/null
status=0
for dir in samples/*/; do
  pack=$(basename "$dir")
  date=$(cat "$dir/DATE")
  echo "=== pack $pack, as of $date ==="
  build/cli/sa eval --pack "$pack" --pack-path policies --date "$date" "$dir"*.yaml || status=1
done
exit $status
