import ArgumentParser
import Foundation

#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// The process entry point: runs a command and turns every failure into one line on standard error
/// (`error: invalid batch_size 0: must be at least 1`) and a non-zero exit code (64 for usage errors, 1 otherwise).
public enum LogbookMain {
    public static func run(_ arguments: [String]? = nil) -> Never {
        do {
            var command = try Logbook.parseAsRoot(arguments)
            try command.run()
            exit(0)
        } catch let exit as ExitCode {
            // The command has already said what happened; only the status remains.
            Foundation.exit(exit.rawValue)
        } catch {
            let code = Logbook.exitCode(for: error)
            if code == .success { Logbook.exit(withError: error) }  // --help, --version
            let message = Logbook.message(for: error)
                .split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { !$0.isEmpty }.joined(separator: "; ")
            FileHandle.standardError.write(Data("error: \(message)\n".utf8))
            exit(code.rawValue)
        }
    }
}
