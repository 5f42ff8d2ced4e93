// swift-tools-version: 6.2
import PackageDescription

// A Swift package that uses only the engine, as a library user's would: the dependency line of the
// README's "Use the engine in your package". `traits: []` turns off the `Node` trait, so none of
// the node's packages (gRPC, Hummingbird, GRDB, …) are resolved or built. The test suite builds and
// runs it (ZKVMTests, EngineConsumerTests).
let package = Package(
    name: "engine-consumer",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "zkvm-coprocessor", path: "../..", traits: []),
    ],
    targets: [
        .executableTarget(
            name: "engine-consumer",
            dependencies: [.product(name: "ZKVM", package: "zkvm-coprocessor")]
        ),
    ]
)
