// swift-tools-version: 6.2
import PackageDescription

// Layering (arrows point one way):
//   C core (CSources/*)  →  Swift engine (ZKVM)  →  domain (Ethereum, Coprocessor)
//   →  transports (gRPC, HTTP)  →  executables (zkvm, coprocessor-node)
//
// The engine (ZKVM and the C core) needs no other Swift package. Every package below is for the
// node, its tests and the `zkvm` CLI, used only with the `Node` trait, which is on by default. A
// package that needs only the engine depends on this one with `traits: []` and then resolves and
// builds none of them (README, "Use the engine in your package").
let package = Package(
    name: "zkvm-coprocessor",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "ZKVM", targets: ["ZKVM"]),
        // A bare machine that runs one syscall (SyscallMachine): for the engine's tests and the
        // precompile benchmarks, kept out of ZKVM's API.
        .library(name: "ZKVMHarness", targets: ["ZKVMHarness"]),
        .library(name: "Ethereum", targets: ["Ethereum"]),
        .library(name: "CoprocessorWire", targets: ["CoprocessorWire"]),
        .library(name: "Coprocessor", targets: ["Coprocessor"]),
        .library(name: "CoprocessorGRPC", targets: ["CoprocessorGRPC"]),
        .library(name: "CoprocessorHTTP", targets: ["CoprocessorHTTP"]),
        .library(name: "CoprocessorClient", targets: ["CoprocessorClient"]),
        .executable(name: "zkvm", targets: ["zkvm-cli"]),
        .executable(name: "coprocessor-node", targets: ["coprocessor-node"]),
    ],
    traits: [
        .trait(
            name: "Node",
            description: "The coprocessor node, the zkvm CLI and their tests: their Swift package dependencies."
        ),
        .default(enabledTraits: ["Node"]),
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
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
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
        .systemLibrary(
            name: "CLibELF", path: "CSources/CLibELF", pkgConfig: "libelf",
            providers: [.apt(["libelf-dev"]), .brew(["libelf"])]
        ),
        .systemLibrary(
            name: "CLibCrypto", path: "CSources/CLibCrypto", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"]), .brew(["openssl@3"])]
        ),
        .systemLibrary(
            name: "CGMP", path: "CSources/CGMP", pkgConfig: "gmp", providers: [.apt(["libgmp-dev"]), .brew(["gmp"])]
        ),
        .systemLibrary(
            name: "CSecp256k1",
            path: "CSources/CSecp256k1",
            pkgConfig: "libsecp256k1",
            providers: [.apt(["libsecp256k1-dev"]), .brew(["secp256k1"])]
        ),

        // MARK: Swift engine
        .target(name: "ZKVM", dependencies: ["CZKVM"]),
        .target(name: "ZKVMHarness", dependencies: ["ZKVM", "CZKVM"]),
        .executableTarget(
            name: "zkvm-cli",
            dependencies: ["ZKVM", external("ArgumentParser", from: "swift-argument-parser")]
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
                external("AsyncHTTPClient", from: "async-http-client"),
                external("Logging", from: "swift-log"),
            ]
        ),
        // The node's service core: intake, storage, worker pool, signing. Transport-free.
        .target(
            name: "Coprocessor",
            dependencies: [
                "ZKVM", "Ethereum", "CoprocessorWire",
                external("GRDB", from: "GRDB.swift"),
                // The SQLite C API, for the jobs table's hot statements (Storage/RawStatement.swift).
                external("GRDBSQLite", from: "GRDB.swift"),
                external("Logging", from: "swift-log"),
                external("Metrics", from: "swift-metrics"),
            ]
        ),

        // The store on PostgreSQL (postgres-nio), for several nodes on one database: the same
        // storage protocols as the embedded SQLite store, plus job leases and the singleton lease.
        .target(
            name: "CoprocessorPostgres",
            dependencies: [
                "Coprocessor", "CoprocessorWire", "Ethereum",
                external("PostgresNIO", from: "postgres-nio"),
                external("Logging", from: "swift-log"),
                external("Metrics", from: "swift-metrics"),
                external("NIOCore", from: "swift-nio"),
                external("NIOSSL", from: "swift-nio-ssl"),
            ]
        ),

        // Relaying results onchain and taking onchain jobs (JobCreated events).
        .target(
            name: "Relayer",
            dependencies: [
                "Coprocessor", "CoprocessorWire", "Ethereum", "EthereumRPC",
                external("Logging", from: "swift-log"),
                external("Metrics", from: "swift-metrics"),
                external("ServiceLifecycle", from: "swift-service-lifecycle"),
            ]
        ),

        // MARK: Transports
        // gRPC front end: each method of the wire description, protobuf-coded from it.
        .target(
            name: "CoprocessorGRPC",
            dependencies: [
                "CoprocessorWire",
                external("GRPCCore", from: "grpc-swift-2"),
                external("GRPCNIOTransportHTTP2", from: "grpc-swift-nio-transport"),
            ]
        ),
        // JSON/HTTP gateway over the same core.
        .target(
            name: "CoprocessorHTTP",
            dependencies: [
                "CoprocessorWire",
                external("Hummingbird", from: "hummingbird"),
                external("HummingbirdCore", from: "hummingbird"),
                external("HummingbirdTLS", from: "hummingbird"),
                external("NIOSSL", from: "swift-nio-ssl"),
                external("Logging", from: "swift-log"),
                external("NIOCore", from: "swift-nio"),
                external("ServiceLifecycle", from: "swift-service-lifecycle"),
            ]
        ),

        // MARK: Client
        // A client of the node for apps and tools: both transports, typed calls, signed jobs.
        .target(
            name: "CoprocessorClient",
            dependencies: [
                "CoprocessorWire", "CoprocessorGRPC", "Ethereum",
                external("GRPCCore", from: "grpc-swift-2"),
                external("GRPCNIOTransportHTTP2", from: "grpc-swift-nio-transport"),
                external("AsyncHTTPClient", from: "async-http-client"),
                external("NIOCore", from: "swift-nio"),
            ]
        ),

        // MARK: Executables
        // Version, git commit and build date of the node (scripts/build-info.sh, before every build).
        .plugin(name: "BuildInfo", capability: .buildTool(), path: "Plugins/BuildInfo"),
        .executableTarget(
            name: "coprocessor-node",
            dependencies: [
                "Coprocessor", "CoprocessorClient", "CoprocessorWire", "CoprocessorGRPC", "CoprocessorHTTP", "Relayer",
                "EthereumRPC", "CoprocessorPostgres",
                external("ArgumentParser", from: "swift-argument-parser"),
                external("Logging", from: "swift-log"),
                external("Metrics", from: "swift-metrics"),
                external("Prometheus", from: "swift-prometheus"),
                external("ServiceLifecycle", from: "swift-service-lifecycle"),
                external("Hummingbird", from: "hummingbird"),
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
            dependencies: [
                "Coprocessor", "CoprocessorClient", "CoprocessorPostgres", "CoprocessorWire", "Ethereum", "ZKVM",
                external("Logging", from: "swift-log"),
                external("PostgresNIO", from: "postgres-nio"),
            ],
            path: "Tests/TestSupport"
        ),
        .testTarget(
            name: "ZKVMTests",
            dependencies: ["ZKVM", "ZKVMHarness"],
            // Disassembly tables made by llvm-objdump, read by path.
            exclude: ["Fixtures"]
        ),
        .testTarget(name: "EthereumTests", dependencies: ["Ethereum"]),
        .testTarget(
            name: "EthereumRPCTests",
            dependencies: [
                "EthereumRPC", "Ethereum", "TestSupport",
                external("AsyncHTTPClient", from: "async-http-client"),
                // A fake JSON-RPC node on loopback.
                external("Hummingbird", from: "hummingbird"),
                external("Logging", from: "swift-log"),
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
                           external("GRDB", from: "GRDB.swift")]
        ),
        // The storage contract on both back ends (SQLite; PostgreSQL when the test command
        // starts a server: scripts/with-postgres.sh), and the PostgreSQL leases.
        .testTarget(
            name: "StorageContractTests",
            dependencies: [
                "Coprocessor", "CoprocessorPostgres", "CoprocessorWire", "Ethereum", "TestSupport",
                external("PostgresNIO", from: "postgres-nio"),
                external("Logging", from: "swift-log"),
            ]
        ),
        .testTarget(
            name: "CoprocessorClientTests",
            dependencies: ["CoprocessorClient", "CoprocessorWire", "Ethereum", "TestSupport", "ZKVM"]
        ),
        .testTarget(
            name: "CoprocessorGRPCTests",
            dependencies: [
                "CoprocessorGRPC", "CoprocessorWire", "TestSupport",
                external("GRPCCore", from: "grpc-swift-2"),
                external("GRPCNIOTransportHTTP2", from: "grpc-swift-nio-transport"),
            ]
        ),
        .testTarget(
            name: "CoprocessorHTTPTests",
            dependencies: [
                "CoprocessorHTTP", "CoprocessorWire", "TestSupport",
                external("Hummingbird", from: "hummingbird"),
                // A real HTTP/1 client, and ServiceGroup to run the gateway as the node does.
                external("HummingbirdTesting", from: "hummingbird"),
                external("ServiceLifecycle", from: "swift-service-lifecycle"),
                external("Logging", from: "swift-log"),
            ]
        ),
        .testTarget(
            name: "RelayerTests",
            dependencies: [
                "Relayer", "Coprocessor", "CoprocessorWire", "Ethereum", "EthereumRPC", "TestSupport",
                external("Logging", from: "swift-log"),
                external("ServiceLifecycle", from: "swift-service-lifecycle"),
            ]
        ),
        .testTarget(
            name: "NodeTests",
            dependencies: [
                "Coprocessor", "CoprocessorWire", "CoprocessorGRPC", "CoprocessorHTTP", "Ethereum", "TestSupport", "ZKVM",
                "CoprocessorPostgres", "CoprocessorClient", "EthereumRPC", external("PostgresNIO", from: "postgres-nio"),
                external("GRPCCore", from: "grpc-swift-2"),
                external("GRPCNIOTransportHTTP2", from: "grpc-swift-nio-transport"),
                external("HummingbirdTesting", from: "hummingbird"),
                external("ServiceLifecycle", from: "swift-service-lifecycle"),
                external("Logging", from: "swift-log"),
            ]
        ),
    ]
)

/// A product of another package: resolved and built only with the `Node` trait (see the top).
func external(_ product: String, from package: String) -> Target.Dependency {
    .product(name: product, package: package, condition: .when(traits: ["Node"]))
}
