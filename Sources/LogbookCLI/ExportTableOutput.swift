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
        // Written beside `out` and renamed over it when complete: a failed export leaves no half-written file.
        let partial = out + ".partial-\(getpid())"
        guard FileManager.default.createFile(atPath: partial, contents: nil),
            let handle = FileHandle(forWritingAtPath: partial)
        else {
            throw ValidationError("cannot write --out '\(out)': the file cannot be created")
        }
        let rows: Int
        do {
            rows = try write(to: handle)
            try handle.close()
            guard rename(partial, out) == 0 else {
                throw ValidationError("cannot write --out '\(out)': \(String(cString: strerror(errno)))")
            }
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        FileHandle.standardError.write(Data("wrote \(rows) \(table.rawValue) rows to \(out)\n".utf8))
    }
}
