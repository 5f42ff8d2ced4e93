import Coprocessor
import CoprocessorPostgres
import CoprocessorWire
import Ethereum
import Foundation
import Logging
import PostgresNIO
import TestSupport
import Synchronization
import Testing

/// What only a shared database needs: job leases (rescue, fenced completion) and singleton
/// leases (epochs, fenced relay writes), with several stores standing for several nodes.
@Suite("PostgreSQL leases", .enabled(if: Backend.serverURL != nil, "needs ZKVM_TEST_DATABASE_URL (make test starts a server)"))
struct PostgresLeaseTests {
    typealias C = StorageContractTests

    /// Two nodes on one fresh database. Leases are long; a test that needs one to run out ends it
    /// in the database (`expire`), so a slow machine cannot end one early.
    func withNodes(lease: Duration = .seconds(60), _ body: (PostgresStore, PostgresStore, Scratch) async throws -> Void)
        async throws
    {
        let scratch = try await Scratch.make(.postgres)
        let a = try await scratch.openPostgres(holder: "node-a", lease: lease)
        let b = try await scratch.openPostgres(holder: "node-b", lease: lease)
        do { try await body(a, b, scratch) } catch {
            await a.close(); await b.close(); await scratch.remove()
            throw error
        }
        await a.close(); await b.close(); await scratch.remove()
    }

    /// Ends every job lease, or the singleton leases, now (as if their holders had stalled that long).
    func expire(_ scratch: Scratch, singletons: Bool = false) async throws {
        let url = try #require(scratch.url)
        _ = try await TestDatabases.withClient(url) { client in
            try await client.query(PostgresQuery(unsafeSQL: singletons
                ? "UPDATE leases SET expires_at = now() - interval '1 second'"
                : "UPDATE jobs SET lease_expires_at = now() - interval '1 second' WHERE status = 1"))
        }
    }

    /// Waits until `count` LISTEN connections are open on the test's database.
    func waitForListeners(_ scratch: Scratch, count: Int) async throws {
        let url = try #require(scratch.url)
        _ = try await eventually("\(count) LISTEN connections", timeout: .seconds(30), interval: .milliseconds(20)) { state in
            let open = try await TestDatabases.withClient(url) { client in
                try await client.query("""
                    SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'
                    """).decode(Int64.self).first { _ in true } ?? 0
            }
            state = "\(open) open"
            return open >= count ? true : nil
        }
    }

    @Test("a dead holder's job is rescued with a new attempt; the old attempt's late outcome is not stored")
    func rescue() async throws {
        try await withNodes { a, b, scratch in
            let job = C.job(1)
            #expect(try await a.insertJob(job))
            #expect(try await b.claimExpiredJobs(limit: 10).isEmpty)  // A's lease is fresh
            try await expire(scratch)
            let claimed = try await b.claimExpiredJobs(limit: 10)
            #expect(claimed.map(\.id) == [job.id])
            #expect(claimed.first?.attempt == 2)
            #expect(try await a.claimExpiredJobs(limit: 10).isEmpty)  // now B's

            // A comes back and finishes attempt 1: nothing changes.
            try await C.finish(a, job, .failed(reason: "late"), attempt: 1)
            #expect(try await a.job(id: job.id)?.status == .pending)
            try await C.finish(b, job, C.done, relay: .unordered, attempt: 2)
            let stored = try #require(try await a.job(id: job.id))
            #expect(stored.status == .done)
            #expect(stored.attempt == 2)
            #expect(try await a.relayBacklog().count == 1)
            // A's different DONE bytes for attempt 1 (the non-determinism alarm's case) change nothing either.
            try await C.finish(a, job, .done(resultWithMetadata: [1], operatorSignature: [2]), relay: .unordered, attempt: 1)
            #expect(try await a.job(id: job.id) == stored)
        }
    }

    @Test("a rescued re-run that signs other bytes raises the non-determinism alarm; the same bytes do not")
    func nondeterminismAlarm() async throws {
        let scratch = try await Scratch.make(.postgres)
        let url = try #require(scratch.url)
        let logs = CapturedLogs()
        let a = try await PostgresStore(url: url, settings: .init(holder: "node-a", leaseDuration: .seconds(60)),
                                        logger: Logger(label: "a") { _ in logs })
        let b = try await scratch.openPostgres(holder: "node-b", lease: .seconds(60))
        let jobs = [C.job(1), C.job(2)]
        for job in jobs { #expect(try await a.insertJob(job)) }
        try await expire(scratch)
        #expect(try await b.claimExpiredJobs(limit: 5).count == 2)
        for job in jobs { try await C.finish(b, job, C.done, attempt: 2) }
        // A's late run of job 1 signs the same bytes, of job 2 other bytes.
        try await C.finish(a, jobs[0], C.done, attempt: 1)
        #expect(logs.messages(at: .critical).isEmpty)
        try await C.finish(a, jobs[1], .done(resultWithMetadata: [0xaa, 0xbb, 1], operatorSignature: [UInt8](repeating: 3, count: 65)),
                           attempt: 1)
        let alarms = logs.messages(at: .critical)
        #expect(alarms.count == 1)
        #expect(alarms.first?.contains("non-determinism alarm") == true)
        #expect(try await b.job(id: jobs[1].id)?.resultWithMetadata == [0xaa, 0xbb, 0])  // the stored run stays
        await a.close()
        await b.close()
        await scratch.remove()
    }

    @Test("renewed leases are not claimed; released ones are claimed at once")
    func renewAndRelease() async throws {
        try await withNodes { a, b, scratch in
            for nonce: UInt64 in 1...3 { #expect(try await a.insertJob(C.job(nonce))) }
            try await expire(scratch)
            #expect(try await a.renewJobLeases() == (3, 0))  // A renews before anyone claims
            #expect(try await b.claimExpiredJobs(limit: 10).isEmpty)
            try await a.releaseJobLeases()
            #expect(try await b.claimExpiredJobs(limit: 2).map(\.nonce) == [1, 2])
            #expect(try await b.claimExpiredJobs(limit: 2).map(\.nonce) == [3])
            #expect(try await a.renewJobLeases() == (0, 0))
            #expect(try await b.renewJobLeases() == (3, 0))
        }
    }

    @Test("claims racing on 300 expired jobs split them without overlap")
    func racingClaims() async throws {
        try await withNodes { a, b, scratch in
            for nonce: UInt64 in 1...300 { #expect(try await a.insertJob(C.job(nonce))) }
            try await expire(scratch)
            let c = try await scratch.openPostgres(holder: "node-c", lease: .seconds(30))
            let d = try await scratch.openPostgres(holder: "node-d", lease: .seconds(30))
            defer { Task { await c.close(); await d.close() } }
            let (fromC, fromD) = try await withThrowingTaskGroup(of: (String, [Job]).self) { group in
                for node in [c, d] {
                    group.addTask {
                        var all: [Job] = []
                        while true {
                            let batch = try await node.claimExpiredJobs(limit: 7)
                            if batch.isEmpty { return (node.holder, all) }
                            all += batch
                        }
                    }
                }
                var results: [String: [Job]] = [:]
                for try await (holder, jobs) in group { results[holder] = jobs }
                return (results["node-c"] ?? [], results["node-d"] ?? [])
            }
            let ids = fromC.map(\.id) + fromD.map(\.id)
            #expect(ids.count == 300)
            #expect(Set(ids).count == 300)
            #expect((fromC + fromD).allSatisfy { $0.attempt == 2 })
        }
    }

    @Test("a singleton has one holder; its epoch rises when it changes hands; the old holder is fenced out")
    func singleton() async throws {
        try await withNodes { a, b, scratch in
            #expect(try await a.acquireSingleton("chain") == 1)
            #expect(try await b.acquireSingleton("chain") == nil)
            #expect(try await a.acquireSingleton("chain") == 1)  // renewed, same epoch
            #expect(try await b.acquireSingleton("other") == 1)  // another name is another singleton

            let job = C.job(1)
            #expect(try await a.insertJob(job))
            try await C.finish(a, job, C.done, relay: .unordered)
            let fencedA = a.fenced(by: "chain", epoch: 1)
            try await fencedA.setChainValue("checkpoint", 5)
            #expect(try await a.chainValue("checkpoint") == 5)

            try await expire(scratch, singletons: true)  // A stalls past its lease
            #expect(try await b.acquireSingleton("chain") == 2)
            #expect(try await a.acquireSingleton("chain") == nil)
            await #expect(throws: FencedOut.self) { try await fencedA.setChainValue("checkpoint", 6) }
            await #expect(throws: FencedOut.self) {
                try await fencedA.recordInFlight(jobID: job.id, transaction: InFlightTransaction(nonce: 0, raw: [1], hash: .zero))
            }
            await #expect(throws: FencedOut.self) { try await fencedA.completeRelay(jobID: job.id, txHash: .zero) }
            await #expect(throws: FencedOut.self) {
                try await fencedA.recordEvents([ChainEvent(chainID: 1, transactionHash: .zero, logIndex: 0, blockNumber: 9,
                                                           jobID: job.id)], checkpoint: "checkpoint", next: 10)
            }
            #expect(try await a.recordedEvent(chainID: 1, transactionHash: .zero, logIndex: 0) == nil)
            #expect(try await a.chainValue("checkpoint") == 5)
            #expect(try await a.job(id: job.id)?.status == .done)
            #expect(try await b.highestInFlightNonce() == nil)

            let fencedB = b.fenced(by: "chain", epoch: 2)
            try await fencedB.setChainValue("checkpoint", 6)
            // B gives it up cleanly: A takes it at once, under epoch 3.
            try await b.releaseSingleton("chain", epoch: 2)
            #expect(try await a.acquireSingleton("chain") == 3)
            await #expect(throws: FencedOut.self) { try await fencedB.setChainValue("checkpoint", 7) }
            #expect(try await a.chainValue("checkpoint") == 6)
        }
    }

    @Test("a shared job wakes the other nodes (NOTIFY at commit) and is claimed once, as attempt 1")
    func sharedJobs() async throws {
        try await withNodes { a, b, scratch in
            let count = Mutex(0)
            b.onSignal(.jobsAvailable) { count.withLock { $0 += 1 } }
            try await waitForListeners(scratch, count: 2)
            let job = C.job(1)
            #expect(try await a.insertSharedJob(job))
            #expect(try await !a.insertSharedJob(job))
            #expect(try await !b.insertJob(job))
            _ = try await eventually("B hears the signal", timeout: .seconds(5)) { _ in count.withLock { $0 } > 0 ? true : nil }
            #expect(try await a.renewJobLeases().unclaimed == 1)
            let claimed = try await b.claimExpiredJobs(limit: 5)
            #expect(claimed.map(\.id) == [job.id])
            #expect(claimed.first?.attempt == 1)
            #expect(try await a.claimExpiredJobs(limit: 5).isEmpty)
            try await C.finish(b, job, C.done, attempt: 1)
            #expect(try await a.job(id: job.id)?.status == .done)
        }
    }

    @Test("the LISTEN connection comes back after the server ends it; signals arrive again")
    func listenReconnects() async throws {
        try await withNodes { a, b, scratch in
            let count = Mutex(0)
            b.onSignal(.jobsAvailable) { count.withLock { $0 += 1 } }
            try await waitForListeners(scratch, count: 2)
            let url = try #require(scratch.url)
            let ended = try await TestDatabases.withClient(url) { client in
                try await client.query("""
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity
                    WHERE datname = current_database() AND query LIKE 'LISTEN%'
                    """).collect().count
            }
            #expect(ended == 2)  // A's and B's
            var nonce: UInt64 = 0
            _ = try await eventually("B hears signals again", timeout: .seconds(10), interval: .milliseconds(100)) { _ in
                nonce += 1
                _ = try await a.insertSharedJob(C.job(nonce))
                return count.withLock { $0 } > 0 ? true : nil
            }
        }
    }

    @Test("the store over the server's Unix socket (host=<folder>)",
          .enabled(if: ProcessInfo.processInfo.environment["ZKVM_TEST_DATABASE_SOCKET_URL"] != nil))
    func unixSocket() async throws {
        let scratch = try await Scratch.make(.postgres)
        let socket = try PostgresURL(try #require(ProcessInfo.processInfo.environment["ZKVM_TEST_DATABASE_SOCKET_URL"]))
        let url = socket.with(database: try #require(scratch.url).database)
        #expect(url.socketFolder != nil)
        let store = try await PostgresStore(url: url)
        let job = C.job(1)
        #expect(try await store.insertJob(job))
        try await store.checkWritable()
        let overTCP = try await scratch.openPostgres()  // the same database through 127.0.0.1
        #expect(try await overTCP.job(id: job.id) == job)
        await overTCP.close()
        await store.close()
        await scratch.remove()
    }

    @Test("migrations: an empty database is refused without them; applied once; then current")
    func migrations() async throws {
        let scratch = try await Scratch.make(.postgres)
        let url = try #require(scratch.url)
        await #expect(throws: StorageSchemaError.self) { _ = try await PostgresStore(url: url, migrate: false) }
        let first = try await PostgresStore.migrate(url: url, logger: .init(label: "test"))
        #expect(first.applied == [1, 2])
        #expect(first.version == 2)
        let again = try await PostgresStore.migrate(url: url, logger: .init(label: "test"))
        #expect(again.applied == [])
        #expect(again.version == 2)
        let store = try await PostgresStore(url: url, migrate: false)
        try await store.checkWritable()
        await store.close()
        await scratch.remove()
    }
}

/// A log handler that keeps every message (the store logs the alarm; no metrics backend here).
final class CapturedLogs: LogHandler, @unchecked Sendable {  // its state is behind the lock
    private let lock = NSLock()
    private var entries: [(Logger.Level, String)] = []
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        lock.withLock { entries.append((event.level, event.message.description)) }
    }

    func messages(at level: Logger.Level) -> [String] {
        lock.withLock { entries.filter { $0.0 == level }.map(\.1) }
    }
}
