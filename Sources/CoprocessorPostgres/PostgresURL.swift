import Foundation
import NIOSSL
import PostgresNIO

/// A `postgres://user:password@host:port/database?sslmode=…` URL (libpq's form; `postgresql://`
/// too) as postgres-nio's client configuration. `sslmode` is `disable`, `prefer` (the default, as
/// in libpq) or `require`; user name, password and database are percent-decoded. As in libpq, a
/// `host` parameter that is a folder (`postgres://user@/db?host=/var/run/postgresql`) means the
/// server's Unix socket in it (`.s.PGSQL.<port>`), which costs a local server less than TCP.
public struct PostgresURL: Sendable, CustomStringConvertible {
    public let host: String
    public let port: Int
    /// The Unix socket folder, when `host` names one.
    public let socketFolder: String?
    public let username: String
    let password: String?
    public let database: String
    public let sslMode: String

    public struct Invalid: Error, CustomStringConvertible {
        public let description: String
    }

    public init(_ string: String) throws {
        guard let url = URLComponents(string: string), let scheme = url.scheme,
              ["postgres", "postgresql"].contains(scheme.lowercased()) else {
            throw Invalid(description: "a database URL looks like postgres://user:password@host:5432/database, got '\(Self.redacted(string))'")
        }
        let hostParameter = url.queryItems?.first { $0.name == "host" }?.value
        socketFolder = hostParameter.flatMap { $0.hasPrefix("/") ? $0 : nil }
        guard let host = socketFolder ?? hostParameter ?? url.host, !host.isEmpty else {
            throw Invalid(description: "the database URL names no host")
        }
        guard let user = url.user, !user.isEmpty else { throw Invalid(description: "the database URL names no user") }
        self.host = host
        self.port = url.port ?? url.queryItems?.first { $0.name == "port" }?.value.flatMap(Int.init) ?? 5432
        self.username = user
        self.password = url.password
        let path = url.path.hasPrefix("/") ? String(url.path.dropFirst()) : url.path
        self.database = path.isEmpty ? user : path
        let mode = url.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        guard ["disable", "prefer", "require"].contains(mode) else {
            throw Invalid(description: "sslmode must be disable, prefer or require, got '\(mode)'")
        }
        self.sslMode = mode
    }

    /// The URL without its password, for logs.
    public var description: String {
        if let socketFolder { return "postgres://\(username)@/\(database)?host=\(socketFolder)&port=\(port)" }
        return "postgres://\(username)@\(host):\(port)/\(database)?sslmode=\(sslMode)"
    }

    /// The server's socket file in `socketFolder`.
    var socketPath: String? { socketFolder.map { "\($0)/.s.PGSQL.\(port)" } }

    static func redacted(_ string: String) -> String {
        guard var url = URLComponents(string: string), url.password != nil else { return string }
        url.password = "***"
        return url.string ?? "?"
    }

    func clientConfiguration(maximumConnections: Int) throws -> PostgresClient.Configuration {
        let tls: PostgresClient.Configuration.TLS
        switch sslMode {
        case "disable": tls = .disable
        case "require": tls = .require(.makeClientConfiguration())
        default: tls = .prefer(.makeClientConfiguration())
        }
        var configuration = socketPath.map {
            PostgresClient.Configuration(unixSocketPath: $0, username: username, password: password, database: database)
        } ?? PostgresClient.Configuration(host: host, port: port, username: username, password: password, database: database,
                                          tls: tls)
        configuration.options.maximumConnections = maximumConnections
        configuration.options.minimumConnections = min(2, maximumConnections - 1)
        return configuration
    }

    /// The configuration of a single connection (the LISTEN connection).
    func connectionConfiguration() throws -> PostgresConnection.Configuration {
        let tls: PostgresConnection.Configuration.TLS
        switch sslMode {
        case "disable": tls = .disable
        case "require": tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
        default: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
        }
        if let socketPath {
            return PostgresConnection.Configuration(unixSocketPath: socketPath, username: username, password: password,
                                                    database: database)
        }
        return PostgresConnection.Configuration(host: host, port: port, username: username, password: password,
                                                database: database, tls: tls)
    }

    /// The same server, another database (tests create one each).
    public func with(database: String) -> PostgresURL {
        PostgresURL(host: host, port: port, socketFolder: socketFolder, username: username, password: password,
                    database: database, sslMode: sslMode)
    }

    private init(host: String, port: Int, socketFolder: String?, username: String, password: String?, database: String,
                 sslMode: String) {
        self.host = host
        self.socketFolder = socketFolder
        self.port = port
        self.username = username
        self.password = password
        self.database = database
        self.sslMode = sslMode
    }
}
