#!/usr/bin/env bash
# Install libsa into a scratch prefix, pip-install bindings/python offline into a virtual
# environment that sees Debian's packages (setuptools, pytest, distributed), and run the
# pytest tests there. libsa is found through pkg-config (PKG_CONFIG_PATH of the prefix), not
# SA_LIBRARY. Usage: test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
pc=$(dirname "$(find "$work/prefix" -name sa.pc | head -1)")
"${PYTHON:-/usr/bin/python3}" -m venv --system-site-packages "$work/venv"   # Debian's python3
cp -r "$src/bindings/python" "$work/pkg"   # pip builds in place; keep the source tree clean
"$work/venv/bin/pip" install --quiet --no-index --no-build-isolation "$work/pkg"
unset SA_LIBRARY LD_LIBRARY_PATH
export PKG_CONFIG_PATH="$pc" SA_SOURCE_DIR="$src" SA_PYTHON_INSTALLED=1
export SA_GEN="$build/bench/sa-gen" SA_CLI="$build/cli/sa"
cd "$work"
"$work/venv/bin/python" -m pytest -q -p no:cacheprovider "$src/bindings/python/tests"
