/// The schema migrations compiled into the binary, in the order they apply.
public enum SchemaMigrations {
    public struct Migration: Sendable {
        /// The schema version this migration brings the database to (1, 2, …).
        public let version: Int
        public let name: String
        public let sql: String
    }

    public static let all: [Migration] = [
        Migration(version: 1, name: "0001_init", sql: String(decoding: PackageResources._001_init_sql, as: UTF8.self)),
        Migration(
            version: 2, name: "0002_stale_heartbeats",
            sql: String(decoding: PackageResources._002_stale_heartbeats_sql, as: UTF8.self)),
        Migration(version: 3, name: "0003_pruning", sql: String(decoding: PackageResources._003_pruning_sql, as: UTF8.self)),
        Migration(
            version: 4, name: "0004_iteration_blocks",
            sql: String(decoding: PackageResources._004_iteration_blocks_sql, as: UTF8.self)),
        Migration(version: 5, name: "0005_params_by_key", sql: String(decoding: PackageResources._005_params_by_key_sql, as: UTF8.self)),
    ]

    public static var latestVersion: Int { all.last?.version ?? 0 }

    /// The same versions for PostgreSQL (`postgresql/NNNN_name.pg.sql`): the same tables, columns and views in
    /// PostgreSQL's dialect. Every SQLite version has its PostgreSQL twin with the same number and name.
    public static let postgreSQL: [Migration] = [
        Migration(version: 1, name: "0001_init", sql: String(decoding: PackageResources._001_init_pg_sql, as: UTF8.self)),
        Migration(
            version: 2, name: "0002_stale_heartbeats",
            sql: String(decoding: PackageResources._002_stale_heartbeats_pg_sql, as: UTF8.self)),
        Migration(version: 3, name: "0003_pruning", sql: String(decoding: PackageResources._003_pruning_pg_sql, as: UTF8.self)),
        Migration(
            version: 4, name: "0004_iteration_blocks",
            sql: String(decoding: PackageResources._004_iteration_blocks_pg_sql, as: UTF8.self)),
        Migration(
            version: 5, name: "0005_params_by_key",
            sql: String(decoding: PackageResources._005_params_by_key_pg_sql, as: UTF8.self)),
    ]
}
