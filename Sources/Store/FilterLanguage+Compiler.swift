/// The fields a filter (or a sort) may name: columns of the queried relation, plus hyperparameter keys of the
/// `params` table that are not columns. Anything else is refused with the nearest valid name.
public struct FilterFields: Sendable, Equatable {
    /// Column names referenced as-is (they come from this whitelist, never from user text).
    public var columns: [String]
    /// `params.key` values reachable through a correlated subquery on the run id.
    public var parameterKeys: [String]
    /// SQL naming the run id of the outer row, used by the `params` subquery.
    public var runIdentifier: String
    /// The SQL dialect to write: SQLite's, or PostgreSQL's (where `params.value` is jsonb).
    public var dialect: SQLDialect

    public init(
        columns: [String], parameterKeys: [String] = [], runIdentifier: String = "run_summary.run_id",
        dialect: SQLDialect = .sqlite
    ) {
        self.columns = columns
        let columnSet = Set(columns)
        self.parameterKeys = parameterKeys.filter { !columnSet.contains($0) }
        self.runIdentifier = runIdentifier
        self.dialect = dialect
    }

    /// The columns of the `run_summary` view (migration 0003), in view order.
    public static let runSummaryColumns: [String] = [
        "run_id", "name", "sweep_id", "trial_index", "status", "stop_reason", "dataset", "model", "batch_size",
        "learning_rate", "initializer", "epochs", "optimizer", "momentum", "weight_decay", "lr_schedule", "activation",
        "batch_norm", "seed", "epochs_completed", "steps_completed", "train_loss", "train_accuracy", "validation_loss",
        "validation_accuracy", "test_loss", "test_accuracy", "duration", "started_at", "ended_at", "worker", "host",
        "parent_run_id", "pruned_rule", "pruned_rung",
    ]

    /// `run_summary` columns plus the given `params` keys.
    public static func runSummary(parameterKeys: [String] = [], dialect: SQLDialect = .sqlite) -> FilterFields {
        FilterFields(columns: runSummaryColumns, parameterKeys: parameterKeys, dialect: dialect)
    }

    public var allNames: [String] { columns + parameterKeys }

    /// The SQL for `field` and the bindings it needs (a `params` key is bound, never spliced), or a `FilterError`
    /// naming the unknown field and the nearest valid one.
    public func reference(to field: String) throws -> (sql: String, bindings: [FilterValue]) {
        if columns.contains(field) { return (field, []) }
        if parameterKeys.contains(field) {
            return ("(SELECT p.value FROM params AS p WHERE p.run_id = \(runIdentifier) AND p.key = ?)", [.text(field)])
        }
        throw unknownFieldError(field)
    }

    /// The placeholder of a value compared with `field`: `?`, except for a hyperparameter on PostgreSQL, whose jsonb
    /// value is compared with the bound value as jsonb (`to_jsonb(?)`: numbers as numbers, text as strings).
    func placeholder(comparedWith field: String) -> String {
        dialect == .postgreSQL && !columns.contains(field) ? "to_jsonb(?)" : "?"
    }

    /// `field` as text, for `like`: the reference itself on SQLite; on PostgreSQL a column cast to text, or a
    /// hyperparameter's jsonb value as text (`#>> '{}'`).
    func textReference(to field: String) throws -> (sql: String, bindings: [FilterValue]) {
        let reference = try reference(to: field)
        guard dialect == .postgreSQL else { return reference }
        if columns.contains(field) { return ("CAST(\(field) AS text)", []) }
        return ("((\(reference.sql)) #>> '{}')", reference.bindings)
    }

    /// SQLite's `LIKE` ignores ASCII case; PostgreSQL's `ILIKE` does the same.
    var likeOperator: String { dialect == .postgreSQL ? "ILIKE" : "LIKE" }

    func unknownFieldError(_ field: String) -> FilterError {
        if let suggestion = nearestName(to: field) {
            return FilterError("unknown field '\(field)'; did you mean '\(suggestion)'?", unknownField: field)
        }
        return FilterError("unknown field '\(field)'; known fields: \(allNames.joined(separator: ", "))", unknownField: field)
    }

    /// The valid name closest to `field` (case-insensitive edit distance, also against the name's `_`-separated
    /// suffixes at a cost of 1, so `acuracy` finds `train_accuracy`), if it is reasonably close.
    public func nearestName(to field: String) -> String? {
        let lowered = field.lowercased()
        var best: (name: String, distance: Int)?
        for name in allNames {
            let parts = name.lowercased().split(separator: "_")
            var distance = editDistance(lowered, name.lowercased())
            for start in parts.indices.dropFirst() {
                distance = min(distance, 1 + editDistance(lowered, parts[start...].joined(separator: "_")))
            }
            if best == nil || distance < best!.distance { best = (name, distance) }
        }
        guard let best else { return nil }
        let allowed = max(2, lowered.count / 2)
        return best.distance <= allowed ? best.name : nil
    }
}

/// Which SQL a compiled filter is written in.
public enum SQLDialect: Sendable, Equatable {
    case sqlite
    case postgreSQL
}

/// Levenshtein distance (insertions, deletions, substitutions each cost 1).
func editDistance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let substitution = previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)
            current[j] = min(previous[j] + 1, current[j - 1] + 1, substitution)
        }
        swap(&previous, &current)
    }
    return previous[b.count]
}

/// A parameterized SQL boolean expression: `sql` holds `?` placeholders, `bindings` their values in order.
public struct CompiledFilter: Sendable, Equatable {
    public var sql: String
    public var bindings: [FilterValue]

    public init(sql: String, bindings: [FilterValue]) {
        self.sql = sql
        self.bindings = bindings
    }
}

/// Compiles a `FilterExpression` to a `CompiledFilter` over a field whitelist.
///
/// `a and b` ⇒ `A AND B`, `a or b` ⇒ `A OR B` (an `or` inside an `and` is parenthesized), `not a` ⇒ `NOT (A)`,
/// `f in (x, null)` ⇒ `(f IN (?) OR f IS NULL)`, `f not in (x, null)` ⇒ `(f NOT IN (?) AND f IS NOT NULL)`.
public struct FilterCompiler: Sendable {
    public var fields: FilterFields

    public init(fields: FilterFields) {
        self.fields = fields
    }

    public func compile(_ expression: FilterExpression) throws -> CompiledFilter {
        var bindings: [FilterValue] = []
        let sql = try emit(expression, &bindings)
        return CompiledFilter(sql: sql, bindings: bindings)
    }

    private func emit(_ expression: FilterExpression, _ bindings: inout [FilterValue]) throws -> String {
        switch expression {
        case .and(let left, let right):
            let leftSQL = try emitOperand(left, &bindings)
            let rightSQL = try emitOperand(right, &bindings)
            return "\(leftSQL) AND \(rightSQL)"
        case .or(let left, let right):
            let leftSQL = try emit(left, &bindings)
            let rightSQL = try emit(right, &bindings)
            return "\(leftSQL) OR \(rightSQL)"
        case .not(let inner):
            return "NOT (\(try emit(inner, &bindings)))"
        case .comparison(let field, let comparison, let value):
            let column = try reference(field, &bindings)
            bindings.append(value)
            return "\(column) \(comparison.sql) \(fields.placeholder(comparedWith: field))"
        case .membership(let field, let values, let negated):
            let column = try reference(field, &bindings)
            let present = values.filter { $0 != .null }
            let includesNull = present.count != values.count
            if present.isEmpty { return negated ? "\(column) IS NOT NULL" : "\(column) IS NULL" }
            let placeholder = fields.placeholder(comparedWith: field)
            var list = "\(column) \(negated ? "NOT IN" : "IN") (\(Array(repeating: placeholder, count: present.count).joined(separator: ", ")))"
            bindings.append(contentsOf: present)
            if includesNull {
                let nullColumn = try reference(field, &bindings)
                list = negated ? "(\(list) AND \(nullColumn) IS NOT NULL)" : "(\(list) OR \(nullColumn) IS NULL)"
            }
            return list
        case .like(let field, let pattern, let negated):
            let text = try fields.textReference(to: field)
            bindings.append(contentsOf: text.bindings)
            bindings.append(.text(pattern))
            return "\(text.sql) \(negated ? "NOT " : "")\(fields.likeOperator) ?"
        case .isNull(let field, let negated):
            let column = try reference(field, &bindings)
            return "\(column) \(negated ? "IS NOT NULL" : "IS NULL")"
        }
    }

    /// An operand of `AND`: an `OR` needs parentheses to keep its grouping.
    private func emitOperand(_ expression: FilterExpression, _ bindings: inout [FilterValue]) throws -> String {
        if case .or = expression { return "(\(try emit(expression, &bindings)))" }
        return try emit(expression, &bindings)
    }

    private func reference(_ field: String, _ bindings: inout [FilterValue]) throws -> String {
        let reference = try fields.reference(to: field)
        bindings.append(contentsOf: reference.bindings)
        return reference.sql
    }
}
