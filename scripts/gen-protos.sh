#!/usr/bin/env bash
# Regenerates Protos/coprocessor_node/v1/coprocessor_node.proto from the wire description in
# Sources/CoprocessorWire (the one place each message, field and method is declared). The .proto is
# committed for clients in other languages; a test fails when it is out of date.
#
# Usage: scripts/gen-protos.sh
set -euo pipefail
cd "$(dirname "$0")/.."
swift run -q coprocessor-node schema proto > Protos/coprocessor_node/v1/coprocessor_node.proto.new
mv Protos/coprocessor_node/v1/coprocessor_node.proto.new Protos/coprocessor_node/v1/coprocessor_node.proto
echo "gen-protos: wrote Protos/coprocessor_node/v1/coprocessor_node.proto"
