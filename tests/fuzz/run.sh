#!/bin/sh
# Build the libFuzzer harnesses with clang (-fsanitize=fuzzer,address,undefined) in
# build-fuzz/ and run each for FUZZ_SECONDS (default 60) on a copy of its seed corpus.
#   tests/fuzz/run.sh                     # all, 60 s each
#   FUZZ_SECONDS=10 tests/fuzz/run.sh policy screen
#   FUZZ_REPLAY=1 tests/fuzz/run.sh       # only replay tests/fuzz/corpus/<harness>/ (CI)
# Crashes are written to build-fuzz/crashes/<harness>/. Exit status is non-zero on a finding.
# The last line per harness is libFuzzer's "Done N runs in S second(s)" (docs/security.md).
set -eu
src=$(cd "$(dirname "$0")/../.." && pwd)
build=${FUZZ_BUILD_DIR:-$src/build-fuzz}
seconds=${FUZZ_SECONDS:-60}
cc=${CC_FUZZ:-$(command -v clang || command -v clang-14)}
harnesses=${*:-household params policy screen events plan pack decision}
cmake -S "$src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER="$cc" \
  -DSA_SANITIZE=ON -DSA_FUZZ=ON -DSA_BUILD_TESTS=OFF -DSA_BUILD_EXAMPLES=OFF -DSA_BUILD_BENCH=OFF \
  -DSA_BUILD_JAVA=OFF -DSA_BUILD_POSTGRESQL=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" --target $(for h in $harnesses; do printf 'fuzz_%s ' "$h"; done)
export SA_FUZZ_BASE="$src/tests/data/hostile/base" SA_SOURCE_DIR="$src"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1}
# The policy harness is seeded with the shipped national rules and every hostile pack's rule
# file, copied from where they live (the kept corpus holds only inputs found nowhere else).
policy_seeds() {
  for f in "$src"/policies/cn/rules/*.lua; do cp -n "$f" "$1/cn-$(basename "$f")"; done
  for f in "$src"/tests/data/hostile/*/cn-x/rules/*.lua "$src"/tests/data/hostile/base/cn/rules/*.lua; do
    cp -n "$f" "$1/hostile-$(basename "$(dirname "$(dirname "$(dirname "$f")")")")-$(basename "$f")"
  done
}
status=0
for h in $harnesses; do
  if [ -n "${FUZZ_REPLAY:-}" ]; then # each kept input once: every earlier finding stays fixed
    dir="$src/tests/fuzz/corpus/$h"
    if [ ! -d "$dir" ]; then echo "no corpus $dir"; status=1; continue; fi
    if [ "$h" = policy ]; then # kept inputs plus today's rule files, read where they live
      dir="$build/replay-corpus/policy"
      rm -rf "$dir" && mkdir -p "$dir" && cp "$src/tests/fuzz/corpus/policy"/* "$dir"/
      policy_seeds "$dir"
    fi
    echo "== replay fuzz_$h ($(ls "$dir" | wc -l) inputs)"
    # the harness's own status decides (a pipe into tail would hide a crash)
    if "$build/tests/fuzz/fuzz_$h" -runs=0 "$dir" >"$build/replay-$h.log" 2>&1; then
      tail -1 "$build/replay-$h.log"
    else
      tail -40 "$build/replay-$h.log"; echo "replay fuzz_$h: a kept input fails"; status=1
    fi
    continue
  fi
  corpus="$build/corpus/$h"; crashes="$build/crashes/$h"
  mkdir -p "$corpus" "$crashes"
  cp -n "$src/tests/fuzz/corpus/$h"/* "$corpus"/ 2>/dev/null || true
  if [ "$h" = policy ]; then policy_seeds "$corpus"; fi
  echo "== fuzz_$h for ${seconds}s"
  "$build/tests/fuzz/fuzz_$h" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$crashes/" "$corpus" || status=1
done
exit $status
