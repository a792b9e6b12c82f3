import Foundation
import Store

/// `/api/runs/ID/events?from=STEP`: a run's new iteration losses as Server-Sent Events (`RunEventStream`).
extension DashboardAPI {
    func events(id: Int64, _ request: DashboardRequest) async throws -> DashboardResponse {
        let resumed = request.headers["last-event-id"].flatMap(Int.init).map { $0 + 1 }
        let first = try resumed ?? DashboardAPI.integer(request.query["from"], name: "from", default: 1, range: 1...Int.max)
        _ = try await workers.read { try $0.run(id: id) }
        let stream = RunEventStream(watch: watch, runID: id, firstStep: first)
        return DashboardResponse(
            status: 200, contentType: "text/event-stream; charset=utf-8",
            headers: [("Cache-Control", "no-cache"), ("X-Accel-Buffering", "no")], body: .events { try await stream.next() })
    }
}

/// One client's event stream. It takes the run's new points from the shared poll (`RunWatch`), or, while it is
/// further back than the poll's buffer, reads them from the store itself (at most `window` per read, read again at
/// once while full); new points go out as one `points` event — `{"points": [{"x": step, "mean": loss, "min": loss,
/// "max": loss}], "status": "running"}` with `id: LASTSTEP` (a reconnecting `EventSource` resumes from
/// `Last-Event-ID`). A status change alone is an event with no points. It ends once the run has ended and every
/// point was sent; a comment every `keepAlive` keeps idle connections (and the server's idle timeout) from closing
/// it. `next()` is called by one writer, one call at a time (hence the unchecked `Sendable`).
final class RunEventStream: @unchecked Sendable {
    static let window = 5000
    static let keepAlive: Duration = .seconds(10)

    let watch: RunWatch
    let runID: Int64
    private var nextStep: Int
    private var lastStatus: RunStatus?
    private var lastTick = 0
    private var started = false
    private var ended = false
    private var quietSince = ContinuousClock.now

    init(watch: RunWatch, runID: Int64, firstStep: Int) {
        (self.watch, self.runID, self.nextStep) = (watch, runID, firstStep)
    }

    /// The next chunk to send, waiting for new points; nil once the stream has ended.
    func next() async throws -> String? {
        if !started {
            started = true
            return "retry: 1000\n\n"
        }
        while !ended {
            let snapshot = try await watch.snapshot(of: runID, after: lastTick, startingAt: nextStep)
            lastTick = snapshot.tick
            let from = nextStep
            var status = snapshot.status
            var losses: [Double]
            if let buffered = snapshot.losses(from: from, count: RunEventStream.window) {
                losses = buffered
            } else if from < snapshot.firstBufferedStep {
                (status, losses) = try await watch.statusAndLosses(runID, from: from)
            } else {
                losses = []  // ahead of what the poll has seen: wait for it
            }
            if !losses.isEmpty || status != lastStatus {
                nextStep += losses.count
                lastStatus = status
                quietSince = .now
                return RunEventStream.pointsEvent(firstStep: from, losses: losses, status: status)
            }
            if status != .running && status != .pending && snapshot.caughtUp && nextStep >= snapshot.nextStep {
                ended = true
                return nil
            }
            if ContinuousClock.now - quietSince >= RunEventStream.keepAlive {
                quietSince = .now
                return ": keep-alive\n\n"
            }
        }
        return nil
    }

    /// One `points` event: steps `firstStep…` with their losses (NaN as null).
    static func pointsEvent(firstStep: Int, losses: [Double], status: RunStatus) -> String {
        let points = losses.enumerated().map { offset, loss in
            SeriesPoint(x: Double(firstStep + offset), mean: loss, min: loss, max: loss).json
        }
        let data = JSONValue.object([("points", .array(points)), ("status", .string(status.rawValue))]).text
        let id = losses.isEmpty ? "" : "id: \(firstStep + losses.count - 1)\n"
        return "event: points\n\(id)data: \(data)\n\n"
    }
}
