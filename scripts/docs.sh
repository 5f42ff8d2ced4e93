#!/usr/bin/env bash
# Builds the ZKVM module's DocC documentation into .build/docs (open .build/docs/index.html through
# a web server, or `docc preview`). Unresolved symbol links and other DocC warnings are errors.
# Uses the toolchain's swift-symbolgraph-extract and docc on the debug build, so it takes seconds
# after `swift build` (it builds the ZKVM target first).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --target ZKVM >/dev/null
bin=$(swift build --show-bin-path)
triple=$(basename "$(dirname "$bin")")
graphs=.build/symbol-graphs
rm -rf "$graphs" && mkdir -p "$graphs"
# The C modules ZKVM imports: the module maps SwiftPM generated, and each system library's shim.
c_flags=()
for m in CZKVM CKeccak; do c_flags+=(-Xcc "-fmodule-map-file=$bin/$m.build/module.modulemap" -I "CSources/$m/include"); done
for m in CLibELF CLibCrypto CGMP CSecp256k1; do c_flags+=(-I "CSources/$m"); done
swift symbolgraph-extract -module-name ZKVM -target "$triple" -I "$bin/Modules" "${c_flags[@]}" \
    -minimum-access-level public -output-dir "$graphs"
swift package dump-package >/dev/null  # a manifest that does not parse fails here, not in docc
docc convert Sources/ZKVM/ZKVM.docc --additional-symbol-graph-dir "$graphs" --output-path .build/docs \
    --fallback-display-name ZKVM --fallback-bundle-identifier zkvm-coprocessor.ZKVM --warnings-as-errors
echo "DocC documentation of ZKVM: .build/docs"
