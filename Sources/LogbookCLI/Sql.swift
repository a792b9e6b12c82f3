import ArgumentParser
import Foundation
import Report
import Store

/// `logbook sql "SELECT …"`: one read-only statement of SQL against the store.
struct Sql: ParsableCommandWithOutput {
    static let configuration = CommandConfiguration(
        abstract: "Run one read-only SQL query against the store.",
        discussion: """
            The database is opened read-only: a statement that would write is refused and the store is left \
            unchanged (SQLite: SQLITE_OPEN_READONLY and PRAGMA query_only; PostgreSQL: a read-only session and a \
            READ ONLY transaction, rolled back, with a statement timeout). Tables: sweeps, runs, params, \
            iterations, epochs, evaluations, weights; views: run_summary, iteration_log (on PostgreSQL \
            iterations is a view over the iteration_blocks table).

            Example: logbook sql "SELECT initializer, avg(test_accuracy) FROM run_summary GROUP BY initializer"
            """)

    @OptionGroup var store: StoreOptions
    @OptionGroup var output: OutputOptions

    @Argument(help: "One SQL statement (SELECT, WITH … SELECT, read-only PRAGMA, EXPLAIN).")
    var query: String

    func validate() throws {
        if query.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw ValidationError("invalid query '': the SQL statement is empty")
        }
    }

    func output(colour: Bool? = nil) throws -> String {
        let store = try QuerySupport.openReadOnly(self.store)
        return output.format.render(try store.readOnlySelect(query), colour: colour ?? output.colour)
    }

    func run() throws { Console.write(try output()) }
}
