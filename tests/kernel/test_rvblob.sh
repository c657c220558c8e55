#!/bin/sh
# rvblob command-line behaviour: exit codes, reasons, convert round trips.
# usage: test_rvblob.sh PATH/TO/rvblob
set -u
RVBLOB=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }

"$RVBLOB" make-v1-example "$T/ex.rvne" >/dev/null || fail "make-v1-example"
[ "$(wc -c < "$T/ex.rvne")" -eq 41244 ] || fail "example is not 41244 bytes"

"$RVBLOB" info "$T/ex.rvne" > "$T/info.txt" || fail "info on a valid blob exited nonzero"
grep -q "version       1, fp32" "$T/info.txt" || fail "info: version line"
grep -q "W_head" "$T/info.txt" || fail "info: layout table"
grep -q '"class3"' "$T/info.txt" || fail "info: labels"
grep -q "input         not declared" "$T/info.txt" || fail "info: v1 input line"
# the shipped models declare what they were trained on
for m in rvcsi-default:"CSI features" rvcsi-state:"feature state"; do
  "$RVBLOB" info "$RV_SOURCE_DIR/models/${m%%:*}.rvne" | grep -q "input         ${m#*:}, layout 1" ||
    fail "info: ${m%%:*} does not declare ${m#*:}, layout 1"
done
"$RVBLOB" validate "$T/ex.rvne" >/dev/null || fail "validate valid"

# corrupt one weight byte: CRC reason, exit 1
cp "$T/ex.rvne" "$T/bad.rvne"
printf '\377' | dd of="$T/bad.rvne" bs=1 seek=100 conv=notrunc 2>/dev/null
"$RVBLOB" info "$T/bad.rvne" > /dev/null 2> "$T/err.txt"
[ $? -eq 1 ] || fail "info on a corrupt blob must exit 1"
grep -q "CRC32" "$T/err.txt" || fail "reason missing: $(cat "$T/err.txt")"
"$RVBLOB" validate "$T/bad.rvne" 2>/dev/null && fail "validate accepted a corrupt blob"
# truncated
head -c 1000 "$T/ex.rvne" > "$T/short.rvne"
"$RVBLOB" info "$T/short.rvne" 2> "$T/err.txt" >/dev/null
[ $? -eq 1 ] || fail "truncated blob must exit 1"
grep -q "size" "$T/err.txt" || fail "truncated: reason missing"

# convert: v1 -> v2 -> v1 gives the original bytes; fp16 -> fp32 -> fp16 too
"$RVBLOB" convert "$T/ex.rvne" "$T/v2.rvne" --v2 >/dev/null || fail "convert --v2"
"$RVBLOB" info "$T/v2.rvne" | grep -q "version       2, fp32" || fail "v2 info"
"$RVBLOB" convert "$T/v2.rvne" "$T/back.rvne" --v1 >/dev/null || fail "convert --v1"
cmp -s "$T/ex.rvne" "$T/back.rvne" || fail "v1 -> v2 -> v1 changed bytes"
"$RVBLOB" convert "$T/ex.rvne" "$T/h.rvne" --fp16 >/dev/null || fail "convert --fp16"
[ "$(wc -c < "$T/h.rvne")" -eq 20636 ] || fail "fp16 v1 size"
"$RVBLOB" convert "$T/h.rvne" "$T/f.rvne" --fp32 >/dev/null || fail "convert --fp32"
"$RVBLOB" convert "$T/f.rvne" "$T/h2.rvne" --fp16 >/dev/null || fail "convert --fp16 again"
cmp -s "$T/h.rvne" "$T/h2.rvne" || fail "fp16 -> fp32 -> fp16 changed bytes"

# usage errors exit 2, missing files exit 1
"$RVBLOB" frobnicate x 2>/dev/null; [ $? -eq 2 ] || fail "unknown command"
"$RVBLOB" info --bogus "$T/ex.rvne" 2>/dev/null; [ $? -eq 2 ] || fail "unknown option"
"$RVBLOB" convert "$T/ex.rvne" 2>/dev/null; [ $? -eq 2 ] || fail "missing argument"
"$RVBLOB" 2>/dev/null; [ $? -eq 2 ] || fail "no command"
"$RVBLOB" info "$T/nonexistent" 2>/dev/null; [ $? -eq 1 ] || fail "missing file"
"$RVBLOB" --help | grep -q "make-v1-example" || fail "--help"
"$RVBLOB" info --help | grep -q "usage: rvblob" || fail "info --help"
"$RVBLOB" -h | grep -q "usage: rvblob" || fail "-h"
# usage errors name the problem
"$RVBLOB" info --fp16 "$T/ex.rvne" 2> "$T/err.txt"; [ $? -eq 2 ] || fail "info --fp16 accepted"
grep -q "unknown option '--fp16'" "$T/err.txt" || fail "info --fp16: $(cat "$T/err.txt")"
"$RVBLOB" convert "$T/ex.rvne" 2> "$T/err.txt"
grep -q "'convert' needs 2 file arguments" "$T/err.txt" || fail "convert arity: $(cat "$T/err.txt")"
"$RVBLOB" frobnicate x 2> "$T/err.txt"
grep -q "unknown command 'frobnicate'" "$T/err.txt" || fail "unknown command: $(cat "$T/err.txt")"
"$RVBLOB" convert "$T/ex.rvne" "$T/o.rvne" --v3 2> "$T/err.txt"; [ $? -eq 2 ] || fail "--v3 accepted"
grep -q "see rvblob --help" "$T/err.txt" || fail "usage errors point to --help"
echo "rvblob CLI: all checks passed"
