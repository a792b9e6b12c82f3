import Foundation
import Migrations

/// Brings a PostgreSQL database to the latest schema: `SchemaMigrations.postgreSQL`, forward only, in order, each in
/// its own transaction that first takes `pg_advisory_xact_lock('LGBK')`, so that any number of workers starting at
/// once migrate exactly once (the others wait, then find the version already applied). Versions are recorded in
/// `logbook_migrations`, as on SQLite. A database written by a newer Logbook is refused, untouched.
struct PostgreSQLMigrator {
    /// The advisory lock key: `'LGBK'` as a 32-bit integer, as SQLite's application id.
    static let lockKey: Int64 = 0x4C47_424B

    /// The migrations to apply, in version order (tests pass a prefix to build older schemas).
    var migrations: [SchemaMigrations.Migration] = SchemaMigrations.postgreSQL

    var latestVersion: Int { migrations.last?.version ?? 0 }

    /// The schema version: the highest recorded in `logbook_migrations`, 0 when the table does not exist.
    func version(_ connection: PostgreSQLConnection) throws -> Int {
        let exists = try connection.scalar("SELECT to_regclass('logbook_migrations') IS NOT NULL")
        guard exists == .integer(1) else { return 0 }
        return Int(try connection.scalarInt("SELECT COALESCE(max(version), 0) FROM logbook_migrations") ?? 0)
    }

    /// Throws the refusal for a database this binary must not touch: a newer schema, or Logbook's tables without
    /// Logbook's migration record (another application's `runs`). Returns the version.
    @discardableResult
    func checkCompatible(_ connection: PostgreSQLConnection) throws -> Int {
        let version = try version(connection)
        if version > latestVersion {
            throw StoreError(
                "\(connection.displayURL) was written by a newer Logbook (schema version \(version); this binary knows up to \(latestVersion)): upgrade logbook")
        }
        if version == 0, try connection.scalar("SELECT to_regclass('runs') IS NOT NULL") == .integer(1) {
            throw StoreError(
                "\(connection.displayURL) has a 'runs' table but no Logbook schema record: not a Logbook database (left untouched)")
        }
        return version
    }

    /// Applies every migration above the database's version; returns the versions this call applied.
    @discardableResult
    func migrate(_ connection: PostgreSQLConnection) throws -> [Int] {
        var current = try checkCompatible(connection)
        var applied: [Int] = []
        for migration in migrations where migration.version > current {
            let didApply = try connection.transaction { () throws -> Bool in
                try connection.execute("SELECT pg_advisory_xact_lock($1)", [.integer(PostgreSQLMigrator.lockKey)])
                try connection.execute(
                    """
                    CREATE TABLE IF NOT EXISTS logbook_migrations (
                        version    bigint PRIMARY KEY,
                        name       text NOT NULL,
                        applied_at double precision NOT NULL
                    )
                    """)
                current = try version(connection)
                if current >= migration.version { return false }
                do {
                    try connection.execute(migration.sql)
                } catch let error as StoreError {
                    throw StoreError("migration \(migration.name) failed: \(error.message)")
                }
                try connection.execute(
                    "INSERT INTO logbook_migrations (version, name, applied_at) VALUES ($1, $2, extract(epoch FROM now()))",
                    [.integer(Int64(migration.version)), .text(migration.name)])
                return true
            }
            if didApply {
                applied.append(migration.version)
                current = migration.version
            }
        }
        return applied
    }
}
