import Engine
import Foundation

/// Writing one exported file whole: into a temporary file beside it, then renamed (a reader never sees half).
public enum ExportFile {
    /// Writes `bytes` to `path`; one-line errors for a missing folder, a folder in the way, a failed write.
    public static func write(_ bytes: [UInt8], to path: String, example: String) throws {
        if let reason = OutputPath.unwritableReason(path, example: example) { throw ExportError(reason) }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ExportError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
