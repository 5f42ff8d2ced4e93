import Coprocessor
import CoprocessorWire
import Foundation
import GRDB
import Testing

/// The store's readiness probe: a real write through the group-commit writer, read back.
@Suite("Readiness probe")
struct ReadinessProbeTests {
    @Test("checkWritable writes a fresh token each time and reads it back; a closed store fails it")
    func checkWritable() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("probe-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteJobStore(directory: dir)
        try await store.checkWritable()
        let first = try DatabaseQueue(path: dir + "/coprocessor.sqlite")
        let token1 = try await first.read { try Int64.fetchOne($0, sql: "SELECT token FROM readiness_probe WHERE id = 1") }
        try await store.checkWritable()
        let token2 = try await first.read { try Int64.fetchOne($0, sql: "SELECT token FROM readiness_probe WHERE id = 1") }
        #expect(token1 != nil)
        #expect(token2 != nil)
        #expect(token1 != token2, "each probe writes a new token")
        #expect(try await first.read { try Int.fetchOne($0, sql: "SELECT count(*) FROM readiness_probe") } == 1)

        store.close()
        let error = await #expect(throws: (any Error).self) { try await store.checkWritable() }
        #expect("\(error.map { "\($0)" } ?? "")".contains("shutting down"))

        // As the node wires it: the failure becomes the database check's reason.
        let report = await Readiness(checks: [.init("database") {
            do { try await store.checkWritable(); return nil } catch { return "not writable: \(error)" }
        }]).evaluate()
        #expect(!report.isReady)
        #expect(report.failed.map(\.name) == ["database"])
    }
}
