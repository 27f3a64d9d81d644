#!/usr/bin/env bash
# sa screen with bad inputs (issue 12 #6, #8, #11): a failure before evaluation prints only the
# error and exits non-zero, leaving no --out or --summary file; a directory is a clear error;
# a pipe and "-" work; an id that is not UTF-8, or that holds \u0000, is refused with its line.
# Usage: screen_inputs.sh <sa> <source dir>
set -u
sa=$1; src=$2; packs="$src/policies"
t=$(mktemp -d); trap 'rm -rf "$t"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
good='{"id":"h%s","region":"530102","area":"urban","members":[{"id":"m1","relation":"head","birth":"1960-01-01"}]}'

# registry that cannot be opened; a directory; an unknown pack: the error only, exit 1, no files
for args in "/nonexistent.jsonl" "$t" "--pack-path /nonexistent $t/none.jsonl"; do
  "$sa" screen --pack cn --pack-path "$packs" --out "$t/out.jsonl" --summary "$t/sum.txt" $args >"$t/o" 2>"$t/e"
  [ $? -ne 0 ] || fail "exit 0 for $args"
  grep -q "summary" "$t/e" && fail "a summary printed for $args: $(cat "$t/e")"
  [ "$(wc -l <"$t/e")" -eq 1 ] || fail "more than the error for $args: $(cat "$t/e")"
  ls "$t" | grep -q -e "out.jsonl" -e "sum.txt" && fail "an output file was left for $args"
done
grep -q "is a directory" <("$sa" screen --pack cn --pack-path "$packs" "$t" 2>&1) || fail "directory message"

# a pipe and standard input
printf "$good\n$good\n" 1 2 >"$t/reg.jsonl"
n=$(cat "$t/reg.jsonl" | "$sa" screen --pack cn --pack-path "$packs" --date 2025-08-01 - 2>/dev/null | wc -l)
[ "$n" -eq 2 ] || fail "stdin gave $n decisions"
n=$("$sa" screen --pack cn --pack-path "$packs" --date 2025-08-01 <(cat "$t/reg.jsonl") 2>/dev/null | wc -l)
[ "$n" -eq 2 ] || fail "a pipe gave $n decisions"
"$sa" screen --pack cn --pack-path "$packs" --date 2025-08-01 --out "$t/out.jsonl" "$t/reg.jsonl" 2>/dev/null \
  || fail "a good run failed"
[ "$(wc -l <"$t/out.jsonl")" -eq 2 ] || fail "--out has not 2 decisions"
ls "$t" | grep -q "tmp\." && fail "a temporary file was left"

# --out to a FIFO (as to /dev/null or /dev/stdout) is written straight to it: renaming a file
# over a device node would replace it (a root run once turned /dev/null into a file)
mkfifo "$t/fifo"; cat "$t/fifo" >"$t/got" & reader=$!
"$sa" screen --pack cn --pack-path "$packs" --date 2025-08-01 --out "$t/fifo" "$t/reg.jsonl" 2>/dev/null \
  || fail "--out to a FIFO failed"
[ -p "$t/fifo" ] || { kill $reader; fail "--out replaced the FIFO with a file"; }
wait $reader
[ "$(wc -l <"$t/got")" -eq 2 ] || fail "the FIFO did not get 2 decisions"

# text that is not UTF-8, and \u0000: refused with the line number; the good lines go through
{ printf "$good\n" 1; printf '{"id":"bad\xff","region":"530102","area":"urban","members":[]}\n'
  printf '{"id":"n\\u0000ul","region":"530102","area":"urban","members":[]}\n'; printf "$good\n" 4; } >"$t/bad.jsonl"
"$sa" screen --pack cn --pack-path "$packs" --date 2025-08-01 --out "$t/out2.jsonl" "$t/bad.jsonl" 2>"$t/e"
grep -q "line 2: .*not UTF-8" "$t/e" || fail "no UTF-8 error for line 2: $(cat "$t/e")"
grep -q 'line 3: .*u0000' "$t/e" || fail "no NUL error for line 3: $(cat "$t/e")"
[ "$(wc -l <"$t/out2.jsonl")" -eq 2 ] || fail "the good lines were not screened"
grep -q "\"household\":\"bad\|\"household\":\"n" "$t/out2.jsonl" && fail "a refused id reached the output"
echo "screen inputs ok"
