@testable import Dashboard
import Engine
import Foundation
import LogbookFixtures
import Store
import XCTest

/// Event streams on one run share one poll of the store (`RunWatch`): reads grow with the polls, not with the
/// clients, and every client still gets every point once and the end.
final class RunWatchTests: XCTestCase {
    func testTwentyStreamsOnOneRunShareOnePollAndEachGetsEveryPointOnce() async throws {
        let fixture = try LiveFixture()
        let writer = try LogbookStore(path: fixture.path)
        let runID = try writer.createRun(FixtureSweep().base, name: "watched")
        try record(steps: Array(1...40), run: runID, into: writer)
        let workers = StoreWorkers(stores: [try LogbookStore(path: fixture.path, mode: .readOnly)])
        let watch = RunWatch(workers: workers, pollInterval: .milliseconds(20))
        let streams = (0..<20).map { _ in RunEventStream(watch: watch, runID: runID, firstStep: 1) }
        for stream in streams {
            let opening = try await stream.next()
            XCTAssertEqual(opening, "retry: 1000\n\n")
        }

        let first = try await Self.nextOfAll(streams)
        XCTAssertEqual(Set(first.map(\.steps)), [Array(1...40)], "every stream: steps 1–40 once")
        XCTAssertEqual(Set(first.map(\.status)), ["running"])
        let readsForFirst = workers.readsAdmitted
        XCTAssertLessThanOrEqual(readsForFirst, 2, "one poll served twenty streams")

        // Nothing new for ≈ 15 polls while all twenty wait; then 10 more steps arrive.
        async let waiting = Self.nextOfAll(streams)
        try await Task.sleep(for: .milliseconds(300))
        let readsWhileWaiting = workers.readsAdmitted - readsForFirst
        XCTAssertGreaterThan(readsWhileWaiting, 2, "the run is still polled")
        XCTAssertLessThan(readsWhileWaiting, 40, "one read per poll, not one per stream per poll (20 × 15 = 300)")
        try record(steps: Array(41...50), run: runID, into: writer)
        let second = try await waiting
        XCTAssertEqual(Set(second.map(\.steps)), [Array(41...50)])

        // The run ends: a status event without points, then the end of every stream.
        try record(steps: [], finishedAfter: 50, run: runID, into: writer)
        let last = try await Self.nextOfAll(streams)
        XCTAssertEqual(Set(last.map(\.steps)), [[]])
        XCTAssertEqual(Set(last.map(\.status)), ["completed"])
        for stream in streams {
            let end = try await stream.next()
            XCTAssertNil(end)
        }
    }

    /// A stream that starts further back than the shared poll's buffer reads its own windows until it catches up.
    func testAStreamBehindTheBufferCatchesUpOnItsOwn() async throws {
        let fixture = try LiveFixture()
        let writer = try LogbookStore(path: fixture.path)
        let runID = try writer.createRun(FixtureSweep().base, name: "long")
        let total = RunWatch.bufferLimit + 2 * RunEventStream.window + 7
        try record(steps: Array(1...total), finishedAfter: total, run: runID, into: writer)
        let watch = RunWatch(
            workers: StoreWorkers(stores: [try LogbookStore(path: fixture.path, mode: .readOnly)]),
            pollInterval: .milliseconds(20))
        // A stream at the head starts the poll there; one from step 1 is behind the buffer the poll keeps.
        let head = RunEventStream(watch: watch, runID: runID, firstStep: total - 2)
        _ = try await head.next()
        let headEvent = try await head.next()
        XCTAssertEqual(Self.parse(headEvent ?? "").steps, Array((total - 2)...total))
        let behind = RunEventStream(watch: watch, runID: runID, firstStep: 1)
        _ = try await behind.next()
        var received: [Int] = []
        while let chunk = try await behind.next() {
            received += Self.parse(chunk).steps
        }
        XCTAssertEqual(received, Array(1...total), "every step once, in order, then the end")
    }

    /// Records iterations `steps` of a run (loss = 1/step), and with `finishedAfter` its end (max epochs) after
    /// that many steps.
    func record(steps: [Int], finishedAfter: Int? = nil, run runID: Int64, into store: LogbookStore) throws {
        let recorder = try store.makeRecorder(for: runID)
        for step in steps {
            try recorder.handle(.iteration(IterationEnded(step: step, epoch: 1, batchIndex: step - 1, loss: 1 / Float(step), learningRate: 0.1)))
        }
        if let finishedAfter {
            try recorder.handle(.finished(RunFinished(reason: .maxEpochs, epochsCompleted: 1, stepsCompleted: finishedAfter, seconds: 1)))
        }
        try recorder.close()
    }

    struct Event: Hashable {
        var steps: [Int]
        var status: String
    }

    /// Every stream's next chunk, at once, parsed.
    static func nextOfAll(_ streams: [RunEventStream]) async throws -> [Event] {
        try await withThrowingTaskGroup(of: Event.self) { group in
            for stream in streams {
                group.addTask { Self.parse(try await stream.next() ?? "") }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    /// A `points` event's steps and status (`""` for anything else).
    static func parse(_ chunk: String) -> Event {
        guard let line = chunk.split(separator: "\n").first(where: { $0.hasPrefix("data: ") }),
            let object = try? JSONSerialization.jsonObject(with: Data(line.dropFirst(6).utf8)) as? [String: Any]
        else { return Event(steps: [], status: "") }
        let points = (object["points"] as? [[String: Any]]) ?? []
        return Event(steps: points.compactMap { ($0["x"] as? Double).map { Int($0) } }, status: object["status"] as? String ?? "")
    }
}
