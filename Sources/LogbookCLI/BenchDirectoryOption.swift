import ArgumentParser
import Foundation

/// `--directory DIR`, shared by the benchmarks that write temporary stores or files: where they go (removed after
/// the run unless a command keeps them), the system's temporary directory by default.
struct BenchDirectoryOption: ParsableArguments {
    @Option(name: .customLong("directory"), help: "Directory for the benchmark's temporary stores and files (default: the system's temporary directory).")
    var given: String?

    /// The directory to use.
    var path: String { given ?? NSTemporaryDirectory() }
}
