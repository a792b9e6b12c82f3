import Foundation
import Store

/// One poll per watched run, shared by every event stream on it. Without it each client read the store every
/// `pollInterval`, so a hundred open run pages meant a hundred reads per interval: on PostgreSQL a hundred round
/// trips, and on either store a queue in front of the two read connections that page loads wait in (and, past
/// `StoreWorkers`' limit, are refused from).
///
/// For each run some stream waits on, one poller reads every `pollInterval`: the run's status, then its losses from
/// the next step it has not seen (at most `RunEventStream.window` per read, read again at once while full). It keeps
/// the most recent `bufferLimit` losses, and each poll is a `Snapshot` with a new `tick`. A stream at the head takes
/// its new points from the snapshot; a stream further back than the buffer (a page opened on a long run, a
/// reconnect) reads its own window from the store until it catches up. So the store sees one read per watched run
/// per interval, whatever the number of clients. A poller stops once no stream has waited on it for
/// `idleTicksBeforeStop` polls, and the next wait starts a fresh one. A failed read is thrown to the streams that
/// waited for it (they end; an `EventSource` reconnects) and drops the run's state.
actor RunWatch {
    /// What one poll of a run found.
    struct Snapshot: Sendable {
        /// The poll's number (per run, counting from 1): a stream waits for a newer one.
        var tick: Int
        /// Read before the losses: every point committed before the status was read is in `recent` or earlier.
        var status: RunStatus
        /// The first step held in `recent`.
        var firstBufferedStep: Int
        /// Losses of steps `firstBufferedStep..<nextStep`, in order (NaN where the loss was NaN).
        var recent: [Double]
        /// Whether the poll read every point recorded when it read the status (its last window was not full).
        var caughtUp: Bool

        /// The first step no poll has seen yet.
        var nextStep: Int { firstBufferedStep + recent.count }

        /// At most `count` losses from `step` on, if the buffer holds `step` (or `step` is `nextStep`: none yet).
        func losses(from step: Int, count: Int) -> [Double]? {
            guard step >= firstBufferedStep, step <= nextStep else { return nil }
            let start = step - firstBufferedStep
            return Array(recent[start..<min(recent.count, start + count)])
        }
    }

    static let bufferLimit = 2 * RunEventStream.window
    static let idleTicksBeforeStop = 4

    let workers: StoreWorkers
    let pollInterval: Duration

    private struct Watched {
        var snapshot: Snapshot?
        var waiters: [(after: Int, continuation: CheckedContinuation<Snapshot, any Error>)] = []
        var idleTicks = 0
    }

    private var watched: [Int64: Watched] = [:]

    init(workers: StoreWorkers, pollInterval: Duration) {
        (self.workers, self.pollInterval) = (workers, pollInterval)
    }

    /// The first poll of `runID` newer than tick `after` (0: any). A run nobody watches yet is polled from `step`.
    func snapshot(of runID: Int64, after tick: Int, startingAt step: Int) async throws -> Snapshot {
        if let snapshot = watched[runID]?.snapshot, snapshot.tick > tick { return snapshot }
        return try await withCheckedThrowingContinuation { continuation in
            if watched[runID] == nil {
                watched[runID] = Watched(snapshot: Snapshot(tick: 0, status: .pending, firstBufferedStep: step, recent: [], caughtUp: false))
                Task { await self.poll(runID) }
            }
            watched[runID]?.waiters.append((tick, continuation))
            watched[runID]?.idleTicks = 0
        }
    }

    /// The poller of one run: poll, hand the snapshot to the streams waiting, sleep; until nobody has waited for a
    /// while or a read fails.
    private func poll(_ runID: Int64) async {
        while var state = watched[runID], var snapshot = state.snapshot {
            do {
                let found = try await read(runID, from: snapshot.nextStep)
                state = watched[runID] ?? state
                snapshot.status = found.status
                snapshot.caughtUp = found.caughtUp
                snapshot.recent += found.losses
                if snapshot.recent.count > RunWatch.bufferLimit {
                    let excess = snapshot.recent.count - RunWatch.bufferLimit
                    snapshot.recent.removeFirst(excess)
                    snapshot.firstBufferedStep += excess
                }
                snapshot.tick += 1
                state.snapshot = snapshot
                let ready = state.waiters.filter { $0.after < snapshot.tick }
                state.waiters.removeAll { $0.after < snapshot.tick }
                state.idleTicks = ready.isEmpty && state.waiters.isEmpty ? state.idleTicks + 1 : 0
                if state.idleTicks >= RunWatch.idleTicksBeforeStop {
                    watched[runID] = nil
                    return
                }
                watched[runID] = state
                for waiter in ready { waiter.continuation.resume(returning: snapshot) }
            } catch {
                let waiters = (watched[runID] ?? state).waiters
                watched[runID] = nil
                for waiter in waiters { waiter.continuation.resume(throwing: error) }
                return
            }
            if snapshot.caughtUp { try? await Task.sleep(for: pollInterval) }
        }
    }

    /// The run's status, then at most one window of its losses from `step` on, in one read: the status first, so
    /// that every point committed before it is among the losses or after them. (A stream behind the buffer reads
    /// this way too.)
    nonisolated func statusAndLosses(_ runID: Int64, from step: Int) async throws -> (RunStatus, [Double]) {
        try await workers.read { store in
            let status = try store.run(id: runID).status
            return (status, try store.losses(run: runID, fromStep: step, count: RunEventStream.window))
        }
    }

    /// The run's status, then its losses from `step` on: windows read one after another while full, at most
    /// `bufferLimit` losses a poll; `caughtUp` is false when the last window was full (more may be recorded).
    private func read(_ runID: Int64, from step: Int) async throws -> (status: RunStatus, losses: [Double], caughtUp: Bool) {
        let window = RunEventStream.window
        let (status, first) = try await statusAndLosses(runID, from: step)
        var losses = first
        var last = first.count
        while last == window && losses.count < RunWatch.bufferLimit {
            let next = step + losses.count
            let more = try await workers.read { try $0.losses(run: runID, fromStep: next, count: window) }
            losses += more
            last = more.count
        }
        return (status, losses, last < window)
    }
}
