import Engine
import Foundation
import Store

/// The trial queue under load (`logbook bench queue`): `workers` threads, each with a store connection of its own,
/// drain one sweep of `trials` trials — claim → heartbeat → finish, no training — as workers on many machines would.
/// One JSON line: claims/s (claims ÷ seconds from the first claim to the empty queue), duplicates (trials claimed
/// more than once), deadlocks (SQLSTATE 40P01) and other errors.
public enum QueueBenchmark {
    public static func run(location: String, workers: Int, trials: Int, emit: (JSONLine) -> Void) throws {
        let store = try StoreLocation.open(location, mode: .readWrite)
        var configuration = TrainingConfiguration()
        configuration.data = "xor"
        let sweepID = try store.createSweep(
            name: "bench-queue", method: "grid", metricName: "test_accuracy", metricGoal: "maximize", specJSON: "{}",
            trials: (0..<trials).map { index in
                var trial = configuration
                trial.seed = UInt64(index)
                return trial
            })
        let stores = try (0..<workers).map { _ in try StoreLocation.open(location, mode: .readWrite) }
        let tally = Tally()
        let started = Date()
        DispatchQueue.concurrentPerform(iterations: workers) { index in
            let worker = "bench\(index + 1)#\(ProcessInfo.processInfo.processIdentifier)"
            let own = stores[index]
            var claimed: [Int64] = []
            var errors: [StoreError] = []
            while true {
                do {
                    guard let trial = try own.claimNextTrial(sweepID: sweepID, worker: worker) else { break }
                    claimed.append(trial.runID)
                    try own.heartbeat(runID: trial.runID, worker: worker)
                    try own.finishTrial(runID: trial.runID, worker: worker, status: .completed)
                } catch let error as StoreError {
                    errors.append(error)
                    if errors.count > 100 { break }
                } catch {
                    errors.append(StoreError("\(error)"))
                    break
                }
            }
            tally.add(claimed: claimed, errors: errors)
        }
        let seconds = Date().timeIntervalSince(started)
        let claimed = tally.claimed
        let completed = try store.sweep(id: sweepID).count(.completed)
        emit(
            JSONLine([
                "name": "queue.claims", "store": StoreLocation.isPostgreSQL(location) ? "postgresql" : "sqlite",
                "workers": workers, "trials": trials, "claims": claimed.count, "completed": completed,
                "duplicates": claimed.count - Set(claimed).count, "deadlocks": tally.errors.filter { $0.postgreSQLState == "40P01" }.count,
                "errors": tally.errors.count, "seconds": seconds, "claims_per_second": Double(claimed.count) / seconds,
            ]))
        if let first = tally.errors.first { throw StoreError("bench queue: \(tally.errors.count) errors, the first: \(first)") }
    }
}

/// What the worker threads report, gathered under a lock.
private final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var claimed: [Int64] = []
    private(set) var errors: [StoreError] = []

    func add(claimed more: [Int64], errors moreErrors: [StoreError]) {
        lock.lock()
        claimed += more
        errors += moreErrors
        lock.unlock()
    }
}
