#!/usr/bin/env bash
# Regenerate the default models compiled into librvkernel:
#   models/rvcsi-default.rvne  CSI-feature model (46 inputs per frame)
#   models/rvcsi-state.rvne    feature-state model (9 inputs per packet)
# Both are trained by rvtrain on simulator sessions whose seeds (100000..)
# differ from every evaluation seed (rvtrain's held-out report: 900000..,
# tests/train/test_default_models.c: 950000..). The training logs (progress,
# held-out per-class precision/recall, confusion matrix) are written next to
# the models. Deterministic: same build, same bytes.
#
#   scripts/train-default-models.sh [all|csi|state]   # default: all
#   RV_BUILD_DIR=/tmp/b scripts/train-default-models.sh
set -euo pipefail
cd "$(dirname "$0")/.."
which=${1:-all}
build=${RV_BUILD_DIR:-build}
[[ -d "$build" ]] || meson setup "$build"
ninja -C "$build" src/tools/rvtrain
rvtrain="$build/src/tools/rvtrain"

# Apnea and lying are trained as "still" (docs/training.md): within a few
# seconds of CSI they are the same stillness; vitals cover breathing.
merges=(--map apnea=still --map lying=still)
scen=random,mixed,fall,sit,gestures,walking,empty,breathing,apnea

if [[ $which == all || $which == csi ]]; then
  "$rvtrain" --input csi "${merges[@]}" \
    --sim-sessions 300 --sim-seed 100000 --sim-duration 30 --sim-rate 100 --sim-nodes 1 \
    --sim-scenarios "$scen" --test-sessions 9 --test-seed 900000 \
    --seq 256 --stride 256 --warmup 200 --ctx-min 16 --layers 2 --d-model 32 \
    --heads 4 --kv-heads 1 --head-dim 16 --ffn 64 --rope-pairs 4 \
    --window 32 --block 16 --no-log-stride --epochs 28 --batch 8 --lr 0.004 \
    --patience 6 --augment 1.0 --weight-decay 0.001 --seed 1 \
    --out models/rvcsi-default.rvne 2>&1 | tee models/rvcsi-default.log
fi

if [[ $which == all || $which == state ]]; then
  # Feature-state packets come at 5 Hz whatever the CSI rate; a 5 Hz CSI
  # rate only makes the simulation cheaper. The fall bias is raised as far
  # as the recall floor goes (4 logits): on the validation split that
  # catches all falls but one at no accuracy cost (docs/training.md §4).
  "$rvtrain" --input state "${merges[@]}" \
    --sim-sessions 72 --sim-seed 100000 --sim-duration 300 --sim-rate 5 --sim-nodes 2 \
    --sim-scenarios "$scen" --test-sessions 9 --test-seed 900000 \
    --seq 64 --stride 16 --warmup 10 --ctx-min 4 --layers 1 --d-model 24 \
    --heads 2 --kv-heads 1 --head-dim 16 --ffn 48 --rope-pairs 4 \
    --window 16 --block 8 --no-log-stride --epochs 40 --batch 16 --lr 0.005 \
    --patience 10 --seed 1 --min-recall fall=1 \
    --out models/rvcsi-state.rvne 2>&1 | tee models/rvcsi-state.log
fi
