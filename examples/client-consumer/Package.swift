// swift-tools-version: 6.2
import PackageDescription

// A Swift package that uses the node's client library, as an app's tooling would: the README's
// "From Swift: the CoprocessorClient library". The test suite builds it and runs it against a node
// (CoprocessorClientTests).
let package = Package(
    name: "client-consumer",
    platforms: [.macOS(.v15)],
    dependencies: [
        .package(name: "zkvm-coprocessor", path: "../.."),
    ],
    targets: [
        .executableTarget(
            name: "client-consumer",
            dependencies: [
                .product(name: "CoprocessorClient", package: "zkvm-coprocessor"),
                .product(name: "Ethereum", package: "zkvm-coprocessor"),
            ]
        ),
    ]
)
