#!/usr/bin/env bash
# Installs the Debian 12 packages libsa needs (as root), when they are missing.
set -euo pipefail
pkgs=(build-essential cmake pkg-config liblua5.4-dev libyaml-dev libcmocka-dev libssl-dev libcjson-dev python3 python3-jsonschema default-jdk-headless clang libclang-rt-14-dev postgresql-15 postgresql-server-dev-15 chromium fonts-noto-cjk poppler-utils openssl libcsv-dev valgrind)
# bindings (docs/bindings.md): Java tests and the offline Maven build, Python packaging and
# tests, Dask for scale-out (docs/scale-out.md). scripts/test.sh fails if their tests are missing.
pkgs+=(maven junit5 libmaven-clean-plugin-java libmaven-resources-plugin-java libmaven-compiler-plugin-java
  libsurefire-java libmaven-jar-plugin-java libmaven-install-plugin-java
  python3-setuptools python3-venv python3-pip python3-pytest python3-distributed)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages: ${missing[*]}; run as root" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
