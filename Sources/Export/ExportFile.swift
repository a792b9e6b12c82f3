import Foundation

/// Writing one exported file whole: into a temporary file beside it, then renamed (a reader never sees half).
public enum ExportFile {
    /// Writes `bytes` to `path`; one-line errors for a missing folder, a folder in the way, a failed write.
    public static func write(_ bytes: [UInt8], to path: String, example: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
            throw ExportError("cannot write \(path): directory \(directory) does not exist")
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            throw ExportError("cannot write \(path): it is a directory (give a file name, e.g. \(path)/\(example))")
        }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw ExportError("cannot write \(path): \(error.localizedDescription)")
        }
    }
}
