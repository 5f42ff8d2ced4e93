import ArgumentParser
import CoprocessorWire

/// Prints the wire interface as derived from its one description (Sources/CoprocessorWire).
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the wire interface: 'proto' (the .proto file for clients in other languages)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case proto }

    @Argument(help: "What to print: proto.") var format: Format = .proto

    func run() {
        switch format {
        case .proto: print(ProtoFile.text, terminator: "")
        }
    }
}
