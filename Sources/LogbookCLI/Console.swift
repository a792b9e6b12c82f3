import Foundation

/// Unbuffered output: every line reaches the terminal or pipe at once, so that progress lines from several
/// processes interleave in time (Swift's `print` is block-buffered when stdout is a pipe).
enum Console {
    /// Writes `text` as it is (it carries its own newlines).
    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    static func line(_ text: String) {
        write(text + "\n")
    }

    static func error(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
