import ArgumentParser

@main
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coprocessor-node",
        abstract: "A zkVM coprocessor node: runs signed compute jobs on RV32IM guest programs and signs the results.",
        version: "coprocessor-node \(BuildInfo.current)",
        subcommands: [RunCommand.self, MigrateCommand.self, MakeJobCommand.self, SchemaCommand.self],
        defaultSubcommand: RunCommand.self
    )

    /// As ArgumentParser's, except that `coprocessor-node --help` (`-h`, `help`) also shows the
    /// options of `run`, the default subcommand: they are what `coprocessor-node [options]` takes.
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if arguments == ["--help"] || arguments == ["-h"] || arguments == ["help"] {
            print(helpMessage())
            print("")
            print("Without a subcommand the node runs ('run' is the default subcommand):")
            print("")
            print(helpMessage(for: RunCommand.self))
            return
        }
        do {
            var command = try parseAsRoot()
            if var command = command as? AsyncParsableCommand {
                try await command.run()
            } else {
                try command.run()
            }
        } catch {
            exit(withError: error)
        }
    }
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
