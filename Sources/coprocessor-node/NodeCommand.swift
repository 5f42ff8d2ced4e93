import ArgumentParser

@main
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coprocessor-node",
        abstract: "A zkVM coprocessor node: runs signed compute jobs on RV32IM guest programs and signs the results.",
        subcommands: [RunCommand.self, MakeJobCommand.self, SchemaCommand.self],
        defaultSubcommand: RunCommand.self
    )
}

/// "host:port" (IPv6 as "[::1]:port").
struct SocketAddressArgument: ExpressibleByArgument, Sendable, CustomStringConvertible {
    let host: String
    let port: Int

    init?(argument: String) {
        guard let colon = argument.lastIndex(of: ":"), let port = Int(argument[argument.index(after: colon)...]),
              (0...65535).contains(port) else { return nil }
        var host = String(argument[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port
    }

    var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
