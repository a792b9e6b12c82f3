import Dashboard
import Foundation
import Store

/// `logbook serve`'s server started inside this process on a free port (port 0) of `configuration.host`, over the
/// same read-only store connections `logbook serve` opens: what `bench serve` measures and the dashboard tests ask.
/// `stop()` (or releasing it) cancels the server's task.
public final class InProcessDashboard: @unchecked Sendable {
    public let host: String
    public private(set) var port = 0
    private var task: Task<Void, Never>?

    /// Starts serving the store at `location`; returns once the port is bound (throws when it is not within 60 s).
    public init(location: String, configuration: DashboardServer.Configuration = .init()) throws {
        var configuration = configuration
        configuration.port = 0
        host = configuration.host
        let server = try DashboardServer(location: location, configuration: configuration)
        let bound = DispatchSemaphore(value: 0)
        let state = StartState()
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
        }
        guard bound.wait(timeout: .now() + 60) == .success, state.port > 0 else {
            task?.cancel()
            throw BenchError("the dashboard did not start: \(state.failure ?? "timed out")")
        }
        port = state.port
    }

    /// A new keep-alive connection to the server (over loopback when it listens on every address).
    public func client(timeout: Double = 60) throws -> LoopbackHTTPClient {
        try LoopbackHTTPClient(host: host == "0.0.0.0" ? "127.0.0.1" : host, port: port, timeout: timeout)
    }

    public func stop() {
        task?.cancel()
        task = nil
    }

    deinit { stop() }
}

private final class StartState: @unchecked Sendable {
    var port = 0
    var failure: String?
}
