import ArgumentParser
import Foundation
import Store

/// `logbook db migrate|info`: the database file itself.
struct Db: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create, migrate, describe or copy the Logbook database.",
        subcommands: [DbMigrate.self, DbInfo.self, DbCopy.self])
}

/// `logbook db migrate`: creates the file when missing and applies every pending schema migration.
struct DbMigrate: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Create the database or bring it to the latest schema (forward only, one transaction per migration).")

    @OptionGroup var store: StoreOptions

    func run() throws {
        let store = try self.store.open()
        let version = try store.schemaVersion()
        if store.appliedMigrations.isEmpty {
            Console.line("\(store.path): schema version \(version), up to date")
        } else {
            let applied = store.appliedMigrations.map(String.init).joined(separator: ", ")
            Console.line("\(store.path): migrated to schema version \(version) (applied \(applied))")
        }
    }
}

/// `logbook db info`: path, schema version, rows per table and size on disk.
struct DbInfo: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info", abstract: "Show the database's schema version, row counts and size on disk.")

    @OptionGroup var store: StoreOptions

    func run() throws {
        let info = try store.openReadOnly().info()
        Console.line("path            \(info.path)")
        Console.line("schema version  \(info.schemaVersion) (this binary: \(info.latestSchemaVersion))")
        Console.line("size on disk    \(DbInfo.bytes(info.bytesOnDisk)) (\(info.pageCount) pages of \(info.pageSize) bytes + WAL)")
        let width = info.rowCounts.map(\.table.count).max() ?? 0
        for (table, rows) in info.rowCounts {
            let padding = String(repeating: " ", count: width - table.count)
            Console.line("rows  \(table)\(padding)  \(rows)")
        }
    }

    /// `1.23 MB (1234567 bytes)`.
    static func bytes(_ count: Int) -> String {
        let units = ["bytes", "kB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1000 && unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(count) bytes" : String(format: "%.2f %@ (%d bytes)", value, units[unit], count)
    }
}
