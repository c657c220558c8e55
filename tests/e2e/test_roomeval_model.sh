#!/bin/sh
# rvroomeval --model: a missing file is a usage error; the file really
# reaches rvtemporalhead (a feature-state model is refused by its raw CSI
# input); the shipped default model given by path scores exactly as the
# built-in one.
# usage: test_roomeval_model.sh RVROOMEVAL RVSIM CSI-MODEL STATE-MODEL
set -u
eval_=$1; sim=$2; csi=$3; state=$4
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
run() { "$eval_" --rvsim "$sim" --scenarios fall --seeds 1 --duration 30 "$@"; }

"$eval_" --help | grep -q -- "--model" || fail "--help lacks --model"
"$eval_" --model "$T/none.rvne" > /dev/null 2> "$T/err"
st=$?
[ $st -eq 2 ] || fail "--model missing file: exit status $st, want 2"
grep -q -- "--model: no such file" "$T/err" || fail "missing file: $(cat "$T/err")"

run --model "$state" > /dev/null 2> "$T/err"
st=$?
[ $st -eq 1 ] || fail "--model of feature-state input: exit status $st, want 1"
grep -q "does not fit its input" "$T/err" || fail "state model: $(cat "$T/err")"

run > "$T/builtin" || fail "built-in model run failed"
run --model "$csi" > "$T/file" || fail "--model $csi run failed"
grep -q "model $csi," "$T/file" || fail "the header does not name the model"
grep -q "falls caught in 10 s" "$T/file" || fail "no fall figures"
diff "$T/builtin" "$T/file" | grep -v "^[<>] # rvroomeval" | grep -q "^[<>]" &&
  fail "the default model by path scores differently: $(diff "$T/builtin" "$T/file")"
echo "rvroomeval --model: all checks passed"
