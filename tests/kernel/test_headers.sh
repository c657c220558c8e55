#!/bin/sh
# The kernel's public headers are apart from its internal ones:
#   - the headers in src/kernel/ are exactly meson's kernel_headers (the
#     installed set); private helpers live in src/kernel/internal/;
#   - rv.h includes every public header, and none includes an internal one.
# usage: test_headers.sh SRC_KERNEL_DIR INSTALLED_HEADER...
set -u
dir=$1
shift
fail=0
installed=$(for h in "$@"; do basename "$h"; done)
on_disk=$(cd "$dir" && ls -- *.h)
for h in $installed; do
  [ -f "$dir/$h" ] || { echo "FAIL: installed $h is not in src/kernel/"; fail=1; }
done
for h in $on_disk; do
  if ! echo "$installed" | grep -qx "$h"; then
    echo "FAIL: $h is in src/kernel/ but not installed: add it to kernel_headers" \
         "(src/kernel/meson.build) and rv.h, or move it to src/kernel/internal/"
    fail=1
  fi
  if [ "$h" != rv.h ] && ! grep -q "^#include \"$h\"" "$dir/rv.h"; then
    echo "FAIL: rv.h does not include the public header $h"
    fail=1
  fi
done
for h in $(cd "$dir/internal" && ls -- *.h); do
  for p in $on_disk; do
    if grep -q "^#include \"$h\"" "$dir/$p"; then
      echo "FAIL: the public header $p includes the internal header $h"
      fail=1
    fi
  done
done
[ $fail -eq 0 ] && echo "PASS: $(echo "$on_disk" | wc -l) public headers, all installed and in rv.h"
exit $fail
