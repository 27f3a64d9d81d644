#!/usr/bin/env bash
# Install libsa into a scratch prefix, then build a consumer with find_package(sa) and with
# pkg-config, and run both. Usage: run.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
mkdir -p "$work/cmake-consumer"
cp "$src/tests/install/consumer.c" "$work/cmake-consumer/"
cp "$src/tests/install/CMakeLists.txt.in" "$work/cmake-consumer/CMakeLists.txt"
cmake -S "$work/cmake-consumer" -B "$work/cmake-build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/cmake-build" >/dev/null
LD_LIBRARY_PATH="$work/prefix/lib:$work/prefix/lib64:${LD_LIBRARY_PATH:-}" "$work/cmake-build/consumer"
libdir=$(ls -d "$work"/prefix/lib*/pkgconfig | head -1)
PKG_CONFIG_PATH="$libdir" cc -o "$work/pc-consumer" "$src/tests/install/consumer.c" \
  $(PKG_CONFIG_PATH="$libdir" pkg-config --cflags --libs sa)
LD_LIBRARY_PATH="$(dirname "$libdir"):${LD_LIBRARY_PATH:-}" "$work/pc-consumer"
# Only sa_ symbols leave the shared library (Lua and libyaml stay inside).
so=$(ls "$(dirname "$libdir")"/libsa.so.* | head -1)
bad=$(nm -D --defined-only "$so" | awk '{print $3}' | grep -v '^sa_' || true)
if [ -n "$bad" ]; then echo "exported symbols that are not sa_*: $bad"; exit 1; fi
echo "install ok"
