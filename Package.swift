// swift-tools-version: 6.2
import PackageDescription

// Layering (arrows point one way):
//   C core (CSources/*)  →  Swift engine (ZKVM)  →  domain (Ethereum, Coprocessor)
//   →  transports (gRPC, HTTP)  →  executables (zkvm, coprocessor-node)
let package = Package(
    name: "zkvm-coprocessor",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ZKVM", targets: ["ZKVM"]),
        .library(name: "Ethereum", targets: ["Ethereum"]),
        .library(name: "CoprocessorWire", targets: ["CoprocessorWire"]),
        .library(name: "Coprocessor", targets: ["Coprocessor"]),
        .library(name: "CoprocessorGRPC", targets: ["CoprocessorGRPC"]),
        .library(name: "CoprocessorHTTP", targets: ["CoprocessorHTTP"]),
        .executable(name: "zkvm", targets: ["zkvm-cli"]),
        .executable(name: "coprocessor-node", targets: ["coprocessor-node"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/grpc/grpc-swift-2", from: "2.4.3"),
        .package(url: "https://github.com/grpc/grpc-swift-nio-transport", from: "2.9.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        // MARK: C core
        // Keccak-f[1600] and Keccak-256: one implementation shared by the engine's
        // KECCAK_PERMUTE precompile and the Ethereum module.
        .target(name: "CKeccak", path: "CSources/CKeccak"),
        // ELF loader, RV32IM interpreter, syscalls and precompiles (layers: CSources/CZKVM/README.md).
        .target(
            name: "CZKVM",
            dependencies: ["CKeccak", "CLibELF", "CLibCrypto", "CGMP", "CSecp256k1"],
            path: "CSources/CZKVM",
            exclude: ["README.md"],
            cSettings: [
                .define("_GNU_SOURCE"),
                // The interpreter's handlers are leaf functions that tail-call each other: without a
                // frame each saves a push, a move and a pop per guest instruction pair (~10 % of its
                // speed; up to 20 % on tight loops). Non-leaf functions keep their frame pointers for
                // profilers. SwiftPM accepts unsafe flags in dependencies from tools version 6.2.
                .unsafeFlags(["-momit-leaf-frame-pointer"]),
                // The engine runs at full speed in debug builds too (-O0 halves the interpreter's
                // speed): tools that link it, and the test suite, build in debug. -g stays on.
                .unsafeFlags(["-O2"], .when(configuration: .debug)),
            ]
        ),
        // System libraries, linked through their pkg-config files (Debian ships one for each).
        .systemLibrary(name: "CLibELF", path: "CSources/CLibELF", pkgConfig: "libelf", providers: [.apt(["libelf-dev"])]),
        .systemLibrary(
            name: "CLibCrypto", path: "CSources/CLibCrypto", pkgConfig: "libcrypto", providers: [.apt(["libssl-dev"])]
        ),
        .systemLibrary(name: "CGMP", path: "CSources/CGMP", pkgConfig: "gmp", providers: [.apt(["libgmp-dev"])]),
        .systemLibrary(
            name: "CSecp256k1",
            path: "CSources/CSecp256k1",
            pkgConfig: "libsecp256k1",
            providers: [.apt(["libsecp256k1-dev"])]
        ),

        // MARK: Swift engine
        .target(name: "ZKVM", dependencies: ["CZKVM"]),
        .executableTarget(
            name: "zkvm-cli",
            dependencies: ["ZKVM", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),

        // MARK: Domain
        // The wire interface (coprocessor_node.v1) described once: messages, service, the API
        // protocol, and the protobuf/JSON codecs and .proto text derived from the description.
        .target(name: "CoprocessorWire"),
        .target(name: "Ethereum", dependencies: ["CKeccak", "CSecp256k1"]),
        // Ethereum JSON-RPC client (typed calls, fee estimation, receipts) over AsyncHTTPClient.
        .target(
            name: "EthereumRPC",
            dependencies: [
                "Ethereum",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // The node's service core: intake, storage, worker pool, signing. Transport-free.
        .target(
            name: "Coprocessor",
            dependencies: [
                "ZKVM", "Ethereum", "CoprocessorWire",
                .product(name: "GRDB", package: "GRDB.swift"),
                // The SQLite C API, for the jobs table's hot statements (Storage/RawStatement.swift).
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
            ]
        ),

        // Relaying results onchain and taking onchain jobs (JobCreated events).
        .target(
            name: "Relayer",
            dependencies: [
                "Coprocessor", "CoprocessorWire", "Ethereum", "EthereumRPC",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // MARK: Transports
        // gRPC front end: each method of the wire description, protobuf-coded from it.
        .target(
            name: "CoprocessorGRPC",
            dependencies: [
                "CoprocessorWire",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            ]
        ),
        // JSON/HTTP gateway over the same core.
        .target(
            name: "CoprocessorHTTP",
            dependencies: [
                "CoprocessorWire",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),

        // MARK: Executables
        // Version, git commit and build date of the node (scripts/build-info.sh, before every build).
        .plugin(name: "BuildInfo", capability: .buildTool(), path: "Plugins/BuildInfo"),
        .executableTarget(
            name: "coprocessor-node",
            dependencies: [
                "Coprocessor", "CoprocessorWire", "CoprocessorGRPC", "CoprocessorHTTP", "Relayer", "EthereumRPC",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Hummingbird", package: "hummingbird"),
            ],
            plugins: ["BuildInfo"]
        ),

        // MARK: Tests
        // One test target per module it tests, plus what several of them share (TestSupport):
        // repository paths and fixtures, the Python peer finder, a subprocess runner, the dev-chain
        // and node-process launchers, test keys and signed jobs, a service core on a fresh
        // database, and a fake API for the front ends.
        .target(
            name: "TestSupport",
            dependencies: ["Coprocessor", "CoprocessorWire", "Ethereum", "ZKVM", .product(name: "Logging", package: "swift-log")],
            path: "Tests/TestSupport"
        ),
        .testTarget(name: "ZKVMTests", dependencies: ["ZKVM"]),
        .testTarget(name: "EthereumTests", dependencies: ["Ethereum"]),
        .testTarget(
            name: "EthereumRPCTests",
            dependencies: [
                "EthereumRPC", "Ethereum", "TestSupport",
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                // A fake JSON-RPC node on loopback.
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "CoprocessorWireTests",
            dependencies: ["CoprocessorWire", "TestSupport"],
            // The Python side of the differential protobuf test (run by the tests, not built).
            exclude: ["protobuf_peer.py"]
        ),
        .testTarget(
            name: "CoprocessorTests",
            dependencies: ["Coprocessor", "CoprocessorWire", "Ethereum", "ZKVM", "TestSupport",
                           // Reading the database file independently of the store.
                           .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "CoprocessorGRPCTests",
            dependencies: [
                "CoprocessorGRPC", "CoprocessorWire", "TestSupport",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
            ]
        ),
        .testTarget(
            name: "CoprocessorHTTPTests",
            dependencies: [
                "CoprocessorHTTP", "CoprocessorWire", "TestSupport",
                .product(name: "Hummingbird", package: "hummingbird"),
                // A real HTTP/1 client, and ServiceGroup to run the gateway as the node does.
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .testTarget(
            name: "RelayerTests",
            dependencies: [
                "Relayer", "Coprocessor", "CoprocessorWire", "Ethereum", "EthereumRPC", "TestSupport",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "NodeTests",
            dependencies: [
                "Coprocessor", "CoprocessorWire", "CoprocessorGRPC", "CoprocessorHTTP", "Ethereum", "TestSupport", "ZKVM",
                .product(name: "GRPCCore", package: "grpc-swift-2"),
                .product(name: "GRPCNIOTransportHTTP2", package: "grpc-swift-nio-transport"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
    ]
)
