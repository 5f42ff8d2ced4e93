import Coprocessor
import CoprocessorPostgres
import Foundation
import Logging
import PostgresNIO
import Testing

/// The back ends the storage contract runs on. PostgreSQL needs a server: `make test` (and
/// `scripts/with-postgres.sh swift test`) starts a throwaway one and sets ZKVM_TEST_DATABASE_URL;
/// without it the PostgreSQL cases are left out (and `postgresIsThere` fails when
/// ZKVM_REQUIRE_POSTGRES=1, as in CI).
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    static var serverURL: PostgresURL? {
        ProcessInfo.processInfo.environment["ZKVM_TEST_DATABASE_URL"].flatMap { try? PostgresURL($0) }
    }

    static var requirePostgres: Bool { ProcessInfo.processInfo.environment["ZKVM_REQUIRE_POSTGRES"] == "1" }

    /// SQLite always; PostgreSQL when a server is given.
    static var available: [Backend] { serverURL == nil ? [.sqlite] : [.sqlite, .postgres] }
}

/// A fresh, empty database of a back end for one test, removed afterwards.
struct Scratch {
    let backend: Backend
    private let directory: String?
    let url: PostgresURL?

    static func make(_ backend: Backend) async throws -> Scratch {
        switch backend {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("contract-\(UUID())").path
            return Scratch(backend: backend, directory: dir, url: nil)
        case .postgres:
            return Scratch(backend: backend, directory: nil, url: try await TestDatabases.create())
        }
    }

    /// A store on this database; with PostgreSQL, each call is another node (another holder).
    func open(holder: String = PostgresStore.newHolderName(), lease: Duration = .seconds(10)) async throws -> any NodeDatabase {
        switch backend {
        case .sqlite: return try SQLiteJobStore(directory: directory!)
        case .postgres: return try await openPostgres(holder: holder, lease: lease)
        }
    }

    func openPostgres(holder: String = PostgresStore.newHolderName(), lease: Duration = .seconds(10)) async throws -> PostgresStore {
        try await PostgresStore(url: url!, settings: .init(holder: holder, leaseDuration: lease, maximumConnections: 4))
    }

    func remove() async {
        if let directory { try? FileManager.default.removeItem(atPath: directory) }
        if let url { await TestDatabases.drop(url.database) }
    }
}

/// Runs `body` on a fresh store of `backend`, then closes and removes it.
func withStore(_ backend: Backend, _ body: (any NodeDatabase, Scratch) async throws -> Void) async throws {
    let scratch = try await Scratch.make(backend)
    let store = try await scratch.open()
    do {
        try await body(store, scratch)
    } catch {
        await store.close()
        await scratch.remove()
        throw error
    }
    await store.close()
    await scratch.remove()
}

/// A database per test on the test server (CREATE DATABASE is cheap there: fsync is off).
enum TestDatabases {
    static func admin<T: Sendable>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        guard let url = Backend.serverURL else { throw StorageError("ZKVM_TEST_DATABASE_URL is not set") }
        var configuration = PostgresClient.Configuration(host: url.host, port: url.port, username: url.username,
                                                         password: nil, database: url.database, tls: .disable)
        configuration.options.maximumConnections = 1
        let client = PostgresClient(configuration: configuration)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        return try await body(client)
    }

    static func create() async throws -> PostgresURL {
        guard let url = Backend.serverURL else { throw StorageError("ZKVM_TEST_DATABASE_URL is not set") }
        let name = "contract_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        _ = try await admin { client in
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        }
        return url.with(database: name)
    }

    static func drop(_ name: String) async {
        _ = try? await admin { client in
            try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
        }
    }
}
