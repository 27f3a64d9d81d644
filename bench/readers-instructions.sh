#!/bin/sh
# Instructions each reader executes at 1, n and 4n units of input (issue 12 #7), counted by
# callgrind inside sa-bench-readers' measure() and the screening threads' worker() only
# (building the input is not counted). The counts do not depend on the machine's load. The
# ratio is (instr(4n) - instr(1)) / (instr(n) - instr(1)), the fixed cost (an engine, a pack
# load) taken out: near 4 for a linear reader, near 16 for a quadratic one. A benchmark, not a test; docs/performance.md "Readers" has the table.
#   bench/readers-instructions.sh [BUILD_DIR] [SHAPE...]     # from the source tree
# Needs valgrind (scripts/setup.sh installs it). Takes a few minutes.
set -eu
cd "$(dirname "$0")/.."
build=${1:-build}
[ $# -gt 0 ] && shift
bin=$build/bench/sa-bench-readers
export SA_SOURCE_DIR=$PWD SA_PACK_PATH=$PWD/policies
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# n per shape: screening evaluates every household, so its inputs are smaller
n_of() {
	case $1 in
	registry-jsonl-lines | registry-csv-rows) echo 100 ;;
	events | registry-csv-members) echo 1000 ;;
	pack-*|plan) echo 2000 ;;
	*) echo 5000 ;;
	esac
}
count() { # shape n -> instructions inside measure()
	valgrind --tool=callgrind --toggle-collect=measure --toggle-collect=worker --callgrind-out-file="$out/cg" "$bin" "$1" "$2" >"$out/log" 2>&1 ||
		{ cat "$out/log" >&2; exit 1; }
	sed -n 's/^summary: //p' "$out/cg"
}
shapes=${*:-$("$bin" --list | awk '{print $1}')}
printf '%-24s %6s %13s %13s %13s %6s\n' shape n 'instr(1)' 'instr(n)' 'instr(4n)' ratio
for s in $shapes; do
	n=$(n_of "$s")
	z=$(count "$s" 1)
	a=$(count "$s" "$n")
	b=$(count "$s" $((4 * n)))
	awk -v s="$s" -v n="$n" -v z="$z" -v a="$a" -v b="$b" \
		'BEGIN { printf "%-24s %6d %13d %13d %13d %6.2f\n", s, n, z, a, b, (b - z) / (a - z) }'
done
