#!/usr/bin/env bash
# Builds scripts/work_weights.c against the C core with the flags of a release build (clang -O2,
# objects cached in .build-work-weights) and runs it: the host cost of one interpreted
# instruction (the work unit) and of every syscall, precompile and hook, from which the work
# meter's weights are derived (README "Work metering"; the weights sit in the syscall tables).
#
#   scripts/work-weights.sh [-q]     (-q: fewer repetitions, a smoke test)
#
# Run it on an idle machine, niced if it is shared: it takes a few minutes.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CC="${CC:-clang}"
OBJ="$ROOT/.build-work-weights"
. "$ROOT/scripts/core-objects.sh"
core_includes "$ROOT"
CFLAGS=(-O2 -fPIC -fno-omit-frame-pointer -momit-leaf-frame-pointer -D_GNU_SOURCE -w "${CORE_INC[@]}")
core_objects "$ROOT" "$OBJ" "" "$CC" "${CFLAGS[@]}"
"$CC" "${CFLAGS[@]}" "$ROOT/scripts/work_weights.c" "${CORE_OBJS[@]}" -o "$OBJ/work_weights" \
    $(pkg-config --libs libelf libcrypto gmp libsecp256k1) -lm
[ "${BUILD_ONLY:-0}" = 1 ] || ZKVM_ROOT="$ROOT" "$OBJ/work_weights" "$@"
