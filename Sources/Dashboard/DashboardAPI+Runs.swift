import Foundation
import Report
import Store

/// The runs side of the JSON API: `/api/runs` (filtered, sorted, paged), `/api/runs/ID`, `/api/runs/ID/series`.
extension DashboardAPI {
    /// The runs table a request asks for (`where`, `sort`, `columns`, `limit`, `offset`), checked as
    /// `logbook runs` checks its options and refused with the same messages.
    struct RunsRequest: Sendable {
        var filter: String
        var sort: [SortKey]
        var sortText: String
        var columns: [String]
        var limit: Int
        var offset: Int

        static let maximumLimit = 1000

        init(_ request: DashboardRequest) throws {
            filter = request.query["where"] ?? ""
            sortText = request.query["sort"] ?? ""
            sort = try DashboardAPI.list(sortText).map { key in
                do { return try SortKey(parsing: key) } catch let error as FilterError {
                    throw DashboardRefusal.badRequest(error.refusingSort(key))
                }
            }
            if !filter.trimmingCharacters(in: .whitespaces).isEmpty {
                do { _ = try FilterLanguage.parse(filter) } catch let error as FilterError {
                    throw DashboardRefusal.badRequest(error.refusingWhere(filter))
                }
            }
            let asked = DashboardAPI.list(request.query["columns"] ?? "")
            columns = asked.isEmpty ? RunQuery.defaultColumns : (asked.contains("run_id") ? asked : ["run_id"] + asked)
            limit = try DashboardAPI.integer(request.query["limit"], name: "limit", default: 100, range: 1...RunsRequest.maximumLimit)
            offset = try DashboardAPI.integer(request.query["offset"], name: "offset", default: 0, range: 0...Int.max)
        }

        var query: RunQuery {
            RunQuery(filter: filter, sort: sort, limit: limit, columns: columns, offset: offset)
        }
    }

    /// The page of runs and the total the filter selects, read by one statement (`runPage`).
    func runsPage(_ asked: RunsRequest) async throws -> (table: ResultTable, total: Int) {
        let query = asked.query
        return try await refusingQueryErrors(filter: asked.filter) {
            try await workers.read { store in try store.runPage(query) }
        }
    }

    /// `{"total", "offset", "limit", "columns": [...], "rows": [{"id", "values": {column: value}}]}`, flags as JSON
    /// booleans (`JSONValue.parameter`).
    func runs(_ request: DashboardRequest) async throws -> JSONValue {
        let asked = try RunsRequest(request)
        let (table, total) = try await runsPage(asked)
        let idColumn = table.columns.firstIndex(of: "run_id") ?? 0
        let rows: [JSONValue] = table.rows.map { row in
            .object([
                ("id", JSONValue(row[idColumn])),
                ("values", .object(zip(table.columns, row).map { ($0, JSONValue.parameter($0, $1)) })),
            ])
        }
        return .object([
            ("total", .integer(Int64(total))), ("offset", .integer(Int64(asked.offset))),
            ("limit", .integer(Int64(asked.limit))), ("columns", .array(table.columns.map(JSONValue.string))),
            ("rows", .array(rows)),
        ])
    }

    /// The run: its record, configuration (every hyperparameter), epochs and test evaluation with the confusion matrix.
    func run(id: Int64) async throws -> JSONValue {
        let detail = try await workers.read { try $0.runDetail(id: id) }
        return RunJSON.detail(detail)
    }

    /// `{"run", "metric", "x", "points": [{"x", "mean", "min", "max"}]}`, downsampled on the server.
    func series(id: Int64, _ request: DashboardRequest) async throws -> JSONValue {
        let metric = try DashboardAPI.choice(request.query["metric"], name: "metric", default: SeriesMetric.loss)
        let axis = try DashboardAPI.choice(request.query["x"], name: "x", default: SeriesAxis.step)
        let points = try DashboardAPI.integer(request.query["points"], name: "points", default: 1000, range: 1...10_000)
        let series = try await workers.read { store in
            _ = try store.run(id: id)
            return try RunSeries.points(metric: metric, axis: axis, points: points, runID: id, store: store)
        }
        return .object([
            ("run", .integer(id)), ("metric", .string(metric.rawValue)), ("x", .string(axis.rawValue)),
            ("points", .array(series.map(\.json))),
        ])
    }

    /// Runs `body`, turning the filter compiler's and the store's refusals of a query into 400s.
    func refusingQueryErrors<T>(filter: String, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as FilterError {
            throw DashboardRefusal.badRequest(error.description)
        } catch let error as StoreError where !DashboardAPI.isUnknownID(error) {
            throw DashboardRefusal.badRequest(error.message)
        }
    }
}
