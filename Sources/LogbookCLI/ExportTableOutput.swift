import ArgumentParser
import Foundation
import Report
import Store

/// `logbook export --format csv|json`: a sweep's long-format table, streamed to `--out` or standard output.
struct ExportTableOutput {
    let command: Export

    var table: SweepExportTable { command.what ?? .runs }

    /// Writes the export to `handle`; returns the row count.
    @discardableResult
    func write(to handle: FileHandle) throws -> Int {
        let store = try QuerySupport.openReadOnly(command.store)
        let writer = StreamingTableWriter(handle: handle, format: command.format.table!)
        try store.exportSweep(table, sweepID: command.sweep!, header: writer.header, row: writer.row)
        return try writer.finish()
    }

    func run() throws {
        guard let out = command.out else {
            try write(to: FileHandle.standardOutput)
            return
        }
        guard FileManager.default.createFile(atPath: out, contents: nil), let handle = FileHandle(forWritingAtPath: out) else {
            throw ValidationError("cannot write --out '\(out)': the file cannot be created")
        }
        defer { try? handle.close() }
        let rows = try write(to: handle)
        FileHandle.standardError.write(Data("wrote \(rows) \(table.rawValue) rows to \(out)\n".utf8))
    }
}
