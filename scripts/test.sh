#!/usr/bin/env bash
# Every test: set up, build, run the unit, example and golden tests; then the same again under
# AddressSanitizer and UndefinedBehaviorSanitizer. SA_WERROR=1 in the environment (.ci/run sets
# it) builds with -Werror; a user's build never does.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
jobs=$(nproc)
werror=-DSA_WERROR=${SA_WERROR:-OFF}
cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo "$werror" >/dev/null
cmake --build build -j"$jobs"
# A component whose packages are missing configures without its tests; the suite would then
# pass without testing it. Every binding and the browser test must be there.
for t in python_binding java_binding java_maven_consumer postgresql_extension audit_html_pdf examples_outside_tree; do
  (cd build && ctest -N -R "^$t\$" | grep -q "Total Tests: 1") ||
    { echo "test.sh: test $t is not configured (a package of scripts/setup.sh is missing)" >&2; exit 1; }
done
(cd build && ctest --output-on-failure -j"$jobs")
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=Debug -DSA_SANITIZE=ON "$werror" >/dev/null
cmake --build build-asan -j"$jobs"
(cd build-asan && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 ctest --output-on-failure -j"$jobs")
# The pack golden tests once more, with the plain summary line CI reads.
build/cli/sa test --pack-path policies
