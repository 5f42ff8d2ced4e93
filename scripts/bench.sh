#!/usr/bin/env bash
# Builds in release mode, runs every benchmark and writes Benchmarks/results/latest.md and
# latest.json (see Benchmarks/README.md).
#
#   scripts/bench.sh            full run (about 10 minutes after the builds)
#   scripts/bench.sh --quick    fewer iterations and 3 s load phases: a smoke test, not for comparison
#   options: --skip-engine  --skip-node  --no-refexec  --no-qemu  --no-fuzz (the 10^6-program JIT
#            differential run and the libFuzzer targets, ~8 min plus their first builds)
#
# Build folders: the root package in .build-bench-root (never the shared .build), the
# Benchmarks package in Benchmarks/.build. The first release build takes ~17 min on 2 cores.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="$ROOT/Benchmarks"
RAW="$BENCH/results/raw"
QUICK=0 ENGINE=1 NODE=1 REFEXEC=all QEMU=1 FUZZ=1
for arg in "$@"; do
    case "$arg" in
        --quick) QUICK=1 ;;
        --skip-engine) ENGINE=0 ;;
        --skip-node) NODE=0 ;;
        --no-refexec) REFEXEC=none ;;
        --no-qemu) QEMU=0 ;;
        --no-fuzz) FUZZ=0 ;;
        -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
        *) echo "unknown option: $arg" >&2; exit 2 ;;
    esac
done
if [ "$QUICK" = 1 ] && [ "$REFEXEC" = all ]; then REFEXEC=light; fi

step() { printf '\n==> [%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
START=$(date +%s)

# The C libraries the build links against, and the peers the benchmarks compare with (qemu-user).
step "set-up (scripts/bootstrap.sh --bench-peers)"
"$ROOT/scripts/bootstrap.sh" $([ "$QEMU" = 1 ] && echo --bench-peers)

# A cached build plan can miss source files added to the root package since the last build
# (seen with the path dependency); dropping it only re-plans, objects stay cached.
rm -f "$ROOT/.build-bench-root/release.yaml" "$BENCH/.build/release.yaml"

step "release build: coprocessor-node (root package, .build-bench-root)"
(cd "$ROOT" && swift build -c release --scratch-path .build-bench-root --product coprocessor-node)

step "release build: Benchmarks package (node-load, ceiling-server; Engine is built by the benchmark plugin)"
(cd "$BENCH" && swift build -c release --product node-load && swift build -c release --product ceiling-server \
    && swift build -c release --product node-profile)

rm -rf "$RAW"
mkdir -p "$RAW/engine"
export ZKVM_REPO_ROOT="$ROOT"
export ZKVM_BENCH_QUICK="$QUICK"

if [ "$ENGINE" = 1 ]; then
    step "engine benchmarks (package-benchmark)"
    (cd "$BENCH" && swift package --allow-writing-to-package-directory benchmark --target Engine \
        --format histogramPercentiles --path results/raw/engine --no-progress)
fi

if [ "$ENGINE" = 1 ] && [ "$QEMU" = 1 ]; then
    step "qemu-user on the unseen corpus (qemu_peer.py)"
    python3 "$BENCH/scripts/qemu_peer.py" --runs "$([ "$QUICK" = 1 ] && echo 3 || echo 7)" --output "$RAW/qemu-peer.json"
fi

if [ "$ENGINE" = 1 ] && [ "$FUZZ" = 1 ]; then
    step "JIT against the interpreter on random programs (scripts/jit-fuzz.sh)"
    "$ROOT/scripts/jit-fuzz.sh" "$([ "$QUICK" = 1 ] && echo 20000 || echo 1000000)" 1 --out "$RAW/jit-fuzz.txt" | tail -3 \
        || echo "jit-fuzz found differences: see $RAW/jit-fuzz.txt" >&2
    step "libFuzzer targets (scripts/fuzz.sh)"
    "$ROOT/scripts/fuzz.sh" "$([ "$QUICK" = 1 ] && echo 10 || echo 60)" --out "$RAW/fuzz.txt" \
        || echo "fuzz found a problem: see $RAW/fuzz.txt and .build-fuzz/" >&2
fi

if [ "$NODE" = 1 ]; then
    step "node load test (node-load)"
    if [ "$QUICK" = 1 ]; then LOAD_ARGS=(--duration 3 --rounds 1 --max-jobs 3000 --max-reads 30000); else LOAD_ARGS=(); fi
    "$BENCH/.build/release/node-load" --node-binary "$ROOT/.build-bench-root/release/coprocessor-node" \
        --output "$RAW/node-load.json" "${LOAD_ARGS[@]}"
    # One node on SQLite, one node on PostgreSQL, two nodes on one PostgreSQL: the same end-to-end
    # load (HTTP, mock-consumer), then the relay failover after kill -9 of the leader; the
    # PostgreSQL server is a throwaway one (scripts/with-postgres.sh).
    step "several nodes on PostgreSQL (node-load, failover.py)"
    CLUSTER_ARGS=(--phases end_to_end --transports http --no-ceiling --external-tools no --rounds 5)
    if [ "$QUICK" = 1 ]; then CLUSTER_ARGS+=(--duration 3 --rounds 1 --max-jobs 3000); fi
    NODE_LOAD=("$BENCH/.build/release/node-load" --node-binary "$ROOT/.build-bench-root/release/coprocessor-node")
    "${NODE_LOAD[@]}" "${CLUSTER_ARGS[@]}" --output "$RAW/cluster-sqlite.json"
    "$ROOT/scripts/with-postgres.sh" bash -c '"$@" --database-url "$ZKVM_TEST_DATABASE_URL" --output "'"$RAW"'/cluster-postgres-1.json" \
        && "$@" --database-url "$ZKVM_TEST_DATABASE_URL" --nodes 2 --output "'"$RAW"'/cluster-postgres-2.json" \
        && python3 "'"$BENCH"'/scripts/failover.py" --node-binary "'"$ROOT"'/.build-bench-root/release/coprocessor-node" \
               --rounds "'"$([ "$QUICK" = 1 ] && echo 1 || echo 3)"'" --output "'"$RAW"'/failover.json"' \
        _ "${NODE_LOAD[@]}" "${CLUSTER_ARGS[@]}"
    step "node CPU per job, by part (node-profile breakdown)"
    "$BENCH/.build/release/node-profile" breakdown "$([ "$QUICK" = 1 ] && echo 1000 || echo 5000)" > "$RAW/node-breakdown.json"
fi

step "report"
MODE=full; [ "$QUICK" = 1 ] && MODE=quick
python3 "$BENCH/scripts/report.py" --raw "$RAW" --out "$BENCH/results" --refexec "$REFEXEC" --mode "$MODE" \
    --sp1 "$(cd "$ROOT/.." && pwd)/shared/sp1"

step "done in $(( $(date +%s) - START )) s: Benchmarks/results/latest.md"
cat "$BENCH/results/latest.md"
