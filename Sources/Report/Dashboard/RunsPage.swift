import Foundation
import Store

/// The runs page: the `run_summary` table as `logbook runs` shows it, with the `--where` language in a search box
/// (a refused filter is shown inline with the CLI's message), sort links on every column, a column chooser, paging
/// and selection checkboxes that lead to the compare page (`Logbook.runsTable` enhances the form).
public struct RunsPage: Sendable {
    /// The request as the page was asked for: filter text, sort keys (`-` prefix descending), columns, paging.
    public var filter: String
    public var sort: String
    public var columns: [String]
    public var limit: Int
    public var offset: Int
    /// The rows of this page (the first column `run_id`) and the total the filter selects; nil when refused.
    public var table: ResultTable?
    public var total: Int
    /// The one-line error when the filter, sort or columns were refused.
    public var error: String?
    /// Every field a column may name (the column chooser's choices).
    public var fields: [String]

    public init(
        filter: String, sort: String, columns: [String], limit: Int, offset: Int, table: ResultTable?, total: Int,
        error: String?, fields: [String]
    ) {
        (self.filter, self.sort, self.columns, self.limit, self.offset) = (filter, sort, columns, limit, offset)
        (self.table, self.total, self.error, self.fields) = (table, total, error, fields)
    }

    /// The query string of this page with `changes` applied (empty values dropped).
    func link(_ changes: [String: String]) -> String {
        var query: [(String, String)] = [
            ("where", filter), ("sort", sort), ("columns", columns.joined(separator: ",")), ("limit", String(limit)),
            ("offset", String(offset)),
        ]
        for index in query.indices { if let changed = changes[query[index].0] { query[index].1 = changed } }
        return DashboardPage.link("/runs", query)
    }

    public func html() -> String {
        let text = DashboardPage.text
        var body = "<form class=\"runs\" method=\"get\" action=\"/runs\">\n"
        body += "<input type=\"search\" name=\"where\" size=\"70\" value=\"\(text(filter))\" "
        body += "placeholder=\"batch_size &gt;= 64 and test_accuracy &gt; 0.9\" aria-label=\"filter\">"
        body += "<input type=\"hidden\" name=\"sort\" value=\"\(text(sort))\">"
        body += "<input type=\"hidden\" name=\"limit\" value=\"\(limit)\"><button type=\"submit\">Filter</button>\n"
        if let error { body += "<p class=\"error\" role=\"alert\">\(text(error))</p>\n" }
        body += columnChooser()
        if let table {
            body += "<p class=\"count\">\(total) run\(total == 1 ? "" : "s")"
            if total > 0 { body += "; \(offset + 1)–\(offset + table.rows.count) shown" }
            body += " · <a class=\"compare\" href=\"/compare\">Compare selected</a></p>\n"
            body += rowsTable(table) + pager()
        }
        body += "</form>\n"
        return DashboardPage.document(
            title: "Runs", body: body, start: "runs")
    }

    /// Checkboxes for every field, the shown ones checked (`columns` is sent comma-joined by the script, one
    /// `columns` value per box without it; the server accepts both).
    func columnChooser() -> String {
        let shown = Set(columns)
        var output = "<details class=\"columns\"><summary>Columns</summary>"
        for field in fields {
            let checked = shown.contains(field) ? " checked" : ""
            output += "<label><input type=\"checkbox\" name=\"columns\" value=\"\(DashboardPage.text(field))\"\(checked)>"
            output += "\(DashboardPage.text(field))</label> "
        }
        return output + "</details>\n"
    }

    /// The table: a selection checkbox per row, sort links in the headers (a second click reverses), run links.
    func rowsTable(_ table: ResultTable) -> String {
        let text = DashboardPage.text
        let current = sort.split(separator: ",").first.map(String.init) ?? ""
        var output = "<table class=\"runs\"><thead><tr><th></th>"
        for column in table.columns {
            let descending = current == column
            let arrow = current == column ? " ▲" : current == "-" + column ? " ▼" : ""
            let key = descending ? "-" + column : column
            output += "<th data-column=\"\(text(column))\"><a class=\"sort\" href=\"\(text(link(["sort": key, "offset": "0"])))\">"
            output += "\(text(column))\(arrow)</a></th>"
        }
        output += "</tr></thead><tbody>\n"
        for row in table.rows {
            let id = row.first.map(CellText.human) ?? ""
            output += "<tr data-id=\"\(text(id))\"><td><input type=\"checkbox\" class=\"select\" data-id=\"\(text(id))\"></td>"
            for (index, value) in row.enumerated() {
                let cell = DashboardPage.cell(value)
                let content = index == 0 || table.columns[index] == "name" ? "<a href=\"/runs/\(text(id))\">\(cell)</a>" : cell
                output += CellText.isNumeric(value) ? "<td class=\"num\">\(content)</td>" : "<td>\(content)</td>"
            }
            output += "</tr>\n"
        }
        return output + "</tbody></table>\n"
    }

    /// Previous / next links.
    func pager() -> String {
        var output = "<p class=\"pager\">"
        if offset > 0 {
            output += "<a rel=\"prev\" href=\"\(DashboardPage.text(link(["offset": String(max(0, offset - limit))])))\">← previous</a> "
        }
        if offset + limit < total {
            output += "<a rel=\"next\" href=\"\(DashboardPage.text(link(["offset": String(offset + limit)])))\">next →</a>"
        }
        return output + "</p>\n"
    }
}
