#!/usr/bin/env bash
# cmake --install puts the manual page sa.1 (with the exit codes) and the bash completion in
# place, and the completion completes commands, options and pack ids.
# Usage: install.sh BUILD_DIR SOURCE_DIR
set -euo pipefail
build=$1 src=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
man=$work/prefix/share/man/man1/sa.1
comp=$work/prefix/share/bash-completion/completions/sa
test -f "$man" || { echo "no $man"; exit 1; }
test -f "$comp" || { echo "no $comp"; exit 1; }
for code in 0 1 2 3; do
  grep -q "^\.B $code\$" "$man" || { echo "exit code $code not documented in sa.1"; exit 1; }
done
grep -q '^\.SH EXIT STATUS' "$man"
# every long option of the completion is in the manual page
for opt in $(grep -o -- '--[a-z-]*' "$comp" | sort -u); do
  grep -q -- "$(printf '%s' "$opt" | sed 's/-/\\\\-/g')" "$man" || { echo "option $opt missing from sa.1"; exit 1; }
done
complete_words() { # words... -> completions of the last word
  bash -c 'source "$0"; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _sa; echo "${COMPREPLY[*]}"' "$comp" "$@"
}
[ "$(complete_words sa ev)" = "eval" ] || { echo "command completion"; exit 1; }
[ "$(complete_words sa eval --form)" = "--format" ] || { echo "option completion"; exit 1; }
[ "$(complete_words sa eval --format j)" = "json jsonl" ] || { echo "format completion"; exit 1; }
[ "$(complete_words sa pack s)" = "show sign" ] || { echo "pack subcommand completion"; exit 1; }
[ "$(complete_words sa ex)" = "explain" ] || { echo "explain completion"; exit 1; }
[ "$(complete_words sa explain --lang b)" = "both" ] || { echo "explain --lang completion"; exit 1; }
[ "$(complete_words sa log v)" = "verify" ] || { echo "log subcommand completion"; exit 1; }
[ "$(complete_words sa replay --arch)" = "--archive" ] || { echo "replay option completion"; exit 1; }
[ "$(complete_words sa order --jour)" = "--journal" ] || { echo "order option completion"; exit 1; }
# every command of sa --help is in the manual page
for cmd in $("$build/cli/sa" --help | sed -n 's/^  sa \([a-z]*\) .*/\1/p' | sort -u); do
  grep -q "^\.B $cmd " "$man" || { echo "command $cmd missing from sa.1"; exit 1; }
done
got=$(SA_PACK_PATH=$src/policies complete_words sa eval --pack cn-3716)
[ "$(printf "%s\n" $got | sort | tr "\n" " ")" = "cn-3716 cn-371621 " ] || { echo "pack id completion: $got"; exit 1; }
echo "man and completion ok"
