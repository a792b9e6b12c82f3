import Foundation
import Report
import Store

/// The sweeps side of the JSON API: `/api/sweeps`, `/api/sweeps/ID`, `/api/sweeps/ID/parallel`.
extension DashboardAPI {
    /// A sweep's best run so far by its metric and goal (NULLs last), nil when no run has the metric yet. A sweep
    /// ranked by `validation_X` of which no run has that value (no validation split) falls back to `test_X`, and
    /// `metric` names the one used (`SweepChoice`).
    static func best(of sweep: SweepRecord, store: any StoreQueries) throws -> SweepsPage.Best? {
        func best(by metric: String) -> SweepsPage.Best? {
            let query = RunQuery(
                sweepID: sweep.id, sort: [SortKey(field: metric, descending: sweep.metricGoal == "maximize")],
                limit: 1, columns: ["run_id", metric])
            guard let row = try? store.runSummaries(query).rows.first, case .integer(let id) = row[0], row[1] != .null else { return nil }
            return SweepsPage.Best(runID: id, value: row[1], metric: metric)
        }
        // SweepChoice's fallback rule, asked of the runs so far; each metric's best is looked up once.
        var lookedUp: [String: SweepsPage.Best?] = [:]
        func lookUp(_ metric: String) -> SweepsPage.Best? {
            if let seen = lookedUp[metric] { return seen }
            let found = best(by: metric)
            lookedUp[metric] = found
            return found
        }
        return lookUp(SweepChoice.rankingMetric(sweep.metricName) { lookUp($0) != nil }.name)
    }

    static func summary(_ sweep: SweepRecord, best: SweepsPage.Best?) -> [(String, JSONValue)] {
        let counts = RunStatus.allCases.compactMap { status in
            sweep.statusCounts[status].flatMap { $0 > 0 ? (status.rawValue, JSONValue.integer(Int64($0))) : nil }
        }
        let bestJSON: JSONValue = best.map {
            .object([("run", .integer($0.runID)), ("metric", .string($0.metric)), ("value", JSONValue($0.value))])
        } ?? .null
        return [
            ("id", .integer(sweep.id)), ("name", .string(sweep.name)), ("method", .string(sweep.method)),
            ("counts", .object(counts)), ("best", bestJSON), ("planned", .integer(Int64(sweep.plannedTrials))),
            ("finished", .integer(Int64(sweep.finishedTrials))),
        ]
    }

    /// Every sweep with its counts by status and best run so far.
    func sweepRows() async throws -> [SweepsPage.Row] {
        try await workers.read { store in
            try store.sweeps().map { SweepsPage.Row(sweep: $0, best: try DashboardAPI.best(of: $0, store: store)) }
        }
    }

    /// `[{"id", "name", "method", "counts": {status: n}, "best": {"run", "metric", "value"} | null, "planned", "finished"}]`.
    func sweeps() async throws -> JSONValue {
        .array(try await sweepRows().map { .object(DashboardAPI.summary($0.sweep, best: $0.best)) })
    }

    /// The sweep: its summary, metric and goal, creation time and specification (JSON text).
    func sweep(id: Int64) async throws -> JSONValue {
        let (sweep, best) = try await workers.read { store in
            let sweep = try store.sweep(id: id)
            return (sweep, try DashboardAPI.best(of: sweep, store: store))
        }
        return .object(DashboardAPI.summary(sweep, best: best) + [
            ("metric", .object([("name", .string(sweep.metricName)), ("goal", .string(sweep.metricGoal))])),
            ("created_at", .number(sweep.createdAt)), ("spec", .string(sweep.specJSON)),
        ])
    }

    /// Exactly the options of `Logbook.parallelCoordinates`: `{"axes": [{"name", "kind", "categories"?}],
    /// "rows": [{"id", "values", "metric"}], "metricName"}` — one axis per swept hyperparameter (named in the spec
    /// and varying between the runs), one row per run, read in one query.
    func parallel(id: Int64) async throws -> JSONValue {
        let (sweep, table) = try await workers.read { store in
            let sweep = try store.sweep(id: id)
            let fields = try store.runFields()
            let names = SweptParameters.specParameterNames(sweep.specJSON).filter {
                $0 != "seed" && $0 != sweep.metricName && (try? fields.reference(to: $0)) != nil
            }
            let metric = (try? fields.reference(to: sweep.metricName)) != nil ? [sweep.metricName] : []
            let query = RunQuery(sweepID: id, columns: ["run_id"] + names + metric)
            return (sweep, try store.runSummaries(query))
        }
        let hasMetric = table.columns.last == sweep.metricName && table.columns.count > 1
        let parameterColumns = 1..<(table.columns.count - (hasMetric ? 1 : 0))
        let distributions = SweptParameters.specDistributions(sweep.specJSON)
        var kept: [(column: Int, axis: ParallelAxis)] = []
        for column in parameterColumns {
            let name = table.columns[column]
            let axis = ParallelAxis(name: name, values: table.rows.map { $0[column] }, distribution: distributions[name])
            if axis.varies { kept.append((column, axis)) }
        }
        let rows: [JSONValue] = table.rows.map { row in
            .object([
                ("id", JSONValue(row[0])),
                ("values", .array(kept.map { $0.axis.value(row[$0.column]) })),
                ("metric", hasMetric ? JSONValue(row[row.count - 1]) : .null),
            ])
        }
        return .object([
            ("axes", .array(kept.map(\.axis.json))), ("rows", .array(rows)), ("metricName", .string(sweep.metricName)),
        ])
    }
}
