import ArgumentParser
import Foundation
import Store

/// `--db PATH|URL`, shared by every command that reads or writes the store, and the one place that opens it: commands
/// get the store as `any LogbookStoring` (runs, trial queue, queries) and never name its implementation. A
/// `postgresql://…` or `postgres://…` URL opens the PostgreSQL store; anything else is a SQLite file.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("db"),
        help: ArgumentHelp(
            "The Logbook database: a SQLite file or a postgresql:// URL (default: $LOGBOOK_DB, else ./logbook.sqlite).",
            valueName: "path"))
    var explicitPath: String?

    /// The database as given: `--db`, else `$LOGBOOK_DB`, else `./logbook.sqlite`. A URL may hold a password:
    /// never print it (use `path`).
    var location: String {
        if let explicitPath { return explicitPath }
        if let environment = ProcessInfo.processInfo.environment["LOGBOOK_DB"], !environment.isEmpty { return environment }
        return "logbook.sqlite"
    }

    /// The database as shown and handed to worker processes: a URL without its password (the store puts it in
    /// `PGPASSWORD`, which workers inherit).
    var path: String { StoreLocation.displayed(location) }

    /// Opens the store for reading and writing, creating and migrating it as needed.
    func open() throws -> any LogbookStoring {
        try StoreLocation.open(location, mode: .readWrite)
    }

    /// Opens an existing, up-to-date store read-only: nothing can be written through it.
    func openReadOnly() throws -> any LogbookStoring {
        try StoreLocation.open(location, mode: .readOnly)
    }
}
