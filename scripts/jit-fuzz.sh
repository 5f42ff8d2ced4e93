#!/usr/bin/env bash
# Builds scripts/jit_fuzz.c against the C core (outside SwiftPM, clang -O1, objects cached in
# .build-jit-fuzz) and runs it: random RV32IM / RV64IM programs on the interpreter and the JIT
# under SP1 v4, SP1 v6 and RISC Zero, compared run by run (see the header of jit_fuzz.c).
# Exits non-zero when any run differs.
#
#   scripts/jit-fuzz.sh [PROGRAMS] [SEED] [--out FILE]    (make jit-fuzz: 1,000,000 programs, seed 1)
#   --out FILE  also writes the command and its summary line to FILE (bench.sh puts it in the report)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COUNT=1000000 SEED=1 OUT="" POS=0
while [ $# -gt 0 ]; do
    case "$1" in
        --out) OUT="$2"; shift 2 ;;
        *) if [ $POS = 0 ]; then COUNT="$1"; else SEED="$1"; fi; POS=$((POS + 1)); shift ;;
    esac
done
CC="${CC:-clang}"
OBJ="$ROOT/.build-jit-fuzz"
. "$ROOT/scripts/core-objects.sh"
core_includes "$ROOT"
CFLAGS=(-O1 -D_GNU_SOURCE -w "${CORE_INC[@]}")
core_objects "$ROOT" "$OBJ" "" "$CC" "${CFLAGS[@]}"
"$CC" "${CFLAGS[@]}" "$ROOT/scripts/jit_fuzz.c" "${CORE_OBJS[@]}" -o "$OBJ/jit_fuzz" \
    $(pkg-config --libs libelf libcrypto gmp libsecp256k1) -lm
START=$(date +%s)
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')
set +e
"$OBJ/jit_fuzz" "$COUNT" "$SEED" | tee "$OBJ/last.txt"
STATUS=${PIPESTATUS[0]}
set -e
SUMMARY="$(tail -1 "$OBJ/last.txt")"
if [ -n "$OUT" ]; then
    printf 'jit_fuzz %s %s (commit %s, %s s)\n%s\n' "$COUNT" "$SEED" \
        "$COMMIT" "$(( $(date +%s) - START ))" "$SUMMARY" > "$OUT"
    [ "$STATUS" = 0 ] || echo "DIFFERENCES FOUND (exit status $STATUS)" >> "$OUT"
fi
exit "$STATUS"
