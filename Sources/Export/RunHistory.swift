import Store

/// Which runs an export takes: a sweep's (every run of it, superseded attempts included, in id order) or a list.
public enum ExportSelection: Sendable, Equatable {
    case sweep(Int64)
    case runs([Int64])
}

/// What an export reads of one run, through the store's protocols only (`RunStore` and `StoreQueries`).
public struct RunHistory: Sendable {
    /// The run, its configuration included (the exports take the hyperparameters, typed, from it).
    public var run: RunRecord
    public var epochs: [EpochRecord]
    /// The latest test evaluation, if any.
    public var test: EvaluationRecord?
    public var iterations: [IterationRecord]

    /// Reads run `id` from `store`.
    public init(id: Int64, store: any RunStore & StoreQueries) throws {
        let detail = try store.runDetail(id: id)
        run = detail.run
        epochs = detail.epochs
        test = detail.test
        iterations = try store.iterationLog(run: id)
    }
}

/// The runs of a selection, resolved against the store: unknown ids fail before anything is written.
public struct ExportRuns: Sendable {
    /// The sweep, when the selection is one.
    public var sweep: SweepRecord?
    public var runIDs: [Int64]

    public init(_ selection: ExportSelection, store: any LogbookStoring) throws {
        switch selection {
        case .sweep(let id):
            sweep = try store.sweep(id: id)
            runIDs = try store.runs(sweepID: id).map(\.id).sorted()
            guard !runIDs.isEmpty else { throw ExportError("sweep \(id) has no runs") }
        case .runs(let ids):
            sweep = nil
            for id in ids { _ = try store.run(id: id) }
            runIDs = ids
        }
    }

    /// The experiment's name: the sweep's (`sweep-ID-NAME`), else `runs-1-2-3`.
    public var experimentName: String {
        if let sweep { return "sweep-\(sweep.id)-\(sweep.name)" }
        return "runs-" + runIDs.map(String.init).joined(separator: "-")
    }
}
