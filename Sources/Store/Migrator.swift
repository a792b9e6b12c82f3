import Foundation
import Migrations

/// Brings a database to the latest schema: the SQL files of `migrations/` (module `Migrations`), applied forward
/// only, in order, each in its own IMMEDIATE transaction, and recorded in `logbook_migrations`.
///
/// The file is marked as Logbook's with `PRAGMA application_id` (`'LGBK'`); the schema version is kept both in
/// `PRAGMA user_version` and as the highest version in `logbook_migrations`. Refused, and left untouched: a SQLite
/// file that belongs to another application (tables but not our application id) and a database written by a newer
/// Logbook (a version above `SchemaMigrations.latestVersion`). A fresh, empty file is initialised.
struct Migrator {
    /// `'LGBK'` as a big-endian 32-bit integer.
    static let applicationID: Int32 = 0x4C47_424B

    /// The migrations to apply, in version order (tests pass a prefix to build older schemas).
    var migrations: [SchemaMigrations.Migration] = SchemaMigrations.all

    var latestVersion: Int { migrations.last?.version ?? 0 }

    /// The state of a database as read from its header, without writing to it.
    struct Inspection: Sendable, Equatable {
        var applicationID: Int32
        var version: Int
        var objectCount: Int
        var isEmpty: Bool { objectCount == 0 }
    }

    /// Reads the header and schema of `connection`'s database, all from one snapshot (inside a read transaction,
    /// or the caller's), so that a migration committed meanwhile by another process is seen whole or not at all.
    /// Writes nothing.
    func inspect(_ connection: SQLiteConnection) throws -> Inspection {
        try connection.transaction(.deferred) { try inspectSnapshot(connection) }
    }

    private func inspectSnapshot(_ connection: SQLiteConnection) throws -> Inspection {
        let applicationID = Int32(truncatingIfNeeded: try connection.scalarInt("PRAGMA application_id") ?? 0)
        let userVersion = Int(try connection.scalarInt("PRAGMA user_version") ?? 0)
        let objectCount = Int(try connection.scalarInt("SELECT count(*) FROM sqlite_schema") ?? 0)
        var recorded = 0
        let hasTable = try connection.scalarInt(
            "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'logbook_migrations'") ?? 0
        if hasTable > 0 {
            recorded = Int(try connection.scalarInt("SELECT max(version) FROM logbook_migrations") ?? 0)
        }
        return Inspection(applicationID: applicationID, version: max(userVersion, recorded), objectCount: objectCount)
    }

    /// Throws the refusal for a database this binary must not touch; returns its inspection otherwise.
    @discardableResult
    func checkCompatible(_ connection: SQLiteConnection) throws -> Inspection {
        let inspection = try inspect(connection)
        if inspection.isEmpty && inspection.applicationID == 0 { return inspection }
        guard inspection.applicationID == Migrator.applicationID else {
            throw StoreError("'\(connection.path)' is a SQLite database of another application, not a Logbook database (left untouched)")
        }
        if inspection.version > latestVersion {
            throw StoreError(
                "'\(connection.path)' was written by a newer Logbook (schema version \(inspection.version); this binary knows up to \(latestVersion)): upgrade logbook")
        }
        return inspection
    }

    /// Applies every migration above the database's version. Returns the versions applied (empty when up to date).
    /// Safe against a concurrent migrator: each step re-reads the version inside its write transaction.
    @discardableResult
    ///
    /// Foreign keys are off while migrations run (a migration may rebuild a table the others reference, SQLite's
    /// documented way to change a constraint); `PRAGMA foreign_key_check` must find nothing before each commits.
    func migrate(_ connection: SQLiteConnection) throws -> [Int] {
        try checkCompatible(connection)
        try connection.execute("PRAGMA foreign_keys = OFF")
        defer { try? connection.execute("PRAGMA foreign_keys = ON") }
        var applied: [Int] = []
        for migration in migrations {
            let didApply = try connection.transaction(.immediate) { () throws -> Bool in
                let current = try inspect(connection)
                if current.version >= migration.version { return false }
                if current.version > latestVersion {
                    throw StoreError("'\(connection.path)' was migrated to version \(current.version) by a newer Logbook meanwhile")
                }
                try connection.execute(
                    """
                    CREATE TABLE IF NOT EXISTS logbook_migrations (
                        version    INTEGER PRIMARY KEY,
                        name       TEXT NOT NULL,
                        applied_at REAL NOT NULL
                    ) STRICT;
                    PRAGMA application_id = \(Migrator.applicationID);
                    """)
                do {
                    try connection.execute(migration.sql)
                } catch let error as StoreError {
                    throw StoreError("migration \(migration.name) failed: \(error.message)", code: error.code)
                }
                if let violations = try connection.scalarInt("SELECT count(*) FROM pragma_foreign_key_check"), violations > 0 {
                    throw StoreError("migration \(migration.name) failed: \(violations) foreign key violation(s)")
                }
                try connection.execute(
                    "INSERT INTO logbook_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [.integer(Int64(migration.version)), .text(migration.name), .real(Date().timeIntervalSince1970)])
                try connection.execute("PRAGMA user_version = \(migration.version)")
                return true
            }
            if didApply { applied.append(migration.version) }
        }
        return applied
    }
}
