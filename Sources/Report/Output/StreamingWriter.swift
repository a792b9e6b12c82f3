import Foundation
import Store

/// Writes rows as CSV or JSON (same text as `CSVWriter`/`JSONWriter`) incrementally to a file handle, buffering
/// about 1 MB at a time: for exports too large to hold in memory.
public final class StreamingTableWriter {
    public enum Format: String, Sendable, CaseIterable { case csv, json }

    private let handle: FileHandle
    private let format: Format
    private var buffer = ""
    private var columns: [String] = []
    private var keys: [String] = []
    private var rowCount = 0

    public init(handle: FileHandle, format: Format) {
        self.handle = handle
        self.format = format
    }

    public func header(_ columns: [String]) {
        self.columns = columns
        keys = columns.map(JSONWriter.quote)
        if format == .csv { buffer += columns.map(CSVWriter.quote).joined(separator: ",") + "\n" }
    }

    public func row(_ values: [SQLValue]) throws {
        switch format {
        case .csv:
            for (index, value) in values.enumerated() {
                if index > 0 { buffer.append(",") }
                switch value {
                case .null: break
                case .integer(let integer): buffer.append(String(integer))
                case .real(let real): buffer.append(CellText.exactReal(real))
                default: buffer.append(CSVWriter.quote(CellText.exact(value)))
                }
            }
            buffer.append("\n")
        case .json:
            buffer += (rowCount == 0 ? "[\n" : ",\n") + "  {"
                + zip(keys, values).map { "\($0): \(JSONWriter.value($1))" }.joined(separator: ", ") + "}"
        }
        rowCount += 1
        if buffer.utf8.count > 1 << 20 { try flush() }
    }

    /// Writes what is left (and closes the JSON array); returns the number of rows written.
    @discardableResult
    public func finish() throws -> Int {
        if format == .json { buffer += rowCount == 0 ? "[]\n" : "\n]\n" }
        try flush()
        return rowCount
    }

    private func flush() throws {
        try handle.write(contentsOf: Data(buffer.utf8))
        buffer.removeAll(keepingCapacity: true)
    }
}
