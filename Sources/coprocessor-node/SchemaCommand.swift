import ArgumentParser
import CoprocessorHTTP
import CoprocessorWire

/// Prints the wire interface as derived from its one description (Sources/CoprocessorWire).
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Print the wire interface: 'proto' (the .proto file for clients in other languages) or 'openapi' (the HTTP gateway's OpenAPI 3.1 document, as GET /openapi.json serves it)."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case proto, openapi }

    @Argument(help: "What to print: proto or openapi.") var format: Format = .proto

    func run() {
        switch format {
        case .proto: print(ProtoFile.text, terminator: "")
        case .openapi: print(String(decoding: OpenAPIDocument.json, as: UTF8.self))
        }
    }
}
