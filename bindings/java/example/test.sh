#!/usr/bin/env bash
# Install libsa into a scratch prefix and build bindings/java/example with Maven, offline,
# against it: the local repository is Debian's /usr/share/maven-repo (plugins, read through
# symlinks) joined with the prefix's share/maven-repo (cn/libsa). Then run the service.
# Usage: test.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
pom=$(ls "$work"/prefix/share/maven-repo/cn/libsa/libsa/*/libsa-*.pom)
test -f "$pom" && test -f "${pom%.pom}.jar" || { echo "no jar/pom under share/maven-repo"; exit 1; }
version=$(basename "$(dirname "$pom")")
mkdir "$work/repo"
for d in /usr/share/maven-repo/*; do ln -s "$d" "$work/repo/"; done
ln -s "$work/prefix/share/maven-repo/cn" "$work/repo/cn"
cp -r "$src/bindings/java/example" "$work/app"
(cd "$work/app" && mvn -o -q -B -Dmaven.repo.local="$work/repo" -Dlibsa.version="$version" package)
jni=$(ls "$work"/prefix/lib*/jni/libsa_jni.so 2>/dev/null | head -1)
[ -n "$jni" ] || jni=$(ls "$work"/prefix/lib/*/jni/libsa_jni.so | head -1)
# The bridge finds libsa.so through its RPATH ($ORIGIN/..): no LD_LIBRARY_PATH here.
java -Djava.library.path="$(dirname "$jni")" -cp "$work/app/target/assistance-service-1.0.jar:$work/prefix/share/java/libsa.jar" \
  org.example.assistance.App "$work/prefix/share/sa/policies" cn-53 "$src/samples/cn-53/yn-dibao-002.json" 2025-08-01
