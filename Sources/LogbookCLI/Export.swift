import ArgumentParser
import Foundation
import Report
import Store

extension StreamingTableWriter.Format: ExpressibleByArgument {}
extension SweepExportTable: ExpressibleByArgument {}

/// `logbook export --sweep ID --what runs|iterations|epochs --format csv|json [--out F]`.
struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Export a sweep's runs, iterations or epochs as long-format CSV or JSON (for pandas or R).",
        discussion: """
            One row per run, per iteration or per epoch, each carrying run_id, trial_index, seed, batch_size, \
            base_learning_rate and initializer, so that the file can be grouped without a join. Streams: \
            millions of rows are fine.

            Example: logbook export --sweep 1 --what iterations --format csv --out iterations.csv
            """)

    @OptionGroup var store: StoreOptions

    @Option(help: "The sweep.")
    var sweep: Int64
    @Option(help: "runs, iterations or epochs.")
    var what: SweepExportTable = .runs
    @Option(help: "csv or json.")
    var format: StreamingTableWriter.Format = .csv
    @Option(help: "Write to this file instead of standard output.")
    var out: String?

    /// Writes the export to `handle`; returns the row count.
    @discardableResult
    func write(to handle: FileHandle) throws -> Int {
        let store = try QuerySupport.openReadOnly(self.store)
        let writer = StreamingTableWriter(handle: handle, format: format)
        try store.exportSweep(what, sweepID: sweep, header: writer.header, row: writer.row)
        return try writer.finish()
    }

    func run() throws {
        guard let out else {
            try write(to: FileHandle.standardOutput)
            return
        }
        guard FileManager.default.createFile(atPath: out, contents: nil) , let handle = FileHandle(forWritingAtPath: out) else {
            throw ValidationError("cannot write --out '\(out)': the file cannot be created")
        }
        defer { try? handle.close() }
        let rows = try write(to: handle)
        FileHandle.standardError.write(Data("wrote \(rows) \(what.rawValue) rows to \(out)\n".utf8))
    }
}
