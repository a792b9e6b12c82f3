import Foundation

/// The worker processes of a sweep: N copies of this executable running `worker --db PATH --sweep ID`, each with
/// single-threaded BLAS (`OPENBLAS_NUM_THREADS=1`) so that N workers use N cores without oversubscription.
public final class WorkerProcesses: @unchecked Sendable {
    private let lock = NSLock()
    private var started: [Process] = []
    private let binary: String
    private let arguments: [String]

    /// Starts `count` workers labelled `w1`, `w2`, …. `executable` defaults to this process's own binary
    /// (`/proc/self/exe` on Linux: `CommandLine.arguments[0]` may be relative). Workers watch `--parent-pid` and
    /// stop gracefully (trial marked `interrupted`) if this process goes away.
    public init(
        count: Int, databasePath: String, sweepID: Int64, executable: String? = nil, extraArguments: [String] = []
    ) throws {
        binary = executable ?? WorkerProcesses.currentExecutable
        arguments = [
            "--db", databasePath, "--sweep", String(sweepID), "--parent-pid",
            String(ProcessInfo.processInfo.processIdentifier), "--quiet",
        ] + extraArguments
        do {
            for _ in 1...max(1, count) { try startWorker() }
        } catch {
            interrupt()
            throw error
        }
    }

    /// Starts one more worker (`w(N+1)`), e.g. to replace one that died.
    public func startWorker() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        lock.lock()
        let label = "w\(started.count + 1)"
        lock.unlock()
        process.arguments = ["worker", "--worker-id", label] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["OPENBLAS_NUM_THREADS"] = "1"
        environment["SWIFT_BACKTRACE"] = environment["SWIFT_BACKTRACE"] ?? "enable=no"
        process.environment = environment
        process.standardOutput = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            throw SweepError("cannot start worker process '\(binary)': \(error.localizedDescription)")
        }
        lock.lock()
        started.append(process)
        lock.unlock()
    }

    /// Every worker started so far, in start order.
    public var processes: [Process] {
        lock.lock()
        defer { lock.unlock() }
        return started
    }

    /// This program's own executable.
    public static var currentExecutable: String {
        #if os(Linux)
            return "/proc/self/exe"
        #else
            return Bundle.main.executablePath ?? CommandLine.arguments[0]
        #endif
    }

    public var processIdentifiers: [Int32] { processes.map(\.processIdentifier) }

    public var allExited: Bool { processes.allSatisfy { !$0.isRunning } }

    /// Workers that have ended badly (killed by a signal, or a non-zero exit), each as
    /// `worker w2 (pid 1234) was killed by signal 9` / `… exited with status 1`.
    public var failures: [String] {
        processes.enumerated().compactMap { index, process in
            guard !process.isRunning else { return nil }
            let name = "worker w\(index + 1) (pid \(process.processIdentifier))"
            switch process.terminationReason {
            case .uncaughtSignal: return "\(name) was killed by signal \(process.terminationStatus)"
            default: return process.terminationStatus == 0 ? nil : "\(name) exited with status \(process.terminationStatus)"
            }
        }
    }

    /// Asks every running worker to stop gracefully (SIGINT): each finishes its current step, marks its trial
    /// `interrupted` and exits.
    public func interrupt() {
        for process in processes where process.isRunning { kill(process.processIdentifier, SIGINT) }
    }

    /// Waits for every worker; returns their exit statuses.
    @discardableResult
    public func waitUntilExit() -> [Int32] {
        processes.map { process in
            process.waitUntilExit()
            return process.terminationStatus
        }
    }
}
