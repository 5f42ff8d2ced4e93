import CoprocessorPostgres
import Testing

/// `--database-url` / DATABASE_URL as libpq spells it.
@Suite("PostgreSQL URLs")
struct PostgresURLTests {
    @Test("TCP: user, password, host, port, database, sslmode; the password never in the description")
    func tcp() throws {
        let url = try PostgresURL("postgresql://node%40a:s%3Acret@db.example:6543/jobs%20db?sslmode=require")
        #expect(url.host == "db.example")
        #expect(url.port == 6543)
        #expect(url.username == "node@a")
        #expect(url.database == "jobs db")
        #expect(url.sslMode == "require")
        #expect(url.socketFolder == nil)
        #expect(url.description == "postgres://node@a@db.example:6543/jobs db?sslmode=require")
        #expect(!url.description.contains("s:cret"))
        let defaults = try PostgresURL("postgres://node@localhost")
        #expect(defaults.port == 5432)
        #expect(defaults.database == "node")
        #expect(defaults.sslMode == "prefer")
    }

    @Test("a host parameter naming a folder is the server's Unix socket there")
    func socket() throws {
        let url = try PostgresURL("postgres://node@/jobs?host=/var/run/postgresql&port=5433")
        #expect(url.socketFolder == "/var/run/postgresql")
        #expect(url.port == 5433)
        #expect(url.database == "jobs")
        #expect(url.description == "postgres://node@/jobs?host=/var/run/postgresql&port=5433")
        #expect(try PostgresURL("postgres://node@/jobs?host=db.example").host == "db.example")
    }

    @Test("what is refused, and why", arguments: [
        ("mysql://u@h/db", "a database URL looks like postgres://user:password@host:5432/database"),
        ("postgres://u:secret@h/db?sslmode=verify-full", "sslmode must be disable, prefer or require"),
        ("postgres://h/db", "the database URL names no user"),
        ("postgres://u@/db", "the database URL names no host"),
    ])
    func refused(_ text: String, _ reason: String) {
        #expect(throws: PostgresURL.Invalid.self) { try PostgresURL(text) }
        do { _ = try PostgresURL(text) } catch {
            #expect("\(error)".hasPrefix(reason), "\(error)")
            #expect(!"\(error)".contains("secret"))
        }
    }
}
