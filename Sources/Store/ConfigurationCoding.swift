import Engine
import Foundation

/// How a `TrainingConfiguration` is stored: whole as JSON in `runs.config` (camel-case keys, decodable back), and
/// field by field in `params` (snake-case keys: the names of sweep specs and the query language).
enum ConfigurationCoding {
    static func json(_ configuration: TrainingConfiguration) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(configuration), as: UTF8.self)
    }

    /// Decodes a stored configuration. Fields missing from it (written by an older Logbook, before the field
    /// existed) take today's defaults; fields this version does not know are ignored.
    ///
    /// A row this version wrote has every field, so it is decoded once, straight; only when that fails (an older
    /// row lacks a field) are its fields merged over today's defaults and decoded again. Both give the same
    /// configuration for a complete row: an unset optional field is left out of the JSON, and its default is unset.
    ///
    /// Decoded configurations are kept by their JSON text (`DecodedConfigurations`): a TPE claim reads every trial's
    /// configuration, and the live sweep display every run's, again and again, and a text always decodes to the
    /// same configuration.
    static func configuration(fromJSON json: String, runID: Int64) throws -> TrainingConfiguration {
        if let known = DecodedConfigurations.shared.configuration(for: json) { return known }
        let configuration = try decode(json, runID: runID)
        DecodedConfigurations.shared.keep(configuration, for: json)
        return configuration
    }

    private static func decode(_ json: String, runID: Int64) throws -> TrainingConfiguration {
        if let configuration = try? JSONDecoder().decode(TrainingConfiguration.self, from: Data(json.utf8)) {
            return configuration
        }
        do {
            let defaults = try JSONSerialization.jsonObject(with: JSONEncoder().encode(TrainingConfiguration()))
            let stored = try JSONSerialization.jsonObject(with: Data(json.utf8))
            guard let defaultFields = defaults as? [String: Any], let storedFields = stored as? [String: Any] else {
                throw StoreError("not a JSON object")
            }
            let merged = defaultFields.merging(storedFields) { $1 }
            let data = try JSONSerialization.data(withJSONObject: merged)
            return try JSONDecoder().decode(TrainingConfiguration.self, from: data)
        } catch {
            throw StoreError("run \(runID) has an unreadable configuration: \(error)")
        }
    }

    /// Every parameter of the configuration as (snake-case name, typed value), sorted by name, from the parameter
    /// registry (`TrainingConfiguration.parameterValues()`): booleans and integral numbers as integers, layers as
    /// `64-128-10`, enumerated choices as their names; unset optional fields are left out. These are the rows the
    /// configuration JSON gave when its keys were read back in snake case (a test checks it), read straight from
    /// the fields rather than by parsing the JSON again.
    static func parameters(_ configuration: TrainingConfiguration) -> [(String, SQLValue)] {
        configuration.parameterValues().sorted { $0.0 < $1.0 }.map { name, value in
            switch value {
            case .int(let number): return (name, .integer(Int64(number)))
            case .double(let number):
                // As the rows were always written: an integral value (below 10¹⁶) is an INTEGER, as the JSON
                // encoder writes it (`0`, `1000`) and as it reads back.
                if number == number.rounded(), abs(number) < 1e16 { return (name, .integer(Int64(number))) }
                return (name, .real(number))
            case .bool(let flag): return (name, .integer(flag ? 1 : 0))
            case .string(let text): return (name, .text(text))
            }
        }
    }

    /// A `params` (or `run_summary`) value as sweep results show it: a boolean parameter, stored as INTEGER 0 or 1, as the text
    /// `true` or `false` (as the configuration and the sweep's `--set batch_norm=true,false` write it); every
    /// other value as stored.
    static func shownParameter(_ key: String, _ stored: SQLValue) -> SQLValue {
        guard Hyperparameter.flagNames.contains(key), case .integer(let flag) = stored else { return stored }
        return .text(flag != 0 ? "true" : "false")
    }
}

extension SQLValue: CustomStringConvertible {
    public var description: String {
        switch self {
        case .null: return "NULL"
        case .integer(let value): return String(value)
        case .real(let value): return String(value)
        case .text(let value): return value
        case .blob(let value): return "<\(value.count) bytes>"
        }
    }
}
