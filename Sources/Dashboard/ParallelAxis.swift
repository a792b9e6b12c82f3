import Foundation
import Report
import Store

/// One axis of the parallel-coordinates plot: `categorical` when any value is text (its categories sorted); for
/// numbers the scale of the spec's distribution when it draws the parameter from one (`log_uniform` ⇒ `log`, the
/// uniform kinds ⇒ `linear`: a momentum drawn uniformly from 0–0.99 is not crowded against 1 on a log axis), else
/// judged from the values: `log` when every value is positive and they span a factor of 20 or more (learning rates,
/// weight decays), `linear` otherwise.
struct ParallelAxis: Sendable {
    enum Kind: String, Sendable { case linear, log, categorical }

    var name: String
    var kind: Kind
    var categories: [String]
    /// Whether the runs differ on it (an axis on which every run agrees says nothing).
    var varies: Bool
    /// The spec's distribution for the parameter (`log_uniform`, …), nil for grid values or lists: the sweep page
    /// bins a drawn parameter's values (`Logbook.valueGroups`).
    var distribution: String?

    init(name: String, values: [SQLValue], distribution: String? = nil) {
        self.name = name
        self.distribution = distribution
        var numbers: [Double] = []
        var texts: Set<String> = []
        for value in values {
            switch value {
            case .integer(let integer): numbers.append(Double(integer))
            case .real(let real): numbers.append(real)
            case .null: break
            case .text, .blob: texts.insert(CellText.exact(value))
            }
        }
        if !texts.isEmpty {
            kind = .categorical
            categories = texts.union(numbers.map { CellText.exactReal($0) }).sorted()
            varies = categories.count > 1
            return
        }
        categories = []
        let low = numbers.min() ?? 0, high = numbers.max() ?? 0
        varies = high > low
        switch distribution {
        case "log_uniform"? where low > 0: kind = .log
        case "uniform"?, "int_uniform"?, "q_uniform"?: kind = .linear
        default: kind = low > 0 && high / low >= 20 ? .log : .linear
        }
    }

    /// A run's value on this axis: a number, or on a categorical axis its category's text.
    func value(_ value: SQLValue) -> JSONValue {
        guard kind == .categorical else { return JSONValue(value) }
        switch value {
        case .null: return .null
        case .integer(let integer): return .string(CellText.exactReal(Double(integer)))
        case .real(let real): return .string(CellText.exactReal(real))
        case .text, .blob: return .string(CellText.exact(value))
        }
    }

    var json: JSONValue {
        var members: [(String, JSONValue)] = [("name", .string(name)), ("kind", .string(kind.rawValue))]
        if kind == .categorical { members.append(("categories", .array(categories.map(JSONValue.string)))) }
        if kind != .categorical, let distribution { members.append(("distribution", .string(distribution))) }
        return .object(members)
    }
}
