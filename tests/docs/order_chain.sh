#!/bin/sh
# docs/services.md: run the order chain exactly as the doc's block writes it (the block that
# starts with j="--pack cn-150602 ...), in a scratch directory, and print the journal it leaves.
# Used by <!-- output: sh tests/docs/order_chain.sh --> (docs/README.md).
set -e
src=$(pwd)
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
awk '/^j="--pack cn-150602 --journal orders.jsonl"$/ {on = 1} on && /^```/ {exit} on' \
  "$src/docs/services.md" >"$d/chain.sh"
[ -s "$d/chain.sh" ] || { echo "order_chain.sh: the block is not in docs/services.md" >&2; exit 1; }
cd "$d"
sh -e chain.sh >/dev/null
cat orders.jsonl
