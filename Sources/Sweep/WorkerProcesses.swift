import Foundation

/// The worker processes of a sweep: N copies of this executable running `worker --db PATH --sweep ID`, each with
/// single-threaded BLAS (`OPENBLAS_NUM_THREADS=1`) so that N workers use N cores without oversubscription.
public final class WorkerProcesses: @unchecked Sendable {
    public let processes: [Process]

    /// Starts `count` workers labelled `w1`, `w2`, …. `executable` defaults to this process's own binary
    /// (`/proc/self/exe` on Linux: `CommandLine.arguments[0]` may be relative). Workers watch `--parent-pid` and
    /// stop gracefully (trial marked `interrupted`) if this process goes away.
    public init(
        count: Int, databasePath: String, sweepID: Int64, executable: String? = nil, extraArguments: [String] = []
    ) throws {
        let binary = executable ?? WorkerProcesses.currentExecutable
        var started: [Process] = []
        for index in 1...max(1, count) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: binary)
            process.arguments = [
                "worker", "--db", databasePath, "--sweep", String(sweepID), "--worker-id", "w\(index)",
                "--parent-pid", String(ProcessInfo.processInfo.processIdentifier), "--quiet",
            ] + extraArguments
            var environment = ProcessInfo.processInfo.environment
            environment["OPENBLAS_NUM_THREADS"] = "1"
            environment["SWIFT_BACKTRACE"] = environment["SWIFT_BACKTRACE"] ?? "enable=no"
            process.environment = environment
            process.standardOutput = FileHandle.nullDevice
            do {
                try process.run()
            } catch {
                for other in started { other.interrupt() }
                throw SweepError("cannot start worker process '\(binary)': \(error.localizedDescription)")
            }
            started.append(process)
        }
        processes = started
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

/// A flag raised by SIGINT/SIGTERM (or by hand), polled by training loops and the sweep's parent process.
/// The signals are handled on a dispatch queue, so the process is not killed by them while the flag is in use.
public final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    private var sources: [DispatchSourceSignal] = []
    private var handlers: [@Sendable () -> Void] = []

    public init() {}

    /// Catches `signals` from now on: each raises the flag and calls `onSignal`.
    public func catchSignals(_ signals: [Int32] = [SIGINT, SIGTERM], onSignal: @escaping @Sendable () -> Void = {}) {
        lock.lock()
        handlers.append(onSignal)
        lock.unlock()
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.raise() }
            source.resume()
            lock.lock()
            sources.append(source)
            lock.unlock()
        }
    }

    public func raise() {
        lock.lock()
        let first = !raised
        raised = true
        let callbacks = handlers
        lock.unlock()
        if first { for callback in callbacks { callback() } }
    }

    public var isRaised: Bool {
        lock.lock()
        defer { lock.unlock() }
        return raised
    }
}
