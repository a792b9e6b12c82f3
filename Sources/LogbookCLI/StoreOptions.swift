import ArgumentParser
import Foundation

/// `--db PATH`, shared by every command that reads or writes the store.
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
}
