import Engine
import Foundation

/// Records one run's training events into the store, without slowing the training thread.
///
/// `handle` only appends to an in-memory buffer (an iteration costs one uncontended lock and a 16-byte append).
/// A writer thread with its own connection commits what has accumulated in one transaction: at each epoch end (and
/// at start, weights, evaluations — but no more often than every `minimumCommitInterval`, 50 ms), at the finish, at
/// the latest every `flushInterval` (250 ms), and early when `flushThreshold` iterations are waiting. A crash loses
/// at most the last 250 ms. While the run is open it also keeps `runs.heartbeat_at` at most
/// `heartbeatInterval` (`Heartbeat.interval`, 2 s) old, so a killed process shows up as a stale heartbeat (see
/// `LogbookStore.markStaleRunsInterrupted`). A write error (disk full, …) is rethrown by the next `handle` and
/// by `close()`; everything committed before stays. Always call `close()`: the writer thread keeps the recorder
/// alive until then, and iterations still buffered when the process exits are lost (at most `flushInterval`'s worth).
public final class RunRecorder: TrainingObserver, @unchecked Sendable {
    public let runID: Int64
    public let flushInterval: Double
    public let heartbeatInterval: Double
    public let flushThreshold: Int
    /// Epoch ends (and other events) commit at once unless the last commit is more recent than this: runs whose
    /// epochs take a millisecond commit every 50 ms, not every epoch.
    public let minimumCommitInterval: Double

    /// Guards everything below it; the writer thread waits on it.
    let condition = NSCondition()
    var iterations: [PendingIteration] = []
    /// Events in order, each with the number of buffered iterations that precede it.
    var events: [(iterationsBefore: Int, event: TrainingEvent)] = []
    var urgent = false
    /// When the writer last committed (Unix seconds).
    var lastCommitAt = 0.0
    var closing = false
    var failure: Error?
    private var finishedWriting = false
    private var closed = false
    /// The writer thread's own: its statements on the recording connection. Dropped before the connection goes back
    /// to the store, so that no other thread's recorder shares the connection with this thread's statements.
    private var writer: (any RecordingBatchWriter)?
    /// Gives the writer's connection back to its store (it holds the connection, never the writer).
    private var handBack: (() -> Void)?
    private let openWriter: () throws -> OpenedWriter
    private let writerExited = DispatchSemaphore(value: 0)

    /// A store's writer for one run, and how to give its connection back to the store after a clean finish.
    typealias OpenedWriter = (writer: any RecordingBatchWriter, handBack: () -> Void)

    /// `openWriter` runs on the writer thread (connecting and preparing off the training thread).
    init(
        runID: Int64, flushInterval: Double, heartbeatInterval: Double, flushThreshold: Int,
        minimumCommitInterval: Double, openWriter: @escaping () throws -> OpenedWriter
    ) {
        self.runID = runID
        self.openWriter = openWriter
        self.flushInterval = flushInterval
        self.heartbeatInterval = heartbeatInterval
        self.flushThreshold = flushThreshold
        self.minimumCommitInterval = minimumCommitInterval
        iterations.reserveCapacity(flushThreshold)
        // The connection is opened and its statements prepared on the writer thread, off the training thread;
        // an error there is rethrown by the next `handle` or by `close()`. The thread holds the recorder only while
        // it writes, and says when it has let go (`writerExited`).
        let thread = Thread { [weak self, writerExited] in
            self?.openAndWrite()
            writerExited.signal()
        }
        thread.name = "logbook-recorder-\(runID)"
        thread.start()
    }

    /// The writer thread's work: open the store's writer (a spare connection of the store, or a new one), then
    /// `writeLoop`.
    private func openAndWrite() {
        do {
            (writer, handBack) = try openWriter()
        } catch {
            condition.lock()
            failure = error
            condition.unlock()
        }
        writeLoop()
    }

    /// Buffers the event for the writer thread. Throws the writer's error, if any, so that training stops.
    public func handle(_ event: TrainingEvent) throws {
        condition.lock()
        defer { condition.unlock() }
        if let failure { throw failure }
        if closing { throw StoreError("recorder of run \(runID) is closed") }
        if case .iteration(let iteration) = event {
            iterations.append(
                PendingIteration(step: Int64(iteration.step), loss: iteration.loss, learningRate: iteration.learningRate))
            if iterations.count >= flushThreshold && !urgent {
                urgent = true
                condition.signal()
            }
            return
        }
        events.append((iterations.count, event))
        var commitNow = true
        switch event {
        case .finished: break
        default: commitNow = Date().timeIntervalSince1970 - lastCommitAt >= minimumCommitInterval
        }
        if commitNow && !urgent {
            urgent = true
            condition.signal()
        }
    }

    /// Writes everything buffered, stops the heartbeat and the writer thread. Idempotent. Throws a write error.
    public func close() throws {
        condition.lock()
        let closing = !closed
        if closing {
            closed = true
            self.closing = true
            condition.signal()
            while !finishedWriting { condition.wait() }
        }
        let failure = self.failure
        condition.unlock()
        // Then the writer thread holds nothing more — no statement, connection or store — so what the caller
        // releases next is released here and now (a store's last connection closes, and checkpoints, on this thread).
        if closing { writerExited.wait() }
        if let failure { throw failure }
    }

    /// The writer thread: take what is buffered, write it in one transaction, repeat; heartbeat when idle.
    /// On a clean finish, the connection goes back to the store for the next recorder (before `close()` returns, and
    /// after this thread let go of its statements).
    private func writeLoop() {
        var lastHeartbeat = Date().timeIntervalSince1970
        var spareIterations: [PendingIteration] = []
        spareIterations.reserveCapacity(flushThreshold)
        while true {
            condition.lock()
            let deadline = Date(timeIntervalSinceNow: min(flushInterval, max(0.01, heartbeatInterval)))
            while !urgent && !closing {
                if !condition.wait(until: deadline) { break }
            }
            let batch = iterations
            let batchEvents = events
            iterations = spareIterations
            events = []
            urgent = false
            let isClosing = closing
            let failed = failure != nil
            condition.unlock()

            if !failed, let writer {
                do {
                    let now = Date().timeIntervalSince1970
                    let heartbeatDue = now - lastHeartbeat >= heartbeatInterval
                    if !batch.isEmpty || !batchEvents.isEmpty || heartbeatDue {
                        try writer.write(iterations: batch, events: batchEvents, now: now, heartbeat: heartbeatDue)
                        if heartbeatDue { lastHeartbeat = now }
                        condition.lock()
                        lastCommitAt = Date().timeIntervalSince1970
                        condition.unlock()
                    }
                } catch {
                    condition.lock()
                    failure = error
                    condition.unlock()
                }
            }
            spareIterations = batch
            spareIterations.removeAll(keepingCapacity: true)
            if isClosing {
                condition.lock()
                let drained = iterations.isEmpty && events.isEmpty
                if drained || failure != nil {
                    handBackConnection(clean: failure == nil)
                    finishedWriting = true
                    condition.broadcast()
                    condition.unlock()
                    return
                }
                condition.unlock()
            }
        }
    }

    /// Drops this thread's statements, then, after a clean finish, gives the connection back to the store for the
    /// next recorder.
    private func handBackConnection(clean: Bool) {
        guard let handBack else { return }
        writer = nil
        self.handBack = nil
        if clean { handBack() }
    }
}

extension LogbookStore {
    /// A recorder for `runID` (a `TrainingObserver`): append it to the trainer's observers, `close()` it at the end.
    public func recorder(
        for runID: Int64, flushInterval: Double = 0.25, heartbeatInterval: Double = Heartbeat.interval, flushThreshold: Int = 1024,
        minimumCommitInterval: Double = 0.05
    ) throws -> RunRecorder {
        guard mode == .readWrite else { throw StoreError("database '\(path)' is open read-only: cannot record") }
        let exists = try read { try $0.scalarInt("SELECT count(*) FROM runs WHERE id = ?", [.integer(runID)]) }
        guard exists == 1 else { throw StoreError.unknownRun(runID) }
        let busyTimeout = 30.0
        return RunRecorder(
            runID: runID, flushInterval: flushInterval, heartbeatInterval: heartbeatInterval,
            flushThreshold: flushThreshold, minimumCommitInterval: minimumCommitInterval,
            openWriter: { [self] in
                let writer = try StoreError.retryingWhileBusy(timeout: busyTimeout) { () throws -> RecordingWriter in
                    let connection: SQLiteConnection
                    if let spare = takeRecordingConnection() {
                        connection = spare
                    } else {
                        connection = try SQLiteConnection(path: path, mode: .readWrite)
                        try connection.configure(busyTimeout: busyTimeout)
                    }
                    return try RecordingWriter(connection: connection, runID: runID)
                }
                let connection = writer.connection
                return (writer, { [self] in returnRecordingConnection(connection) })
            })
    }
}

/// What a recorder's writer thread hands its batches to: one store's SQL for one run, on a connection of its own.
protocol RecordingBatchWriter: AnyObject {
    /// Writes the iterations and events in their original order in one transaction; `heartbeat` also refreshes the
    /// run's heartbeat and progress.
    func write(
        iterations: [PendingIteration], events: [(iterationsBefore: Int, event: TrainingEvent)], now: Double,
        heartbeat: Bool
    ) throws
}
