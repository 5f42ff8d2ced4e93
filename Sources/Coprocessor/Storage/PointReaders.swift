import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// Read-only SQLite connections of the store's own, for point reads that must be fast (GetResult
/// of a job the cache no longer holds). A read borrows an idle connection, runs one prepared
/// statement on the calling thread and gives the connection back: no hop to a reader queue and no
/// explicit transaction (one statement reads one consistent snapshot in WAL mode). At most
/// `keepIdle` connections are kept; under a burst more are opened and closed again.
final class PointReaders: Sendable {
    final class Connection: @unchecked Sendable {  // used by one borrower at a time
        let handle: SQLiteConnection
        private var statements: [String: SQLiteStatement] = [:]

        init(path: String) throws {
            var db: SQLiteConnection?
            let code = sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nil)
            guard code == SQLITE_OK, let db else {
                let message = db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "code \(code)"
                sqlite3_close(db)
                throw StorageError("opening a read connection failed: \(message)")
            }
            sqlite3_busy_timeout(db, 10_000)
            handle = db
        }

        /// The statement for `sql`, prepared once per connection.
        func statement(_ sql: String) throws -> RawStatement {
            if let prepared = statements[sql] { return RawStatement(handle: prepared, connection: handle) }
            var prepared: SQLiteStatement?
            guard sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &prepared, nil) == SQLITE_OK,
                  let prepared else {
                throw StorageError("preparing a read failed: \(String(cString: sqlite3_errmsg(handle)))")
            }
            statements[sql] = prepared
            return RawStatement(handle: prepared, connection: handle)
        }

        deinit {
            for statement in statements.values { sqlite3_finalize(statement) }
            sqlite3_close(handle)
        }
    }

    private let path: String
    private let keepIdle: Int
    private let idle = Mutex<[Connection]>([])

    init(path: String, keepIdle: Int = ProcessInfo.processInfo.activeProcessorCount * 2) {
        self.path = path
        self.keepIdle = keepIdle
    }

    func read<T>(_ body: (Connection) throws -> T) throws -> T {
        let connection = try idle.withLock { $0.popLast() } ?? Connection(path: path)
        defer {
            idle.withLock { connections in
                if connections.count < keepIdle { connections.append(connection) }
            }
        }
        return try body(connection)
    }
}
