import Logging
import PostgresNIO

/// The PostgreSQL schema, as numbered migrations. Never edit a shipped one; add a new one. Each
/// node applies what is missing at start (and `coprocessor-node migrate` does it alone), under a
/// transaction-scoped advisory lock, so nodes starting together apply each migration once.
enum PostgresMigrations {
    struct Migration {
        let version: Int
        let name: String
        let sql: [String]
    }

    /// Any constant: the advisory lock that serialises migrations across nodes.
    static let lockKey: Int64 = 0x7a6b_766d_6d69_6772

    static let all: [Migration] = [
        Migration(version: 1, name: "programs, jobs with leases, relay queue, chain state, singleton leases", sql: [
            """
            CREATE TABLE programs (
                id bytea PRIMARY KEY,
                elf bytea NOT NULL,
                vm_type integer NOT NULL,
                created_at double precision NOT NULL,
                last_used_at double precision
            )
            """,
            // As SQLite's jobs table, plus the lease: the node running the job (`holder`), until
            // when (`lease_expires_at`, database time) and which run it is (`attempt`).
            """
            CREATE TABLE jobs (
                id bytea PRIMARY KEY,
                nonce bigint NOT NULL,
                max_cycles bigint NOT NULL,
                consumer bytea NOT NULL,
                program_id bytea NOT NULL,
                onchain_input bytea NOT NULL,
                offchain_input_hash bytea NOT NULL,
                state_hash bytea NOT NULL,
                request_signature bytea NOT NULL,
                result_with_metadata bytea NOT NULL,
                operator_signature bytea NOT NULL,
                status integer NOT NULL,
                failure_reason text,
                retries integer NOT NULL,
                relay_tx_hash bytea NOT NULL,
                origin integer NOT NULL,
                offchain_input bytea NOT NULL,
                state bytea NOT NULL,
                request bytea NOT NULL,
                signer bytea,
                created_at double precision NOT NULL,
                updated_at double precision NOT NULL,
                relay_strategy integer NOT NULL,
                holder text,
                lease_expires_at timestamptz,
                attempt integer NOT NULL
            )
            """,
            // Only PENDING jobs are looked up by consumer, holder or lease.
            "CREATE INDEX jobs_pending ON jobs (consumer, nonce) WHERE status = 1",
            "CREATE INDEX jobs_pending_holder ON jobs (holder) WHERE status = 1",
            "CREATE INDEX jobs_pending_lease ON jobs (lease_expires_at) WHERE status = 1",
            "CREATE INDEX jobs_created ON jobs (created_at)",
            "CREATE TABLE pruned_jobs (id bytea PRIMARY KEY, pruned_at double precision NOT NULL)",
            """
            CREATE TABLE relay_queue (
                job_id bytea PRIMARY KEY REFERENCES jobs (id),
                consumer bytea NOT NULL,
                nonce bigint NOT NULL,
                strategy integer NOT NULL,
                attempts integer NOT NULL,
                next_attempt_at double precision NOT NULL,
                last_error text,
                tx_nonce bigint,
                raw_tx bytea,
                tx_hash bytea,
                created_at double precision NOT NULL
            )
            """,
            "CREATE INDEX relay_queue_due ON relay_queue (next_attempt_at)",
            "CREATE INDEX relay_queue_by_consumer ON relay_queue (consumer, nonce)",
            "CREATE TABLE chain_state (key text PRIMARY KEY, value bigint NOT NULL)",
            // A singleton (the relayer and the JobCreated listener): who holds it, its fencing
            // token (`epoch`, raised whenever it changes hands) and until when (database time).
            """
            CREATE TABLE leases (
                name text PRIMARY KEY,
                holder text NOT NULL,
                epoch bigint NOT NULL,
                expires_at timestamptz NOT NULL
            )
            """,
            """
            CREATE TABLE readiness_probe (
                holder text PRIMARY KEY,
                token bigint NOT NULL,
                written_at timestamptz NOT NULL
            )
            """,
        ]),
        Migration(version: 2, name: "consumed onchain events", sql: [
            """
            CREATE TABLE chain_events (
                chain_id bigint NOT NULL,
                tx_hash bytea NOT NULL,
                log_index bigint NOT NULL,
                block_number bigint NOT NULL,
                job_id bytea NOT NULL,
                PRIMARY KEY (chain_id, tx_hash, log_index)
            )
            """,
        ]),
    ]

    /// Applies the missing migrations in one transaction; returns the versions applied.
    @discardableResult
    static func migrate(_ client: PostgresClient, logger: Logger) async throws -> [Int] {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(lockKey))", logger: logger)
            try await connection.query("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version integer PRIMARY KEY,
                    name text NOT NULL,
                    applied_at timestamptz NOT NULL DEFAULT now()
                )
                """, logger: logger)
            var applied = Set<Int>()
            for try await version in try await connection.query("SELECT version FROM schema_migrations", logger: logger)
                .decode(Int.self) { applied.insert(version) }
            if let newest = applied.max(), newest > (all.last?.version ?? 0) {
                throw StorageSchemaError(description: "the database is at schema version \(newest), newer than this "
                    + "node knows (\(all.last?.version ?? 0)); upgrade the node")
            }
            var done: [Int] = []
            for migration in all where !applied.contains(migration.version) {
                for statement in migration.sql {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                                           logger: logger)
                done.append(migration.version)
            }
            return done
        }
    }
}

public struct StorageSchemaError: Error, CustomStringConvertible {
    public let description: String
}
