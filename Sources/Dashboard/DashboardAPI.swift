import Foundation
import Store

/// The JSON API under `/api/` that the pages use and scripts may call: runs, a run, its series and live events,
/// sweeps, a sweep and its parallel-coordinates data. Every read goes through `StoreWorkers` (read-only
/// connections, bounded); a bad parameter is a 400 naming it, an unknown id a 404.
struct DashboardAPI: Sendable {
    let workers: StoreWorkers
    /// The shared poll of the runs that event streams watch.
    let watch: RunWatch

    /// `pollInterval`: how often a watched run is read for new points (they reach the client within this plus one
    /// read).
    init(workers: StoreWorkers, pollInterval: Duration = .milliseconds(250)) {
        self.workers = workers
        self.watch = RunWatch(workers: workers, pollInterval: pollInterval)
    }

    /// Answers `/api/…` (`segments` without the leading `api`).
    func respond(_ segments: [String], _ request: DashboardRequest) async throws -> DashboardResponse {
        switch segments.count {
        case 1 where segments[0] == "runs": return .json(try await runs(request))
        case 1 where segments[0] == "sweeps": return .json(try await sweeps())
        case 2 where segments[0] == "runs": return .json(try await run(id: try DashboardAPI.id(segments[1], of: "run")))
        case 2 where segments[0] == "sweeps": return .json(try await sweep(id: try DashboardAPI.id(segments[1], of: "sweep")))
        case 3 where segments[0] == "runs" && segments[2] == "series":
            return .json(try await series(id: try DashboardAPI.id(segments[1], of: "run"), request))
        case 3 where segments[0] == "runs" && segments[2] == "events":
            return try await events(id: try DashboardAPI.id(segments[1], of: "run"), request)
        case 3 where segments[0] == "sweeps" && segments[2] == "parallel":
            return .json(try await parallel(id: try DashboardAPI.id(segments[1], of: "sweep")))
        default: throw DashboardRefusal.notFound("no such API path '/api/\(segments.joined(separator: "/"))'")
        }
    }

    /// A run or sweep id from the path: a positive integer, else 404 (no such resource).
    static func id(_ text: String, of kind: String) throws -> Int64 {
        guard let id = Int64(text), id >= 1 else { throw DashboardRefusal.notFound("no \(kind) with id '\(text)'") }
        return id
    }

    /// A comma-separated list, trimmed, empty items dropped.
    static func list(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// An integer parameter within `range`, `fallback` when absent; else a 400 naming it and the value.
    static func integer(_ text: String?, name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text, !text.isEmpty else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            let bound = range.upperBound == Int.max ? "\(range.lowerBound) or more" : "\(range.lowerBound)…\(range.upperBound)"
            throw DashboardRefusal.badRequest("invalid \(name) '\(text)': must be an integer, \(bound)")
        }
        return value
    }

    /// One of an enum's values, `fallback` when absent; else a 400 listing the choices.
    static func choice<Choice: RawRepresentable & CaseIterable>(
        _ text: String?, name: String, default fallback: Choice
    ) throws -> Choice where Choice.RawValue == String {
        guard let text, !text.isEmpty else { return fallback }
        guard let value = Choice(rawValue: text) else {
            throw DashboardRefusal.badRequest(
                "invalid \(name) '\(text)': expected one of \(Choice.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }

    /// Whether the store refused an id it does not have (`no run with id N`, `no sweep with id N`): a 404.
    static func isUnknownID(_ error: StoreError) -> Bool {
        error.message.hasPrefix("no run with id ") || error.message.hasPrefix("no sweep with id ")
    }
}
