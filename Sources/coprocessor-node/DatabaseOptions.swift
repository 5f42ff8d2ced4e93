import ArgumentParser
import Coprocessor
import CoprocessorPostgres
import Foundation
import Logging

/// Where the node keeps its data: SQLite in a folder (the default), or a PostgreSQL database
/// that several nodes share (`run` and `migrate`).
struct DatabaseOptions: ParsableArguments {
    @Option(help: "Folder for the SQLite database (created if missing); not used with --database-url.")
    var dbDir = "./.zkvm-node"
    @Option(name: .customLong("database-url"),
            help: "PostgreSQL database shared by several nodes, as postgres://user:password@host:5432/database[?sslmode=disable|prefer|require] (or set DATABASE_URL). Default: SQLite in --db-dir.")
    var databaseURL: String?
    @Option(help: "PostgreSQL only: seconds a node's hold on a job or on the relayer role lasts unless renewed (renewed every third of it); when a node dies, others take over its jobs and roles after at most this long.")
    var leaseSeconds: Double = 5
    @Option(help: "PostgreSQL only: connections in the node's pool, besides its LISTEN connection (default: twice the cores, at least 4).")
    var databaseConnections: Int?
    @Option(help: "PostgreSQL only: this node's name in the database (job and role holders, with a random suffix per process). Default: host and process id.")
    var nodeName: String?

    /// --database-url, else DATABASE_URL, else nil (SQLite).
    var postgresURL: PostgresURL? {
        get throws {
            let text = databaseURL ?? ProcessInfo.processInfo.environment["DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
            guard let text else { return nil }
            do { return try PostgresURL(text) } catch { throw ValidationError("--database-url: \(error)") }
        }
    }

    func validate() throws {
        guard leaseSeconds >= 1, leaseSeconds.isFinite else { throw ValidationError("--lease-seconds must be at least 1") }
        if let databaseConnections, databaseConnections < 2 {
            throw ValidationError("--database-connections must be at least 2")
        }
        _ = try postgresURL
    }

    /// Opens (and migrates) the store.
    func open(logger: Logger) async throws -> any NodeDatabase {
        guard let url = try postgresURL else { return try SQLiteJobStore(directory: dbDir) }
        var settings = PostgresStore.Settings(leaseDuration: .milliseconds(Int64(leaseSeconds * 1000)))
        // Unique per process even when a restarted node keeps its name: the jobs a dead process
        // held must expire and be rescued, not be renewed by its successor that never queued them.
        if let databaseConnections { settings.maximumConnections = databaseConnections }
        if let nodeName { settings.holder = "\(nodeName)/" + String(UInt32.random(in: 0...UInt32.max), radix: 36) }
        return try await PostgresStore(url: url, settings: settings, logger: Logger(label: "coprocessor.postgres"))
    }
}

/// `coprocessor-node migrate`: brings the database's schema to this version and exits (each node
/// also does it at start; this is for deploying the schema before the nodes).
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the database's pending schema migrations (SQLite in --db-dir, or --database-url) and exit."
    )

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let logger = Logger(label: "coprocessor-node")
        if let url = try database.postgresURL {
            let (applied, version) = try await PostgresStore.migrate(url: url, logger: logger)
            print("\(url): schema version \(version)" + (applied.isEmpty ? " (already current)" : ", applied \(applied.map(String.init).joined(separator: ", "))"))
        } else {
            let store = try SQLiteJobStore(directory: database.dbDir)
            store.close()
            print("sqlite:\(database.dbDir): schema current")
        }
    }
}
