import Foundation

/// Writes TFRecord framing, the container of TensorBoard's event files. Each record is
///
///     uint64 length (little-endian) · uint32 masked CRC-32C of those 8 bytes · data · uint32 masked CRC-32C of data
///
/// (`CRC32C.masked`). Records are buffered and written to a temporary file beside `path`, which `finish()` renames
/// into place: a reader never sees half a file.
final class TFRecordWriter {
    let path: String
    private let temporaryPath: String
    private let handle: FileHandle
    private var buffer: [UInt8] = []
    private(set) var recordCount = 0
    static let flushThreshold = 1 << 20

    init(path: String) throws {
        self.path = path
        temporaryPath = path + ".partial"
        guard FileManager.default.createFile(atPath: temporaryPath, contents: nil),
            let handle = FileHandle(forWritingAtPath: temporaryPath)
        else { throw ExportError("cannot write '\(path)': the file cannot be created") }
        self.handle = handle
    }

    /// Appends one record holding `data`.
    func write(_ data: [UInt8]) throws {
        var length = ProtobufWriter()
        length.littleEndian(UInt64(data.count))
        buffer.append(contentsOf: length.bytes)
        append32(CRC32C.masked(length.bytes))
        buffer.append(contentsOf: data)
        append32(CRC32C.masked(data))
        recordCount += 1
        if buffer.count >= TFRecordWriter.flushThreshold { try flush() }
    }

    /// Writes what is buffered, closes the file and moves it to `path`.
    func finish() throws {
        try flush()
        try handle.close()
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
        try FileManager.default.moveItem(atPath: temporaryPath, toPath: path)
    }

    /// Removes the temporary file (after a failure).
    func abandon() {
        try? handle.close()
        try? FileManager.default.removeItem(atPath: temporaryPath)
    }

    private func append32(_ value: UInt32) {
        withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        try handle.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
    }
}
