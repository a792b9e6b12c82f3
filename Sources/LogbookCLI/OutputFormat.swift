import ArgumentParser
import Foundation
import Report
import Store

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

extension OutputFormat: ExpressibleByArgument {}

/// `--format table|csv|json|markdown`, shared by the query commands.
struct OutputOptions: ParsableArguments {
    @Option(help: "Output format: table, csv, json or markdown.")
    var format: OutputFormat = .table

    /// Colour only for the table format, only on a terminal, and never when `NO_COLOR` is set and non-empty.
    var colour: Bool { format == .table && colourOnTerminal }

    /// Standard output is a terminal and `NO_COLOR` is unset or empty.
    var colourOnTerminal: Bool {
        guard isatty(STDOUT_FILENO) != 0 else { return false }
        return ProcessInfo.processInfo.environment["NO_COLOR"].map(\.isEmpty) ?? true
    }

    func render(_ table: ResultTable) -> String { format.render(table, colour: colour) }
}

/// Helpers shared by the query commands.
enum QuerySupport {
    /// Opens the store read-only: queries can never write.
    static func openReadOnly(_ options: StoreOptions) throws -> any LogbookStoring {
        try options.openReadOnly()
    }

    /// The metric a sweep ranks by when no --metric is given: its own, or — when no completed run recorded its
    /// validation metric (no validation split) — the test counterpart, with a note on standard error
    /// (`SweepChoice.rankingMetric`).
    static func sweepMetric(_ sweep: SweepRecord, store: any LogbookStoring) throws -> String {
        let ranking = try SweepChoice.rankingMetric(of: sweep, store: store)
        if let missing = ranking.fallbackFrom {
            Console.error("note: no completed run of sweep \(sweep.id) recorded \(missing) (no validation split); ranking by \(ranking.name), which is optimistic")
        }
        return ranking.name
    }

    /// Splits comma-separated option values (`--columns a,b --columns c` ⇒ `[a, b, c]`), dropping empty parts.
    static func splitList(_ values: [String]) -> [String] {
        values.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }
}

/// A command whose whole output is one string, so that tests can run it in-process.
protocol ParsableCommandWithOutput: ParsableCommand {
    /// What `run()` prints; `colour` nil means "decide from the terminal".
    func output(colour: Bool?) throws -> String
}
