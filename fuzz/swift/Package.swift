// swift-tools-version: 6.2
import PackageDescription

// libFuzzer targets for the node's Swift parsers of untrusted input, in a package of their own so
// that neither the root package nor CI builds them. scripts/fuzz.sh builds them with
// `--sanitize fuzzer --sanitize address` (the parsers' modules instrumented too) and runs them
// next to the C core's targets in fuzz/.
//
//   fuzz_json_reader  the gateway's JSON reader on any body, for every message of the API
//   fuzz_abi_decoder  the ABI decoder on any bytes: requests, results, events, calldata
let package = Package(
    name: "zkvm-swift-fuzz",
    dependencies: [.package(name: "zkvm-coprocessor", path: "../..")],
    targets: [
        .executableTarget(
            name: "fuzz_json_reader",
            dependencies: [.product(name: "CoprocessorWire", package: "zkvm-coprocessor")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .executableTarget(
            name: "fuzz_abi_decoder",
            dependencies: [.product(name: "Ethereum", package: "zkvm-coprocessor")],
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
    ]
)
