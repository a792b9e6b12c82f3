import Foundation

/// One `--sort` key: a field name, descending when written with a leading `-` (`-test_accuracy`), ascending
/// otherwise (`batch_size` or `+batch_size`). Compiled against the same whitelist as filters.
public struct SortKey: Sendable, Equatable {
    public var field: String
    public var descending: Bool

    public init(field: String, descending: Bool) {
        self.field = field
        self.descending = descending
    }

    /// Parses `-name`, `+name` or `name`; throws `FilterError` for an empty key.
    public init(parsing text: String) throws {
        var name = Substring(text.trimmingCharacters(in: .whitespaces))
        var descending = false
        if name.hasPrefix("-") {
            descending = true
            name = name.dropFirst()
        } else if name.hasPrefix("+") {
            name = name.dropFirst()
        }
        guard !name.isEmpty else { throw FilterError("empty sort key '\(text)'") }
        self.init(field: String(name), descending: descending)
    }

    /// `ORDER BY` terms, comma-separated, with NULLs last whatever the direction (SQLite ≥ 3.30) (a run without a test accuracy
    /// never tops a leaderboard). Throws `FilterError` for an unknown field.
    public static func orderBy(_ keys: [SortKey], fields: FilterFields) throws -> CompiledFilter {
        var bindings: [FilterValue] = []
        var terms: [String] = []
        for key in keys {
            let reference = try fields.reference(to: key.field)
            bindings.append(contentsOf: reference.bindings)
            terms.append("\(reference.sql) \(key.descending ? "DESC" : "ASC") NULLS LAST")
        }
        return CompiledFilter(sql: terms.joined(separator: ", "), bindings: bindings)
    }
}
