import Engine
import Foundation

/// `serve.load`: `clients` threads, each with its own keep-alive loopback connection and one request in flight at a
/// time (a closed loop: the load is bounded by the clients, never queued without end), for `seconds`; client `c`'s
/// `i`-th request is `requests[(c + i) mod count]`, so every kind is in flight at once. An error is an answer other
/// than 200 or a failed connection (the client then reconnects). Latency is each request's send-to-last-byte
/// time; p50 and p99 by nearest rank over all requests (`BenchStatistics.percentile`).
struct ServeLoad {
    let requests: [String]
    let clients: Int
    let seconds: Double

    init(requests: [String], clients: Int, seconds: Double) {
        (self.requests, self.clients, self.seconds) = (requests, clients, seconds)
    }

    func run(server: InProcessDashboard) throws -> JSONLine {
        let results = LoadResults()
        let group = DispatchGroup()
        let start = MonotonicClock.now()
        let deadline = start + seconds
        let requests = self.requests
        for client in 0..<clients {
            group.enter()
            let thread = Thread {
                defer { group.leave() }
                var latencies: [Double] = []
                var errors: [String] = []
                var connection: LoopbackHTTPClient?
                var index = client
                while MonotonicClock.now() < deadline {
                    let request = requests[index % requests.count]
                    index += 1
                    let sent = MonotonicClock.now()
                    do {
                        if connection == nil { connection = try server.client(timeout: 60) }
                        let response = try connection!.get(request)
                        latencies.append((MonotonicClock.now() - sent) * 1000)
                        if response.status != 200 { errors.append("\(request): status \(response.status)") }
                    } catch {
                        errors.append("\(request): \(error)")
                        connection = nil
                    }
                }
                results.add(latencies: latencies, errors: errors)
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
        group.wait()
        let elapsed = MonotonicClock.now() - start
        let (latencies, errors) = results.collected
        var line = JSONLine([
            "bench": "serve.load", "clients": clients, "seconds": BenchStatistics.rounded(elapsed, places: 2),
            "requests": latencies.count, "errors": errors.count,
            "requests_per_s": BenchStatistics.rounded(Double(latencies.count) / elapsed, places: 1),
            "p50_milliseconds": BenchStatistics.rounded(BenchStatistics.percentile(latencies, 0.5), places: 3),
            "p99_milliseconds": BenchStatistics.rounded(BenchStatistics.percentile(latencies, 0.99), places: 3),
            "max_milliseconds": BenchStatistics.rounded(latencies.max() ?? .nan, places: 3),
            "mix": requests.map { String($0.prefix { $0 != "?" }) }.joined(separator: " "), "pass": errors.isEmpty,
        ])
        if let first = errors.first { line.append("first_error", first) }
        return line
    }
}

/// What the client threads measured, gathered under a lock.
private final class LoadResults: @unchecked Sendable {
    private let lock = NSLock()
    private var latencies: [Double] = []
    private var errors: [String] = []

    func add(latencies: [Double], errors: [String]) {
        lock.withLock {
            self.latencies += latencies
            self.errors += errors
        }
    }

    var collected: (latencies: [Double], errors: [String]) { lock.withLock { (latencies, errors) } }
}
