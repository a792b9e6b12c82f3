/// What the query commands and the reports read: typed records, never SQL. `LogbookStore` implements it over SQLite;
/// a PostgreSQL store implements the same methods with the same results.
///
/// Reads are consistent: each method sees one snapshot of the store. Unknown ids throw `no run with id N` /
/// `no sweep with id N`, except the windowed `losses(run:fromStep:count:)`, which returns what exists.
public protocol StoreQueries: AnyObject, Sendable {
    /// Rows of the `run_summary` view as `query` asks: filtered with the filter language (every name checked against
    /// `runFields()`, every value bound), sorted, limited, projected onto columns or hyperparameter keys.
    func runSummaries(_ query: RunQuery) throws -> ResultTable
    /// A page of `query`'s rows (as `runSummaries`) and how many rows it selects before its `limit` and `offset`
    /// (as `runCount`): the dashboard's paged runs table. Each store reads them the way it does fastest.
    func runPage(_ query: RunQuery) throws -> (table: ResultTable, total: Int)
    /// The fields a filter, sort or column list may name: the `run_summary` columns plus every `params` key.
    func runFields() throws -> FilterFields
    /// The distinct hyperparameter keys of all runs, sorted.
    func parameterKeys() throws -> [String]

    /// Everything `logbook show` prints about a run except its loss curve.
    func runDetail(id: Int64) throws -> RunDetail
    /// A run's `run_summary` row and its hyperparameters (what `logbook compare` sets side by side).
    func runOverview(id: Int64) throws -> RunOverview
    /// A run's epochs, in order.
    func epochs(run runID: Int64) throws -> [EpochRecord]
    /// A run's iterations, in step order, with epoch, batch index and effective learning rate.
    func iterationLog(run runID: Int64) throws -> [IterationRecord]
    /// A run's iteration losses in at most `points` buckets of equal step width (`SeriesDownsampler`), read in one
    /// streaming pass: memory is O(points) whatever the length of the run. Empty for a run without iterations.
    func downsampledLosses(run runID: Int64, points: Int) throws -> [SeriesBucket]
    /// The losses of steps `firstStep…` (at most `count`), in step order, NaN where the loss was NaN: a bounded window.
    func losses(run runID: Int64, fromStep firstStep: Int, count: Int) throws -> [Double]
    /// Several loss windows, each exactly as `losses(run:fromStep:count:)` returns it, in the order asked (what a
    /// report reads for every completed run: its opening and its last steps). SQLite answers them one by one (a
    /// statement there is a function call); PostgreSQL in one statement per few hundred windows (a statement there is
    /// a round trip).
    func losses(windows: [LossWindow]) throws -> [[Double]]

    /// A sweep with every run's summary, hyperparameters, epochs and test-evaluation figures, read in a handful of
    /// queries (one per table, never one per run). Boolean hyperparameters (the registry's flags, stored as 0 or 1),
    /// in the parameters and in the summary (`batch_norm`), come back as the text `true` or `false`, as leaderboards
    /// and reports show them.
    func sweepResults(sweepID: Int64) throws -> SweepResults
    /// Streams one long-format export table of a sweep: `header` once with the column names, then `row` per row;
    /// nothing is held in memory (exports of millions of rows).
    func exportSweep(
        _ table: SweepExportTable, sweepID: Int64, header: ([String]) throws -> Void, row: ([SQLValue]) throws -> Void
    ) throws

    /// Runs one statement of user SQL, read-only by construction: the store must be open read-only; a statement that
    /// would write, attach a file, or more than one statement is refused before anything runs.
    func readOnlySelect(_ sql: String) throws -> ResultTable
    /// What `logbook db info` shows: schema version, rows per table, size on disk.
    func info() throws -> StoreInfo
    /// The schema version of the store.
    func schemaVersion() throws -> Int
    /// The schema versions opening the store applied (empty when it was up to date).
    var appliedMigrations: [Int] { get }
}

/// Everything a command needs from a store: runs and recording, the trial queue, queries. Commands hold
/// `any LogbookStoring` (from `StoreOptions`), never the SQLite class.
extension StoreQueries {
    /// How many runs `query` selects before its `limit` and `offset`: the total of a paged runs table.
    public func runCount(_ query: RunQuery) throws -> Int {
        try RunQuery.total(of: try runSummaries(query.counting))
    }

    public func losses(windows: [LossWindow]) throws -> [[Double]] {
        try windows.map { try losses(run: $0.run, fromStep: $0.firstStep, count: $0.count) }
    }
}

extension RunQuery {
    /// The one value of a `counting` query's result.
    static func total(of table: ResultTable) throws -> Int {
        guard case .integer(let count) = table.rows.first?.first else {
            throw StoreError("run count: the store returned no count")
        }
        return Int(count)
    }
}

public typealias LogbookStoring = RunStore & TrialQueue & StoreQueries

extension LogbookStore: RunStore, TrialQueue, StoreQueries {
    public func makeRecorder(for runID: Int64) throws -> any RunRecording { try recorder(for: runID) }

    /// Two statements, the page and `count(*)`, in one read transaction (one snapshot, as the protocol promises:
    /// runs inserted meanwhile are in neither or both): SQLite keeps only the page's rows while it sorts, and counts
    /// along an index where the filter allows (`runs_by_test_accuracy`). The one-statement window count that
    /// PostgreSQL uses (`PostgreSQLStore.runPage`) made SQLite keep and sort every selected row: `bench serve`'s
    /// page took 37/37 ms against these two statements' 37/34 in the same session, no gain.
    public func runPage(_ query: RunQuery) throws -> (table: ResultTable, total: Int) {
        let fields = try fields(for: query)
        let page = try query.compile(fields: fields)
        let counting = try query.counting.compile(fields: fields)
        return try readTransaction { connection in
            let table = try self.table(page.sql, page.bindings, connection: connection)
            let total = try RunQuery.total(of: try self.table(counting.sql, counting.bindings, connection: connection))
            return (table, total)
        }
    }
}
