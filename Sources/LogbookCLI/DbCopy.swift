import ArgumentParser
import Foundation
import Store

/// `logbook db copy --from A --to B [--sweep ID]`: sweeps and runs with every table between stores.
struct DbCopy: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "copy",
        abstract: "Copy sweeps and runs, with every row and the weights, from one store to another (idempotent).",
        discussion: """
            SQLite → PostgreSQL to share a sweep, PostgreSQL → SQLite to take it home and read it offline. Rows keep \
            their ids; what the target already has is skipped, so copying twice adds nothing.

            Example: logbook db copy --from runs.sqlite --to postgresql://logbook@db.example/logbook --sweep 1
            """)

    @Option(help: ArgumentHelp("The store to read: a SQLite file or a postgresql:// URL.", valueName: "path"))
    var from: String

    @Option(help: ArgumentHelp("The store to write (created and migrated when missing).", valueName: "path"))
    var to: String

    @Option(help: "Copy only this sweep and its runs (default: everything).")
    var sweep: Int64?

    func validate() throws {
        if StoreLocation.displayed(from) == StoreLocation.displayed(to) {
            throw ValidationError("--from and --to are the same store: \(StoreLocation.displayed(to))")
        }
    }

    func run() throws {
        let source = try StoreLocation.open(from, mode: .readOnly)
        let target = try StoreLocation.open(to, mode: .readWrite)
        let summary = try StoreCopy.copy(from: source, to: target, sweepID: sweep)
        Console.line(
            "copied \(summary.sweepsCopied) sweeps, \(summary.runsCopied) runs (\(summary.rowsCopied) rows) from \(source.path) to \(target.path); \(summary.runsSkipped) runs already there")
    }
}
