import ArgumentParser
import Foundation
import Store

/// `--db PATH`, shared by every command that reads or writes the store, and the one place that opens it: commands
/// get the store as `any LogbookStoring` (runs, trial queue, queries) and never name its implementation.
struct StoreOptions: ParsableArguments {
    @Option(
        name: .customLong("db"),
        help: ArgumentHelp("The Logbook database (default: $LOGBOOK_DB, else ./logbook.sqlite).", valueName: "path"))
    var explicitPath: String?

    /// The database path: `--db`, else `$LOGBOOK_DB`, else `./logbook.sqlite`.
    var path: String {
        if let explicitPath { return explicitPath }
        if let environment = ProcessInfo.processInfo.environment["LOGBOOK_DB"], !environment.isEmpty { return environment }
        return "logbook.sqlite"
    }

    /// Opens the store for reading and writing, creating and migrating it as needed.
    func open() throws -> any LogbookStoring {
        try LogbookStore(path: path, mode: .readWrite)
    }

    /// Opens an existing, up-to-date store read-only: nothing can be written through it.
    func openReadOnly() throws -> any LogbookStoring {
        try LogbookStore(path: path, mode: .readOnly)
    }
}
