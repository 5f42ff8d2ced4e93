// swift-tools-version: 6.1
import PackageDescription

// The benchmark harness: a package of its own so the root package (and CI) never builds the
// benchmark dependencies. Run everything with `scripts/bench.sh` (or `make bench`) from the root.
//
//   Engine          ordo-one package-benchmark target: interpreter vs native, loading, setup,
//                   precompiles, SP1 ELFs (`swift package benchmark --target Engine`)
//   NativeWorkloads the guests' workload C sources (symlinked from guest-programs/workloads), -O2
//   NativeCrypto    OpenSSL's equivalents of the curve and field precompiles
//   node-load       load generator: starts the real coprocessor-node (or targets a running one)
//   ceiling-server  the node's own gRPC and HTTP front ends over a trivial API (canned answers), in
//                   a separate process: the ceiling of everything but the service core
//   node-profile    the node's service core in-process, for valgrind --tool=callgrind
let package = Package(
    name: "zkvm-benchmarks",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "zkvm-coprocessor", path: ".."),
        .package(url: "https://github.com/ordo-one/benchmark", from: "1.38.1", traits: ["MallocInterposer"]),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
    ],
    targets: [
        // The workload cores of guest-programs/workloads (symlinks, not copies) plus native
        // equivalents of intensity-test and mock-consumer. -O2 as the issue asks for "C, -O2".
        .target(name: "NativeWorkloads", cSettings: [.unsafeFlags(["-O2"])]),
        .target(name: "BenchSupport"),
        // OpenSSL's curve and field operations beside the precompiles (native_ec.h); libcrypto is
        // already a dependency of the engine (CLibCrypto).
        .target(name: "NativeCrypto", cSettings: [.unsafeFlags(["-O2"])], linkerSettings: [.linkedLibrary("crypto")]),
        .executableTarget(
            name: "Engine",
            dependencies: [
                "BenchSupport", "NativeWorkloads", "NativeCrypto",
                .product(name: "ZKVM", package: "zkvm-coprocessor"),
                .product(name: "ZKVMHarness", package: "zkvm-coprocessor"),
                .product(name: "Benchmark", package: "benchmark"),
            ],
            path: "Benchmarks/Engine",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        ),

        // libsqlite3 (already required by GRDB): node-load counts job states in the node's database
        // after the node has stopped, independently of the API.
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .executableTarget(
            name: "node-load",
            dependencies: [
                "BenchSupport", "CSQLite",
                .product(name: "CoprocessorWire", package: "zkvm-coprocessor"),
                .product(name: "CoprocessorGRPC", package: "zkvm-coprocessor"),
                .product(name: "CoprocessorClient", package: "zkvm-coprocessor"),
                .product(name: "Ethereum", package: "zkvm-coprocessor"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
            ]
        ),
        // The node's service core in-process, for callgrind (see its header).
        .executableTarget(
            name: "node-profile",
            dependencies: [
                "BenchSupport",
                .product(name: "Coprocessor", package: "zkvm-coprocessor"),
                .product(name: "CoprocessorWire", package: "zkvm-coprocessor"),
                .product(name: "Ethereum", package: "zkvm-coprocessor"),
                .product(name: "ZKVM", package: "zkvm-coprocessor"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .executableTarget(
            name: "ceiling-server",
            dependencies: [
                .product(name: "CoprocessorWire", package: "zkvm-coprocessor"),
                .product(name: "CoprocessorGRPC", package: "zkvm-coprocessor"),
                .product(name: "CoprocessorHTTP", package: "zkvm-coprocessor"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
    ]
)
