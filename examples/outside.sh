#!/usr/bin/env bash
# Build the examples as a user would: copy them out of the tree, install libsa into a scratch
# prefix, compile each with `cc $(pkg-config --cflags --libs sa)` alone (no -D, no include of
# the source tree) and run it with the installed packs (pkg-config --variable=packdir sa).
# Usage: outside.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
export PKG_CONFIG_PATH
PKG_CONFIG_PATH=$(dirname "$(find "$work/prefix" -name sa.pc | head -1)")
mkdir "$work/app"
cp "$src"/examples/*.c "$work/app/"
cp -r "$src/examples/packs" "$work/app/packs"
cd "$work/app"
libdir=$(pkg-config --variable=libdir sa)
packdir=$(pkg-config --variable=packdir sa)
for ex in embed service_plan order_chain evaluate_file; do
  cc -std=c11 -Wall -Wextra -Werror -o "$ex" "$ex.c" $(pkg-config --cflags --libs sa)
done
export LD_LIBRARY_PATH=$libdir
./embed packs | grep "^summary: tier=tekun tekun=1936.00 dibao=1188.00 tekun_4_months=7696.00$"
./service_plan "$packdir" | grep "^summary: kang plan accepted total=1000.00$"
./order_chain "$packdir" | grep "^summary: chain done follow_up=20250402 provider=green avg=4.75 n=4$"
./evaluate_file "$packdir" cn-53 2025-08-01 "$src/samples/cn-53/yn-dibao-002.json" | grep "^yn-dibao-002: tier dibao, dibao 1232.00$"
echo "examples outside the tree ok"
