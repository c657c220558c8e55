#!/bin/sh
# The plugin's tools on the command line: --help documents every option,
# and usage errors (unknown option, bad value, stray argument) exit 2 with a
# message naming the problem. Nothing is benchmarked.
# usage: test_tools_cli.sh RVCSIBENCH RVMQTTBENCH RVSOAK
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
usage_error() { # TOOL WHAT-THE-MESSAGE-SAYS ARGS...
  tool=$1; want=$2; shift 2
  "$tool" "$@" > /dev/null 2> "$T/err"
  st=$?
  [ $st -eq 2 ] || fail "$(basename "$tool") $*: exit status $st, want 2"
  grep -q -- "$want" "$T/err" || fail "$(basename "$tool") $*: no '$want' in: $(cat "$T/err")"
  grep -q -- "see $(basename "$tool") --help" "$T/err" || fail "$(basename "$tool") $*: no pointer to --help"
}
for opt in --quick --only; do "$1" --help | grep -q -- "$opt" || fail "rvcsibench --help lacks $opt"; done
for opt in --updates --nodes --qos --quick; do "$2" --help | grep -q -- "$opt" || fail "rvmqttbench --help lacks $opt"; done
for opt in --duration --nodes --rate --report --seed; do "$3" --help | grep -q -- "$opt" || fail "rvsoak --help lacks $opt"; done
for tool in "$@"; do
  usage_error "$tool" "Unknown option --frobnicate" --frobnicate
  usage_error "$tool" "unexpected argument 'stray'" stray
done
usage_error "$1" "--only: 'foo'" --only foo
usage_error "$2" "--nodes: 0 is not in 1..255" --nodes 0
usage_error "$2" "--updates" --updates 12x
usage_error "$2" "--qos: 3" --qos 3
usage_error "$3" "--nodes 1..200" --nodes 0
usage_error "$3" "--rate" --rate fast
echo "plugin tools CLI: all checks passed"
