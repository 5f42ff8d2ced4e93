import GRDB
import GRDBSQLite

/// A GRDB-prepared statement driven through the SQLite C API: binds byte arrays without first
/// copying them into `Data`, and reads blobs straight into `[UInt8]`. Used for the jobs table's
/// hot statements (insert, finish, point read), where GRDB's generic `StatementArguments` and
/// `Row` conversions cost more than the SQL itself.
struct RawStatement {
    private let handle: SQLiteStatement
    private let connection: SQLiteConnection?

    /// Takes a statement from GRDB's cache and clears what a previous use left bound.
    init(_ db: Database, sql: String) throws {
        let statement = try db.cachedStatement(sql: sql)
        self.init(handle: statement.sqliteStatement, connection: db.sqliteConnection)
    }

    /// A statement prepared on a connection of our own (`PointReaders`).
    init(handle: SQLiteStatement, connection: SQLiteConnection?) {
        self.handle = handle
        self.connection = connection
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: Binding (1-based parameter indexes, as SQLite numbers them)

    func bind(_ index: Int32, _ bytes: [UInt8]) {
        if bytes.isEmpty {
            sqlite3_bind_zeroblob(handle, index, 0)  // a NULL pointer would bind NULL
        } else {
            bytes.withUnsafeBytes { _ = sqlite3_bind_blob(handle, index, $0.baseAddress, Int32($0.count), sqliteTransient) }
        }
    }

    func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }
    func bind(_ index: Int32, _ value: Double) { sqlite3_bind_double(handle, index, value) }

    func bind(_ index: Int32, _ text: String?) {
        guard let text else {
            sqlite3_bind_null(handle, index)
            return
        }
        var utf8 = text
        utf8.withUTF8 { _ = sqlite3_bind_text(handle, index, $0.baseAddress, Int32($0.count), sqliteTransient) }
    }

    // MARK: Running

    /// Runs a statement that returns no rows.
    func execute() throws {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else { throw failure(code) }
    }

    /// Runs a query and reads its first row, if there is one.
    func first<T>(_ read: (Row) throws -> T) throws -> T? {
        defer { sqlite3_reset(handle) }
        let code = sqlite3_step(handle)
        if code == SQLITE_DONE { return nil }
        guard code == SQLITE_ROW else { throw failure(code) }
        return try read(Row(handle: handle))
    }

    /// Runs a query and reads every row.
    func all<T>(_ read: (Row) throws -> T) throws -> [T] {
        defer { sqlite3_reset(handle) }
        var rows: [T] = []
        while true {
            let code = sqlite3_step(handle)
            if code == SQLITE_DONE { return rows }
            guard code == SQLITE_ROW else { throw failure(code) }
            rows.append(try read(Row(handle: handle)))
        }
    }

    private func failure(_ code: Int32) -> StorageError {
        let message = connection.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? "code \(code)"
        return StorageError("SQLite: \(message)")
    }

    /// The current row of a query (0-based column indexes).
    struct Row {
        let handle: SQLiteStatement

        func isNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }

        func bytes(_ column: Int32) -> [UInt8] {
            let count = Int(sqlite3_column_bytes(handle, column))
            guard count > 0, let pointer = sqlite3_column_blob(handle, column) else { return [] }
            return [UInt8](UnsafeRawBufferPointer(start: pointer, count: count))
        }

        func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
        func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

        func text(_ column: Int32) -> String? {
            guard !isNull(column), let pointer = sqlite3_column_text(handle, column) else { return nil }
            let count = Int(sqlite3_column_bytes(handle, column))
            return String(decoding: UnsafeRawBufferPointer(start: pointer, count: count), as: UTF8.self)
        }
    }
}

/// SQLite's SQLITE_TRANSIENT: "copy the value before returning" (a C macro Swift cannot import).
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
