import Foundation
import Report
import Store

/// The dashboard's speed on a large store (`logbook bench serve`, issue 11), as JSON lines. Every time is server
/// time seen from a client: one keep-alive HTTP/1.1 connection over loopback to `logbook serve`'s server
/// (`DashboardServer`) started in this process on a free port of 127.0.0.1, from sending the request to the last
/// byte of the answer; medians over `repeats` rounds after one warm-up round, the requests of a round interleaved.
///
/// - `serve.build`: recording the store (`ServeBenchStore`: 100,000 runs, 10,099,900 iteration rows by default);
/// - `serve.runs_page` and `serve.api_runs`: the first 100 runs, filtered with a `where` and sorted, as the `/runs`
///   page and as `/api/runs` (target ≤ 100 ms each);
/// - `serve.series`: the 100,000-step curve downsampled to 1,000 points, `/api/runs/ID/series?points=1000`
///   (target ≤ 20 ms);
/// - `serve.parallel`: the parallel-coordinates data of the 10,000-trial sweep, `/api/sweeps/ID/parallel`
///   (target ≤ 200 ms);
/// - `serve.load`: `clients` concurrent clients for `seconds` (`ServeLoad`): requests, errors, p50 and p99.
public struct ServeBenchmark {
    public struct Options: Sendable {
        public var runs = 100_000, stepsPerRun = 100, sweepTrials = 10_000, curveSteps = 100_000
        public var clients = 50, seconds = 30.0, repeats = 10
        /// Where to keep the store (reused when it holds one) instead of a temporary folder: a SQLite path, or a
        /// PostgreSQL URL (its database, empty or this benchmark's).
        public var keepPath: String?

        public init() {}
    }

    static let filter = "batch_size >= 64 and initializer = 'he-uniform' and test_accuracy > 0.5"
    static let sort = "-test_accuracy,run_id"

    /// One timed request: its name, target, what it asks, and a check of the answer returning figures to print.
    struct Probe {
        var name: String
        var request: String
        var targetMilliseconds: Int
        var check: (LoopbackHTTPClient.Response) throws -> [(String, any JSONScalar)]
    }

    public static func run(options: Options, directory: String, emit: (JSONLine) -> Void) throws {
        try BenchDirectory.withTemporary("serve", in: directory) { base in
            let path = options.keepPath ?? base.appendingPathComponent("serve.sqlite").path
            let sizes = ServeBenchStore.Sizes(
                runs: options.runs, stepsPerRun: options.stepsPerRun, sweepTrials: options.sweepTrials, curveSteps: options.curveSteps)
            let (store, seconds) = try ServeBenchStore.openOrBuild(path: path, sizes: sizes)
            var build = JSONLine([
                "bench": "serve.build", "runs": sizes.runs, "iteration_rows": sizes.iterationRows,
                "sweep_trials": sizes.sweepTrials, "curve_steps": sizes.curveSteps, "reused": seconds == nil,
            ])
            if let seconds {
                build.append("seconds", BenchStatistics.rounded(seconds, places: 2))
                build.append("rows_per_s", Int(Double(sizes.iterationRows) / seconds))
            }
            emit(build)
            let server = try InProcessDashboard(location: path)
            defer { server.stop() }
            emit(JSONLine([
                "bench": "serve.server", "host": server.host, "port": server.port,
                "timing": "client over loopback, keep-alive HTTP/1.1, request sent to last byte received",
            ]))
            let probes = self.probes(store)
            try measure(probes, server: server, repeats: options.repeats, emit: emit)
            emit(try ServeLoad(requests: probes.map(\.request), clients: options.clients, seconds: options.seconds).run(server: server))
        }
    }

    static func probes(_ store: ServeBenchStore) -> [Probe] {
        let runsQuery = "where=\(DashboardPage.percentEncoded(filter))&sort=\(DashboardPage.percentEncoded(sort))&limit=100"
        let points = min(1000, store.sizes.curveSteps)
        return [
            Probe(name: "serve.runs_page", request: "/runs?\(runsQuery)", targetMilliseconds: 100) { response in
                let rows = response.text.components(separatedBy: "<tr data-id=").count - 1
                guard rows >= 1, rows <= 100 else { throw BenchError("bench serve: the runs page shows \(rows) rows") }
                return [("rows_shown", rows)]
            },
            Probe(name: "serve.api_runs", request: "/api/runs?\(runsQuery)", targetMilliseconds: 100) { response in
                let object = try json(response)
                let rows = (object["rows"] as? [Any])?.count ?? 0, total = object["total"] as? Int ?? 0
                guard rows == min(100, total), rows >= 1 else { throw BenchError("bench serve: /api/runs gave \(rows) of \(total) rows") }
                return [("rows_shown", rows), ("rows_matching", total)]
            },
            Probe(
                name: "serve.series", request: "/api/runs/\(store.curveRunID)/series?points=\(points)", targetMilliseconds: 20
            ) { response in
                let count = (try json(response)["points"] as? [Any])?.count ?? 0
                guard count == points else { throw BenchError("bench serve: the series has \(count) points, not \(points)") }
                return [("steps", store.sizes.curveSteps), ("points", count)]
            },
            Probe(name: "serve.parallel", request: "/api/sweeps/\(store.sweepID)/parallel", targetMilliseconds: 200) { response in
                let object = try json(response)
                let rows = (object["rows"] as? [Any])?.count ?? 0, axes = (object["axes"] as? [Any])?.count ?? 0
                guard rows == store.sizes.sweepTrials else { throw BenchError("bench serve: the parallel data has \(rows) rows") }
                return [("trials", rows), ("axes", axes)]
            },
        ]
    }

    static func json(_ response: LoopbackHTTPClient.Response) throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any] else {
            throw BenchError("bench serve: the answer is not a JSON object")
        }
        return object
    }

    /// One warm-up round, then `repeats` rounds of every probe in turn on one connection; a line per probe.
    static func measure(_ probes: [Probe], server: InProcessDashboard, repeats: Int, emit: (JSONLine) -> Void) throws {
        let client = try server.client()
        var times = Array(repeating: [Double](), count: probes.count)
        var figures = Array(repeating: [(String, any JSONScalar)](), count: probes.count)
        var bytes = Array(repeating: 0, count: probes.count)
        for round in 0...repeats {
            for (index, probe) in probes.enumerated() {
                var response: LoopbackHTTPClient.Response?
                let seconds = try BenchStatistics.seconds { response = try client.get(probe.request) }
                guard let response, response.status == 200 else {
                    throw BenchError("bench serve: \(probe.request) answered \(response?.status ?? 0): \(response?.text.prefix(200) ?? "")")
                }
                if round == 0 {
                    figures[index] = try probe.check(response)
                    bytes[index] = response.body.count
                } else {
                    times[index].append(seconds * 1000)
                }
            }
        }
        for (index, probe) in probes.enumerated() {
            let median = BenchStatistics.median(times[index])
            var line = JSONLine([
                "bench": probe.name, "request": probe.request, "milliseconds_median": BenchStatistics.rounded(median, places: 3),
                "milliseconds_min": BenchStatistics.rounded(times[index].min() ?? .nan, places: 3),
                "target_milliseconds": probe.targetMilliseconds, "pass": median <= Double(probe.targetMilliseconds), "repeats": repeats,
                "bytes": bytes[index],
            ])
            for (key, value) in figures[index] { line.append(key, value) }
            emit(line)
        }
    }
}
