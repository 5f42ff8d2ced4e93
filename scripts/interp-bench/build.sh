#!/usr/bin/env bash
# Builds the interpreter micro-benchmark (bench.c) against the C core with clang -O2, outside
# SwiftPM. Objects other than interp.c are cached per source tree and rebuilt when a source or
# header is newer.
#
#   build.sh [--src DIR] [--out BIN] [--loops LIST] [--profile] [-- extra cflags]
#     --src DIR     root of the sources (default: this repository); a snapshot of another commit
#                   (git archive COMMIT CSources | tar -x -C DIR) builds the baseline to compare
#     --out BIN     the binary (default /tmp/interp-bench/bench)
#     --loops LIST  interpreter loops to instantiate: comma-separated from rv32, rv64, risc0,
#                   journaled (interp.c's VM_LOOPS_* switches; default all). rv32 alone compiles
#                   in a fraction of the time of all seven.
#     --profile     count executions per slot (ZKVM_PROFILE) for bench --profile
#     --relink      reuse BIN's compiled interp.c (BIN.interp.o): only bench.c changed
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SRC="$(cd "$HERE/../.." && pwd)"
OUT=/tmp/interp-bench/bench
LOOPS=""
RELINK=0
EXTRA=()
while [ $# -gt 0 ]; do
    case "$1" in
        --src) SRC="$(cd "$2" && pwd)"; shift 2 ;;
        --out) OUT="$2"; shift 2 ;;
        --loops) LOOPS="$2"; shift 2 ;;
        --profile) EXTRA+=(-DZKVM_PROFILE); shift ;;
        --relink) RELINK=1; shift ;;
        --) shift; EXTRA+=("$@"); break ;;
        *) echo "unknown option $1" >&2; exit 2 ;;
    esac
done
CC="${CC:-clang}"
Z="$SRC/CSources/CZKVM"
. "$HERE/../core-objects.sh"
core_includes "$SRC"
# The flags SwiftPM passes in release builds (-O2 -fPIC -g -fno-omit-frame-pointer) and the
# CZKVM target's own (Package.swift: -momit-leaf-frame-pointer).
CFLAGS=(-O2 -fPIC -g -fno-omit-frame-pointer -momit-leaf-frame-pointer -D_GNU_SOURCE -w "${CORE_INC[@]}" ${BENCH_CFLAGS:-})
OBJ="/tmp/interp-bench/obj-$(echo "$SRC ${CFLAGS[*]}" | md5sum | cut -c1-8)"
mkdir -p "$(dirname "$OUT")"
core_objects "$SRC" "$OBJ" interp.c "$CC" "${CFLAGS[@]}"
LOOP_FLAGS=()
if [ -n "$LOOPS" ]; then
    LOOP_FLAGS=(-DVM_LOOPS_RV32=0 -DVM_LOOPS_RV64=0 -DVM_LOOPS_RISC0=0 -DVM_LOOPS_JOURNALED=0)
    for l in ${LOOPS//,/ }; do LOOP_FLAGS+=("-DVM_LOOPS_${l^^}=1"); done
fi
[ "$RELINK" = 1 ] || "$CC" "${CFLAGS[@]}" "${LOOP_FLAGS[@]}" "${EXTRA[@]}" -c "$Z/interp.c" -o "$OUT.interp.o"
"$CC" "${CFLAGS[@]}" "${EXTRA[@]}" "$HERE/bench.c" "$OUT.interp.o" "${CORE_OBJS[@]}" -o "$OUT" \
    $(pkg-config --libs libelf libcrypto gmp libsecp256k1) -lm
echo "$OUT"
