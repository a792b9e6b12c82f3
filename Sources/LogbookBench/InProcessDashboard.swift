import Dashboard
import Foundation
import Store

/// `logbook serve`'s server started inside the benchmark's process, on a free loopback port (port 0), over the same
/// read-only store connections `logbook serve` opens; `stop()` cancels it and waits for it to finish.
final class InProcessDashboard: @unchecked Sendable {
    let host = "127.0.0.1"
    private(set) var port = 0
    private var task: Task<Void, Never>?
    private let finished = DispatchSemaphore(value: 0)

    /// Starts serving the store at `location`; returns once the port is bound.
    init(location: String) throws {
        let server = try DashboardServer(location: location, configuration: .init(host: host, port: 0))
        let bound = DispatchSemaphore(value: 0)
        let state = StartState()
        let finished = self.finished
        task = Task {
            do {
                try await server.run { port in
                    state.port = port
                    bound.signal()
                }
            } catch {
                state.failure = "\(error)"
                bound.signal()
            }
            finished.signal()
        }
        guard bound.wait(timeout: .now() + 60) == .success, state.port > 0 else {
            task?.cancel()
            throw BenchError("bench serve: the dashboard did not start: \(state.failure ?? "timed out")")
        }
        port = state.port
    }

    func client(timeout: Double = 60) throws -> LoopbackHTTPClient { try LoopbackHTTPClient(host: host, port: port, timeout: timeout) }

    func stop() {
        guard let task else { return }
        task.cancel()
        _ = finished.wait(timeout: .now() + 30)
        self.task = nil
    }

    deinit { stop() }
}

private final class StartState: @unchecked Sendable {
    var port = 0
    var failure: String?
}
