#!/usr/bin/env bash
# Builds the libFuzzer targets of fuzz/ (the Swift toolchain's clang, -fsanitize=fuzzer,address,
# the whole C core instrumented; objects cached in .build-fuzz) and of fuzz/swift (SwiftPM with the
# same sanitizers, the tested modules instrumented too) and runs each for a fixed time on
# its committed seed corpus (fuzz/corpus/<target>) plus what earlier runs found (kept in
# .build-fuzz/corpus/<target>). Exits non-zero if any target found a crash, leak or tier
# difference; the reproducer is left in .build-fuzz/ (crash-*, leak-*).
#
#   scripts/fuzz.sh [SECONDS] [--out FILE] [TARGET...]    (make fuzz: 60 s per target)
#   --out FILE  also writes one summary line per target to FILE (bench.sh puts it in the report)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SECONDS_PER=60 OUT="" TARGETS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --out) OUT="$2"; shift 2 ;;
        fuzz_*) TARGETS+=("$1"); shift ;;
        *) SECONDS_PER="$1"; shift ;;
    esac
done
# C targets (fuzz/*.c, over the C core) and Swift targets (fuzz/swift, over the node's parsers).
C_TARGETS=(fuzz_elf_loader fuzz_interpreter fuzz_syscalls)
SWIFT_TARGETS=(fuzz_json_reader fuzz_abi_decoder)
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${C_TARGETS[@]}" "${SWIFT_TARGETS[@]}")
CC="$(dirname "$(readlink -f "$(command -v swift)")")/clang"
B="$ROOT/.build-fuzz"
mkdir -p "$B"
is_swift() { [[ " ${SWIFT_TARGETS[*]} " == *" $1 "* ]]; }
NEED_C=0 NEED_SWIFT=0
for t in "${TARGETS[@]}"; do if is_swift "$t"; then NEED_SWIFT=1; else NEED_C=1; fi; done
if [ "$NEED_C" = 1 ]; then
    . "$ROOT/scripts/core-objects.sh"
    core_includes "$ROOT"
    core_objects "$ROOT" "$B/obj" "" "$CC" -O1 -g -D_GNU_SOURCE -w -fsanitize=address,fuzzer-no-link "${CORE_INC[@]}"
    LIBS=$(pkg-config --libs libelf libcrypto gmp libsecp256k1)
fi
if [ "$NEED_SWIFT" = 1 ]; then
    # --sanitize instruments the fuzz targets and links libFuzzer's main; -Xswiftc / -Xcc
    # instrument the modules they test (SwiftPM applies --sanitize to the root package only).
    swift build --package-path "$ROOT/fuzz/swift" --scratch-path "$B/swift" --sanitize fuzzer --sanitize address \
        -Xswiftc -sanitize=fuzzer,address -Xcc -fsanitize=fuzzer-no-link,address 2>&1 \
        | grep -v "Cannot export local symbol" | tail -3
fi
[ -z "$OUT" ] || : > "$OUT"
STATUS=0
COMMIT=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')
for t in "${TARGETS[@]}"; do
    if is_swift "$t"; then
        cp "$B/swift/debug/$t" "$B/$t"
        # The Swift runtime's one-time caches (type metadata, static field lists) are never freed
        # and read as leaks at exit: leak detection is for the C targets.
        LEAKS=0
    else
        "$CC" -O1 -g -w -fuse-ld=lld -fsanitize=address,fuzzer "${CORE_INC[@]}" -I"$ROOT/fuzz" "$ROOT/fuzz/$t.c" "${CORE_OBJS[@]}" $LIBS -lm -o "$B/$t"
        LEAKS=1
    fi
    mkdir -p "$B/corpus/$t"
    seeds=("$B/corpus/$t")
    [ -d "$ROOT/fuzz/corpus/$t" ] && seeds+=("$ROOT/fuzz/corpus/$t")
    if [ "$t" = fuzz_elf_loader ]; then  # real ELFs to mutate: the smallest bundled guest of each build
        mkdir -p "$B/seeds-elf"
        for build in bin bin/rv64 bin/risc0; do
            cp "$ROOT/guest-programs/$build/fibonacci.elf" "$B/seeds-elf/$(echo "$build" | tr / _)-fibonacci.elf"
        done
        seeds+=("$B/seeds-elf")
    fi
    set +e
    (cd "$B" && ASAN_OPTIONS=detect_leaks=$LEAKS "./$t" -max_total_time="$SECONDS_PER" -rss_limit_mb=4096 -timeout=20 \
        -print_final_stats=1 "${seeds[@]}" > "$B/$t.log" 2>&1)
    rc=$?
    set -e
    runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$B/$t.log" | grep -o '[0-9]*$' || echo '?')
    cov=$(grep -o 'cov: [0-9]*' "$B/$t.log" | tail -1 | grep -o '[0-9]*' || echo '?')
    line="$t: ${SECONDS_PER} s, ${runs} executions, coverage ${cov} edges, $([ $rc = 0 ] && echo 'no crash' || echo "FAILED (exit $rc, see .build-fuzz/$t.log)") (commit $COMMIT)"
    echo "$line"
    [ -z "$OUT" ] || echo "$line" >> "$OUT"
    [ $rc = 0 ] || { STATUS=1; tail -30 "$B/$t.log" >&2; }
done
exit $STATUS
