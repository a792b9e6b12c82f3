import Engine
import Foundation
import Store

/// How a trial's training ended, as the worker reports it.
public enum TrialOutcome: Sendable, Equatable {
    case completed
    /// NaN/Inf loss: rows kept, the sweep goes on.
    case diverged
    /// Stopped on request (Ctrl-C, shutdown): resumable.
    case interrupted
    /// Training threw; the message is stored in `runs.error`.
    case failed(String)
    /// Stopped by the sweep's early-termination rule: rows kept, the decision recorded.
    case pruned(PruningDecision)

    public var status: RunStatus {
        switch self {
        case .completed: return .completed
        case .diverged: return .diverged
        case .interrupted: return .interrupted
        case .failed: return .failed
        case .pruned: return .pruned
        }
    }
}

/// Trains one claimed trial and records it into its run (`trial.runID`). `shouldStop` is polled between steps.
/// Throwing is the same as returning `.failed` with the error's description.
public typealias TrialTraining = @Sendable (
    _ trial: ClaimedTrial, _ store: any LogbookStoring, _ shouldStop: @escaping @Sendable () -> Bool
) throws -> TrialOutcome

/// One worker: claim → train → record the outcome, until no trial is pending or it is asked to stop.
///
/// The training function is a parameter (`EngineTrialTraining.train` in production), so the queue can be tested
/// without training. Any number of workers, in any processes, may run on one sweep: the store's claim is atomic.
public struct SweepWorker: Sendable {
    public var store: any LogbookStoring
    public var sweepID: Int64
    /// Unique among live workers: `label#pid` (see `WorkerIdentity`).
    public var workerID: String
    public var train: TrialTraining
    public var shouldStop: @Sendable () -> Bool
    /// Called after each trial (for plain progress lines).
    public var onTrialEnd: @Sendable (ClaimedTrial, TrialOutcome) -> Void
    /// Set for sweeps whose trials are created on demand (tpe): the worker then claims with `claimOrCreateTrial`.
    public var onDemand: OnDemandTrials?

    public init(
        store: any LogbookStoring, sweepID: Int64, workerID: String, train: @escaping TrialTraining,
        shouldStop: @escaping @Sendable () -> Bool = { false },
        onTrialEnd: @escaping @Sendable (ClaimedTrial, TrialOutcome) -> Void = { _, _ in }
    ) {
        self.store = store
        self.sweepID = sweepID
        self.workerID = workerID
        self.train = train
        self.shouldStop = shouldStop
        self.onTrialEnd = onTrialEnd
    }

    /// What one worker did.
    public struct Summary: Sendable, Equatable {
        /// Run ids of the trials this worker claimed, in claim order.
        public var claimedRunIDs: [Int64] = []
        public var outcomes: [RunStatus: Int] = [:]
        /// True when it stopped because it was asked to, not because the queue was empty.
        public var stoppedEarly = false
    }

    /// Loops until the queue is empty or `shouldStop()`; returns what it did. Store errors (other than a trial's
    /// own training error) end the loop and are rethrown.
    public func run() throws -> Summary {
        var summary = Summary()
        let suggestions = onDemand.map(TrialSuggestions.init)
        while true {
            if shouldStop() {
                summary.stoppedEarly = true
                break
            }
            guard let trial = try claim(suggestions) else { break }
            summary.claimedRunIDs.append(trial.runID)
            let outcome: TrialOutcome
            do {
                outcome = try train(trial, store, shouldStop)
            } catch {
                outcome = .failed(String(describing: error))
            }
            // The recorder has usually set the final status already (then this changes nothing); after an error,
            // or when nothing was recorded, this sets it. Only while this worker still holds the trial.
            var errorMessage: String?
            if case .failed(let message) = outcome { errorMessage = message }
            if case .pruned(let decision) = outcome {
                try store.pruneTrial(
                    runID: trial.runID, worker: workerID, rule: decision.rule.rawValue, rung: decision.rung, detail: decision.detail)
            } else {
                try store.finishTrial(
                runID: trial.runID, worker: workerID, status: outcome.status,
                stopReason: outcome == .interrupted ? StopReason.interrupted.rawValue : nil, error: errorMessage)
            }
            summary.outcomes[outcome.status, default: 0] += 1
            onTrialEnd(trial, outcome)
            if outcome == .interrupted {
                summary.stoppedEarly = true
                break
            }
        }
        return summary
    }
}

extension SweepWorker {
    /// The next trial: a pending one, or for on-demand sweeps a new one suggested inside the claim transaction —
    /// computed beforehand on a snapshot of the history (`TrialSuggestions`), so that the claim holds the sweep's
    /// write lock only to compare when no other trial started or finished meanwhile.
    func claim(_ suggestions: TrialSuggestions?) throws -> ClaimedTrial? {
        guard let suggestions else { return try store.claimNextTrial(sweepID: sweepID, worker: workerID) }
        return try suggestions.claim(store: store, sweepID: sweepID, worker: workerID)
    }
}

/// Worker ids (`label#pid`) and whether the process behind one is still alive.
public enum WorkerIdentity {
    public static func make(label: String) -> String {
        "\(label)#\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// False only when the worker ran on this host and its process no longer exists (SIGKILLed, crashed) or is a
    /// zombie (dead, not yet reaped). Workers on other hosts are trusted to be alive (their heartbeat decides).
    public static func isAlive(worker: String?, host: String?) -> Bool {
        guard let worker, let host, host == Provenance.hostName,
            let hash = worker.lastIndex(of: "#"), let pid = Int32(worker[worker.index(after: hash)...])
        else { return true }
        if pid == ProcessInfo.processInfo.processIdentifier { return true }
        guard kill(pid, 0) == 0 || errno != ESRCH else { return false }
        // /proc/PID/stat: "PID (COMMAND) STATE …"; Z = zombie, X = dead.
        if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
            let close = stat.lastIndex(of: ")")
        {
            let state = stat[stat.index(after: close)...].trimmingCharacters(in: .whitespaces).first
            if state == "Z" || state == "X" { return false }
        }
        return true
    }
}
