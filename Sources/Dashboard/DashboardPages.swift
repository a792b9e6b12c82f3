import Foundation
import Report
import Store

/// The HTML pages: each reads what it shows through `StoreWorkers` and hands it to its renderer in
/// `Report/Dashboard` (pure functions of store records that escape every value).
struct DashboardPages: Sendable {
    let api: DashboardAPI

    var workers: StoreWorkers { api.workers }

    func respond(_ segments: [String], _ request: DashboardRequest) async throws -> DashboardResponse {
        switch (segments.first, segments.count) {
        case (nil, 0), ("sweeps", 1): return .html(SweepsPage(rows: try await api.sweepRows()).html())
        case ("runs", 1): return try await runs(request)
        case ("runs", 2): return try await run(id: try DashboardAPI.id(segments[1], of: "run"))
        case ("sweeps", 2): return try await sweep(id: try DashboardAPI.id(segments[1], of: "sweep"))
        case ("compare", 1): return try await compare(request)
        default: throw DashboardRefusal.notFound("no page '/\(segments.joined(separator: "/"))'")
        }
    }

    /// The runs table; a refused filter, sort or column list is shown inline (status 400) above an empty table.
    func runs(_ request: DashboardRequest) async throws -> DashboardResponse {
        let fields = try await workers.read { store in
            let fields = try store.runFields()
            return fields.columns + fields.parameterKeys.filter { !fields.columns.contains($0) }
        }
        let filter = request.query["where"] ?? "", sort = request.query["sort"] ?? ""
        let columns = DashboardAPI.list(request.query["columns"] ?? "")
        do {
            let asked = try DashboardAPI.RunsRequest(request)
            let (table, total) = try await api.runsPage(asked)
            return .html(RunsPage(
                filter: filter, sort: sort, columns: asked.columns, limit: asked.limit, offset: asked.offset, table: table,
                total: total, error: nil, fields: fields).html())
        } catch let refusal as DashboardRefusal where refusal.status == 400 {
            let page = RunsPage(
                filter: filter, sort: sort, columns: columns.isEmpty ? RunQuery.defaultColumns : columns, limit: 100, offset: 0,
                table: nil, total: 0, error: refusal.message, fields: fields)
            return .html(page.html(), status: 400)
        }
    }

    func run(id: Int64) async throws -> DashboardResponse {
        .html(RunPage(detail: try await workers.read { try $0.runDetail(id: id) }).html())
    }

    /// `/compare?runs=1,2,3`: at most 50 runs, each of which must exist.
    func compare(_ request: DashboardRequest) async throws -> DashboardResponse {
        let texts = DashboardAPI.list(request.query["runs"] ?? "")
        let ids = try texts.map { text in
            guard let id = Int64(text), id >= 1 else { throw DashboardRefusal.badRequest("invalid runs '\(text)': run ids are positive integers") }
            return id
        }
        guard ids.count <= 50 else { throw DashboardRefusal.badRequest("invalid runs: at most 50 runs can be compared, got \(ids.count)") }
        let runs = try await workers.read { store in try ids.map { try store.run(id: $0) } }
        return .html(ComparePage(runs: runs).html())
    }

    /// The sweep page with the static report's sections (built as `logbook report` builds them).
    func sweep(id: Int64) async throws -> DashboardResponse {
        let (sweep, sections) = try await workers.read { store in
            let sweep = try store.sweep(id: id)
            let report = sweep.statusCounts.values.reduce(0, +) == 0 ? "" : try SweepReport().build(sweepID: id, store: store).sectionsHTML()
            return (sweep, report)
        }
        return .html(SweepPage(sweep: sweep, reportSections: sections).html())
    }
}
