#!/usr/bin/env bash
# make devnet: a local network to try the node against, in one command. Starts the dev chain
# (devchain/server.py, py-evm) with the JobManager deployed, then the node with relaying on
# (--dev operator key, the dev chain's relayer key, a fresh database), and waits until it is
# ready. Follow the README's "Quick start with curl": jobs go on to status 4 (RELAYED).
# Ctrl-C stops both. The chain starts empty every time, and so does the node's database.
#
#   scripts/devnet.sh [--smoke] [-- node options...]
#     --smoke   after start-up, run the README's quick start (SubmitProgram, make-job | SubmitJob,
#               GetResult until RELAYED), print the result, and stop (exit 0 only if it was relayed)
#
# Environment: NODE_BIN (a built coprocessor-node; default: `swift build -c release`), CHAIN_PORT
# (8545; 0 = any free port), HTTP_ADDRESS (127.0.0.1:8080), GRPC_ADDRESS (127.0.0.1:50051),
# METRICS_ADDRESS (127.0.0.1:9090), READY_TIMEOUT (seconds, 300), PYTHON (an interpreter with the dev
# chain's packages; default ./.venv/bin/python3, installed by scripts/bootstrap.sh --test-peers).
set -euo pipefail
cd "$(dirname "$0")/.."

SMOKE=0
NODE_ARGS=()
while [ $# -gt 0 ]; do
    case "$1" in
        --smoke) SMOKE=1 ;;
        --) shift; NODE_ARGS=("$@"); break ;;
        *) echo "devnet: unknown option $1 (see the top of scripts/devnet.sh)" >&2; exit 2 ;;
    esac
    shift
done
CHAIN_PORT=${CHAIN_PORT:-8545}
HTTP_ADDRESS=${HTTP_ADDRESS:-127.0.0.1:8080}
GRPC_ADDRESS=${GRPC_ADDRESS:-127.0.0.1:50051}
METRICS_ADDRESS=${METRICS_ADDRESS:-127.0.0.1:9090}
READY_TIMEOUT=${READY_TIMEOUT:-300}
# The dev chain's relayer (anvil's public dev account #1, which its JobManager accepts).
RELAYER_KEY=0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d

# The dev chain's Python packages (into ./.venv; skipped when they are there).
if [ -z "${PYTHON:-}" ]; then
    PYTHON=.venv/bin/python3
    "$PYTHON" -c "import alysis, vyper" 2>/dev/null || ./scripts/bootstrap.sh --test-peers
fi
if [ -z "${NODE_BIN:-}" ]; then
    ./scripts/bootstrap.sh
    echo "devnet: building coprocessor-node (release; the first build takes a while)" >&2
    swift build -c release --product coprocessor-node >&2
    NODE_BIN="$(swift build -c release --show-bin-path)/coprocessor-node"
fi

WORK=$(mktemp -d "${TMPDIR:-/tmp}/devnet.XXXXXX")
CHAIN_PID="" NODE_PID="" TAIL_PID=""
stop() {
    local pid
    [ -z "$TAIL_PID" ] || kill "$TAIL_PID" 2>/dev/null || true
    for pid in $NODE_PID $CHAIN_PID; do kill -TERM "$pid" 2>/dev/null || true; done
    for pid in $NODE_PID $CHAIN_PID; do
        for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "devnet: starting the dev chain (log: $WORK/chain.log)" >&2
"$PYTHON" devchain/server.py --port "$CHAIN_PORT" --deploy --watch-parent \
    > "$WORK/chain.json" 2> "$WORK/chain.log" &
CHAIN_PID=$!
for _ in $(seq $((READY_TIMEOUT * 10))); do
    [ -s "$WORK/chain.json" ] && break
    kill -0 "$CHAIN_PID" 2>/dev/null || { cat "$WORK/chain.log" >&2; echo "devnet: the dev chain exited" >&2; exit 1; }
    sleep 0.1
done
read -r RPC_URL JOB_MANAGER < <("$PYTHON" -c \
    'import json, sys; info = json.loads(open(sys.argv[1]).readline()); print(info["rpc_url"], info["job_manager"])' \
    "$WORK/chain.json")

echo "devnet: starting the node (relaying to $JOB_MANAGER on $RPC_URL; log: $WORK/node.log)" >&2
RELAYER_PRIVATE_KEY=$RELAYER_KEY "$NODE_BIN" --dev --db-dir "$WORK/db" \
    --eth-rpc-url "$RPC_URL" --job-manager-address "$JOB_MANAGER" --start-block 0 \
    --http-address "$HTTP_ADDRESS" --grpc-address "$GRPC_ADDRESS" --metrics-address "$METRICS_ADDRESS" \
    ${NODE_ARGS[@]+"${NODE_ARGS[@]}"} > "$WORK/node.log" 2>&1 &
NODE_PID=$!
HTTP="http://$HTTP_ADDRESS"
for _ in $(seq $((READY_TIMEOUT * 10))); do
    curl -sf "$HTTP/readyz" > /dev/null 2>&1 && break
    kill -0 "$NODE_PID" 2>/dev/null || { cat "$WORK/node.log" >&2; echo "devnet: the node exited" >&2; exit 1; }
    sleep 0.1
done
curl -sf "$HTTP/readyz" > /dev/null || { tail -20 "$WORK/node.log" >&2; echo "devnet: the node is not ready" >&2; exit 1; }

echo "devnet ready: chain $RPC_URL (JobManager $JOB_MANAGER), node HTTP $HTTP, gRPC $GRPC_ADDRESS, metrics http://$METRICS_ADDRESS/metrics"

if [ "$SMOKE" = 1 ]; then
    # The README's quick start, as a newcomer types it.
    PROGRAM_ID=$(curl -sf "$HTTP/v1/coprocessor_node/submit_program" \
        -d "{\"programElf\": \"$(xxd -p guest-programs/bin/mock-consumer.elf | tr -d '\n')\", \"vmType\": 1}" \
        | "$PYTHON" -c 'import json, sys; print(json.load(sys.stdin)["programId"])')
    echo "SubmitProgram: programId $PROGRAM_ID"
    JOB_ID=$("$NODE_BIN" make-job --program-id "$PROGRAM_ID" \
            --consumer 0x5FbDB2315678afecb367f032d93F642f64180aa3 --nonce 1 \
            --onchain-input 0x0000000000000000000000004545454545454545454545454545454545454545 2>/dev/null \
        | curl -sf "$HTTP/v1/coprocessor_node/submit_job" -d @- \
        | "$PYTHON" -c 'import json, sys; print(bytes(json.load(sys.stdin)["jobId"]).hex())')
    echo "SubmitJob: jobId $JOB_ID"
    for _ in $(seq 600); do
        RESULT=$(curl -sf "$HTTP/v1/coprocessor_node/get_result" -d "{\"jobId\": \"$JOB_ID\"}")
        STATUS=$("$PYTHON" -c 'import json, sys; print(json.loads(sys.argv[1])["jobResult"]["status"]["status"])' "$RESULT")
        [ "$STATUS" = 4 ] || [ "$STATUS" = 3 ] && break
        sleep 0.2
    done
    echo "GetResult: $RESULT"
    if [ "$STATUS" = 4 ]; then
        echo "devnet smoke: job $JOB_ID RELAYED"
        exit 0
    fi
    echo "devnet smoke: job $JOB_ID ended with status $STATUS, not 4 (RELAYED); node log:" >&2
    tail -30 "$WORK/node.log" >&2
    exit 1
fi

echo "devnet: Ctrl-C stops the node and the chain" >&2
tail -f "$WORK/node.log" &
TAIL_PID=$!
wait "$NODE_PID" || true
echo "devnet: the node stopped" >&2
