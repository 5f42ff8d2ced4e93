// swift-tools-version: 6.1
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
        .executable(name: "zkvm", targets: ["zkvm-cli"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // MARK: C core
        // Keccak-f[1600] and Keccak-256: one implementation shared by the engine's
        // KECCAK_PERMUTE precompile and the Ethereum module.
        .target(name: "CKeccak", path: "CSources/CKeccak"),
        // ELF loader, RV32IM interpreter, syscalls and precompiles.
        .target(
            name: "CZKVM",
            dependencies: ["CKeccak"],
            path: "CSources/CZKVM",
            cSettings: [.define("_GNU_SOURCE")],
            linkerSettings: [.linkedLibrary("elf"), .linkedLibrary("crypto"), .linkedLibrary("gmp"), .linkedLibrary("secp256k1")]
        ),
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
        .target(name: "Ethereum", dependencies: ["CKeccak", "CSecp256k1"]),

        // MARK: Tests
        .testTarget(name: "ZKVMTests", dependencies: ["ZKVM"]),
        .testTarget(name: "EthereumTests", dependencies: ["Ethereum"], resources: []),
    ]
)
