import CSQLite
import Foundation

/// Job counts by status in the node's SQLite database, read directly after the node has stopped:
/// an independent check that every accepted job was durably completed.
struct JobCounts: Codable, CustomStringConvertible {
    var total = 0
    var pending = 0
    var done = 0
    var failed = 0
    var other = 0

    var description: String { "\(total) jobs: \(done) DONE, \(pending) PENDING, \(failed) FAILED, \(other) other" }
}

func countJobs(databasePath: String) throws -> JobCounts {
    var db: OpaquePointer?
    let opened = sqlite3_open_v2(databasePath, &db, SQLITE_OPEN_READONLY, nil)
    defer { sqlite3_close(db) }
    guard opened == SQLITE_OK else { throw LoadError("cannot open \(databasePath)") }
    var statement: OpaquePointer?
    guard sqlite3_prepare_v2(db, "SELECT status, COUNT(*) FROM jobs GROUP BY status", -1, &statement, nil) == SQLITE_OK else {
        throw LoadError("cannot query jobs: \(String(cString: sqlite3_errmsg(db)))")
    }
    defer { sqlite3_finalize(statement) }
    var counts = JobCounts()
    while sqlite3_step(statement) == SQLITE_ROW {
        let status = sqlite3_column_int(statement, 0), n = Int(sqlite3_column_int64(statement, 1))
        counts.total += n
        switch status {  // JobStatusType: 1 PENDING, 2 DONE, 3 FAILED
        case 1: counts.pending += n
        case 2: counts.done += n
        case 3: counts.failed += n
        default: counts.other += n
        }
    }
    return counts
}

/// The same counts from a PostgreSQL database, through psql, for this run's consumer only (the
/// database may hold earlier runs' jobs).
func countJobs(postgresURL: String, consumer: String) throws -> JobCounts {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    let hex = consumer.lowercased().replacingOccurrences(of: "0x", with: "")
    process.arguments = ["psql", postgresURL, "-Atc",
                         "SELECT status, COUNT(*) FROM jobs WHERE consumer = '\\x\(hex)'::bytea GROUP BY status"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    guard process.terminationStatus == 0 else { throw LoadError("psql exited \(process.terminationStatus)") }
    var counts = JobCounts()
    for line in output.split(separator: "\n") {
        let parts = line.split(separator: "|")
        guard parts.count == 2, let status = Int(parts[0]), let n = Int(parts[1]) else { continue }
        counts.total += n
        switch status {
        case 1: counts.pending += n
        case 2: counts.done += n
        case 3: counts.failed += n
        default: counts.other += n
        }
    }
    return counts
}
