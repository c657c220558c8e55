#!/bin/sh
# rvroomeval --model: a missing file is a usage error; the file really
# reaches rvtemporalhead (a feature-state model is refused by its raw CSI
# input) and rvclassify (a freshly trained tiny model, whose embeddings no
# built-in head matches, is scored without warnings); the shipped default
# model given by path scores exactly as the built-in one.
# usage: test_roomeval_model.sh RVROOMEVAL RVSIM RVTRAIN CSI-MODEL STATE-MODEL
set -u
eval_=$1; sim=$2; train=$3; csi=$4; state=$5
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

"$train" --input csi --sim-sessions 2 --sim-duration 10 --sim-nodes 1 \
  --sim-scenarios fall --seq 64 --stride 64 --warmup 50 --layers 1 --d-model 8 \
  --heads 1 --kv-heads 1 --head-dim 8 --ffn 0 --rope-pairs 0 --window 8 \
  --block 4 --no-log-stride --epochs 1 --out "$T/tiny.rvne" > /dev/null 2>&1 ||
  fail "rvtrain could not make the tiny model"
run --model "$T/tiny.rvne" > "$T/tiny" 2> "$T/err" || fail "tiny model: $(cat "$T/err")"
grep -q "warning" "$T/err" && fail "tiny model: $(cat "$T/err")"
grep -q "accuracy .* of [1-9][0-9]* frames" "$T/tiny" || fail "tiny model: no frame scored"

run > "$T/builtin" || fail "built-in model run failed"
run --model "$csi" > "$T/file" || fail "--model $csi run failed"
grep -q "model $csi," "$T/file" || fail "the header does not name the model"
grep -q "falls caught in 10 s" "$T/file" || fail "no fall figures"
diff "$T/builtin" "$T/file" | grep -v "^[<>] # rvroomeval" | grep -q "^[<>]" &&
  fail "the default model by path scores differently: $(diff "$T/builtin" "$T/file")"
echo "rvroomeval --model: all checks passed"
