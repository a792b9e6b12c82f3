import Foundation
import Store

/// A sweep's stored specification (the JSON kept with the sweep) as the report shows it: what was swept — each
/// parameter with its grid values or its distribution — what was fixed, and how the search ran (method, metric,
/// seeds, run cap, early termination). The defaults of everything else are not listed; each run's full
/// configuration is stored with the run (`logbook show ID`).
struct SweepSpecification: Sendable, Equatable {
    /// `parameter`, `values`: one row per swept parameter, in the spec's order.
    var swept: ResultTable
    /// `parameter`, `value`: one row per fixed parameter, in the spec's order.
    var fixed: ResultTable
    /// `setting`, `value`: method, metric and goal, seeds, sweep seed, run cap, early termination, TPE options.
    var search: ResultTable

    /// Nil when `json` is not a specification (no object with a `parameters` list).
    init?(json: String) {
        guard let spec = try? JSONDecoder().decode([String: SpecValue].self, from: Data(json.utf8)),
            case .array(let parameters)? = spec["parameters"]
        else { return nil }
        var sweptRows: [[SQLValue]] = []
        var fixedRows: [[SQLValue]] = []
        for case .object(let parameter) in parameters {
            guard case .string(let name)? = parameter["name"] else { continue }
            if let value = parameter["value"] {
                fixedRows.append([.text(name), .text(value.text)])
            } else if case .array(let values)? = parameter["values"] {
                sweptRows.append([.text(name), .text(values.map(\.text).joined(separator: ", "))])
            } else if case .string(let distribution)? = parameter["distribution"] {
                let range = [parameter["min"], parameter["max"]].map { $0?.text ?? "?" }.joined(separator: " … ")
                let step = parameter["q"].map { ", step \($0.text)" } ?? ""
                sweptRows.append([.text(name), .text("\(distribution) \(range)\(step)")])
            }
        }
        swept = ResultTable(columns: ["parameter", "values"], rows: sweptRows)
        fixed = ResultTable(columns: ["parameter", "value"], rows: fixedRows)
        var settings: [[SQLValue]] = []
        func add(_ setting: String, _ value: SpecValue?) {
            guard let value, value != .null else { return }
            settings.append([.text(setting), .text(value.text)])
        }
        add("method", spec["method"])
        if case .object(let metric)? = spec["metric"] {
            add("metric", metric["name"])
            add("goal", metric["goal"])
        }
        add("seeds per configuration", spec["seeds"])
        add("sweep seed", spec["seed"])
        add("run cap", spec["run_cap"])
        add("early termination", spec["early_terminate"])
        add("TPE", spec["tpe"])
        search = ResultTable(columns: ["setting", "value"], rows: settings)
    }
}

/// A JSON value as decoded from a stored specification, with the text a table shows for it (numbers in their
/// shortest round-trip form, booleans as `true`/`false`, objects as `key: value` pairs).
indirect enum SpecValue: Decodable, Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([SpecValue])
    case object([String: SpecValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([SpecValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: SpecValue].self)) }
    }

    var text: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .number(let value):
            return value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
        case .string(let value): return value
        case .array(let values): return values.map(\.text).joined(separator: ", ")
        case .object(let fields):
            return fields.keys.sorted().map { "\($0): \(fields[$0]!.text)" }.joined(separator: ", ")
        }
    }
}
