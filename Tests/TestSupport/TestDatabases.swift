import Coprocessor
import CoprocessorPostgres
import Foundation
import PostgresNIO

/// PostgreSQL for tests: `make test` (scripts/with-postgres.sh) starts a throwaway server and
/// sets ZKVM_TEST_DATABASE_URL; each test creates a database of its own on it (cheap: fsync is
/// off) and drops it afterwards.
public enum TestDatabases {
    /// The test server, if one is given.
    public static var serverURL: PostgresURL? {
        ProcessInfo.processInfo.environment["ZKVM_TEST_DATABASE_URL"].flatMap { try? PostgresURL($0) }
    }

    /// Set by scripts/with-postgres.sh: tests that need PostgreSQL must run, not skip.
    public static var required: Bool { ProcessInfo.processInfo.environment["ZKVM_REQUIRE_POSTGRES"] == "1" }

    /// Runs `body` with a client of `url` (default: the server's own database).
    public static func withClient<T: Sendable>(_ url: PostgresURL? = nil, _ body: (PostgresClient) async throws -> T)
        async throws -> T
    {
        guard let url = url ?? serverURL else { throw StorageError("ZKVM_TEST_DATABASE_URL is not set") }
        var configuration = PostgresClient.Configuration(host: url.host, port: url.port, username: url.username,
                                                         password: nil, database: url.database, tls: .disable)
        configuration.options.maximumConnections = 2
        let client = PostgresClient(configuration: configuration)
        let runner = Task { await client.run() }
        defer { runner.cancel() }
        return try await body(client)
    }

    /// A new empty database on the test server.
    public static func create() async throws -> PostgresURL {
        guard let url = serverURL else { throw StorageError("ZKVM_TEST_DATABASE_URL is not set") }
        let name = "test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        _ = try await withClient { client in
            try await client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        }
        return url.with(database: name)
    }

    public static func drop(_ name: String) async {
        _ = try? await withClient { client in
            try await client.query(PostgresQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
        }
    }
}
