import Foundation

/// Rows and named columns, as a query returns them: the common input of every output format.
public struct ResultTable: Sendable, Equatable {
    public var columns: [String]
    public var rows: [[SQLValue]]
    /// Rows to emphasise (bold/colour on a terminal, `**…**` in Markdown); e.g. differing hyperparameters.
    public var highlightedRows: Set<Int>

    public init(columns: [String], rows: [[SQLValue]], highlightedRows: Set<Int> = []) {
        self.columns = columns
        self.rows = rows
        self.highlightedRows = highlightedRows
    }

    /// The values of one column, by name (nil when absent).
    public func column(_ name: String) -> [SQLValue]? {
        guard let index = columns.firstIndex(of: name) else { return nil }
        return rows.map { $0[index] }
    }
}

extension FilterValue {
    /// The value to bind.
    public var sqlValue: SQLValue {
        switch self {
        case .integer(let value): return .integer(value)
        case .real(let value): return .real(value)
        case .text(let value): return .text(value)
        case .null: return .null
        }
    }
}

/// What `logbook runs` asks for: rows of `run_summary`, filtered, sorted, limited, projected.
public struct RunQuery: Sendable, Equatable {
    public var sweepID: Int64?
    /// Allowed statuses (any when empty); each must be a `RunStatus` name.
    public var statuses: [String]
    /// Filter-language text (`FilterLanguage`), or nil.
    public var filter: String?
    /// Sort keys; `run_id` ascending when empty.
    public var sort: [SortKey]
    public var limit: Int?
    /// Rows to skip before the first one returned (paging); needs `limit`.
    public var offset: Int?
    /// Set by `counting`: select `count(*)` instead of the columns, unsorted, unlimited.
    var countsRows = false
    /// Set by `countingAlongside`: one more column after the asked ones, `count(*) OVER ()`, the rows selected
    /// before `limit` and `offset`, read in the same scan as the page.
    var countsAlongside = false
    /// Columns to show (run_summary columns or params keys); `defaultColumns` when nil.
    public var columns: [String]?

    public static let defaultColumns = [
        "run_id", "name", "status", "batch_size", "learning_rate", "initializer", "epochs_completed", "train_loss",
        "test_accuracy", "duration",
    ]

    public init(
        sweepID: Int64? = nil, statuses: [String] = [], filter: String? = nil, sort: [SortKey] = [], limit: Int? = nil,
        columns: [String]? = nil, offset: Int? = nil
    ) {
        self.offset = offset
        self.sweepID = sweepID
        self.statuses = statuses
        self.filter = filter
        self.sort = sort
        self.limit = limit
        self.columns = columns
    }

    /// The parameterized SELECT over `run_summary`; every user-supplied name is checked against `fields`, every value
    /// bound. Throws `FilterError` (unknown field, bad filter) or `StoreError` (unknown status, bad limit).
    public func compile(fields: FilterFields) throws -> (sql: String, bindings: [SQLValue]) {
        var bindings: [SQLValue] = []
        var projections: [String] = []
        for column in columns ?? RunQuery.defaultColumns {
            let reference = try fields.reference(to: column)
            bindings += reference.bindings.map(\.sqlValue)
            projections.append(reference.sql == column ? column : "\(reference.sql) AS \(quoteIdentifier(column))")
        }
        let projectionBindings = bindings.count
        var conditions: [String] = []
        if let sweepID {
            conditions.append("sweep_id = ?")
            bindings.append(.integer(sweepID))
        }
        if !statuses.isEmpty {
            let known = Set(RunStatus.allCases.map(\.rawValue))
            for status in statuses where !known.contains(status) {
                throw StoreError(
                    "unknown status '\(status)'; expected one of \(RunStatus.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            conditions.append("status IN (\(Array(repeating: "?", count: statuses.count).joined(separator: ", ")))")
            bindings += statuses.map { .text($0) }
        }
        if let filter, !filter.trimmingCharacters(in: .whitespaces).isEmpty {
            let compiled = try FilterLanguage.compile(filter, fields: fields)
            conditions.append(conditions.isEmpty ? compiled.sql : "(\(compiled.sql))")
            bindings += compiled.bindings.map(\.sqlValue)
        }
        if countsRows { (projections, bindings) = (["count(*)"], Array(bindings.dropFirst(projectionBindings))) }
        if countsAlongside { projections.append("count(*) OVER () AS \(quoteIdentifier(RunQuery.totalColumn))") }
        var sql = "SELECT \(projections.joined(separator: ", ")) FROM run_summary"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        if countsRows { return (sql, bindings) }
        let order = try SortKey.orderBy(sort.isEmpty ? [SortKey(field: "run_id", descending: false)] : sort, fields: fields)
        sql += " ORDER BY " + order.sql
        bindings += order.bindings.map(\.sqlValue)
        if let limit {
            guard limit >= 0 else { throw StoreError("invalid limit \(limit): must be 0 or more") }
            sql += " LIMIT ?"
            bindings.append(.integer(Int64(limit)))
            if let offset {
                guard offset >= 0 else { throw StoreError("invalid offset \(offset): must be 0 or more") }
                sql += " OFFSET ?"
                bindings.append(.integer(Int64(offset)))
            }
        }
        return (sql, bindings)
    }

    /// This query as `SELECT count(*)` of the rows it selects, before `limit` and `offset` (a total for paging).
    public var counting: RunQuery {
        var counted = self
        counted.countsRows = true
        return counted
    }

    /// This query with the total it selects (before `limit` and `offset`) as a last column named `totalColumn`,
    /// a window count: the page and its total from one statement, one scan and one snapshot (PostgreSQL's runPage).
    var countingAlongside: RunQuery {
        var counted = self
        counted.countsAlongside = true
        return counted
    }

    /// The name of `countingAlongside`'s extra column (`PostgreSQLStore.runPage` removes it).
    static let totalColumn = "logbook_rows_selected"
}

/// `"name"` with embedded quotes doubled: a safe SQL identifier for any text.
func quoteIdentifier(_ name: String) -> String { "\"" + name.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }
