import Foundation

/// The checks before a file is written whole (model weights, exported files): one-line reasons naming the path.
public enum OutputPath {
    /// Why no file can be written at `path` — its folder does not exist, or a folder stands at the path itself (the
    /// message suggests `path/example`) — or nil when it can.
    public static func unwritableReason(_ path: String, example: String) -> String? {
        let directory = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        if !directory.isEmpty, !FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory) || !isDirectory.boolValue {
            return "cannot write \(path): directory \(directory) does not exist"
        }
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
            return "cannot write \(path): it is a directory (give a file name, e.g. \(path)/\(example))"
        }
        return nil
    }
}
