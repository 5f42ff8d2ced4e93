import Coprocessor
import CoprocessorPostgres
import Foundation
import Logging
import PostgresNIO
import TestSupport
import Testing

/// The back ends the storage contract runs on. PostgreSQL needs a server: `make test` (and
/// `scripts/with-postgres.sh swift test`) starts a throwaway one and sets ZKVM_TEST_DATABASE_URL;
/// without it the PostgreSQL cases are left out (and `postgresIsThere` fails when
/// ZKVM_REQUIRE_POSTGRES=1, as in CI).
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite
    case postgres

    var testDescription: String { rawValue }

    static var serverURL: PostgresURL? { TestDatabases.serverURL }
    static var requirePostgres: Bool { TestDatabases.required }

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
