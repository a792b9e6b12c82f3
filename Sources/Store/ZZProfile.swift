import Engine
import Foundation

public enum ZZProfile {
    public static func run(store: LogbookStore, runID: Int64, events: [TrainingEvent]) throws -> [Double] {
        var times: [Double] = []
        var start = Date()
        func lap() { times.append(Date().timeIntervalSince(start) * 1e6); start = Date() }
        let connection = try SQLiteConnection(path: store.path, mode: .readWrite)
        lap()
        try connection.configure(busyTimeout: 30)
        lap()
        let writer = try RecordingWriter(connection: connection, runID: runID)
        lap()
        var iterations: [PendingIteration] = []
        var pending: [(iterationsBefore: Int, event: TrainingEvent)] = []
        for event in events {
            if case .iteration(let i) = event { iterations.append(PendingIteration(step: Int64(i.step), loss: i.loss, learningRate: i.learningRate)) }
            else { pending.append((iterations.count, event)) }
        }
        lap()
        try writer.write(iterations: iterations, events: pending, now: 1)
        lap()
        try writer.write(iterations: [], events: [], now: 2)
        lap()
        return times
    }
}
