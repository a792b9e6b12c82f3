import Engine
import Store

/// A run's hyperparameters, typed, from its stored configuration (the same keys and values as its `params` rows):
/// every field of the parameter registry that is set, in registry order.
enum HyperparameterValues {
    static func of(_ run: RunRecord) -> [(name: String, value: ParameterValue)] {
        run.configuration.parameterValues().map { (name: $0.0, value: $0.1) }
    }

    /// The value as text, losslessly: integers in decimal, doubles in Swift's shortest round-trip form (`0.1`,
    /// `1e-05`), booleans `true`/`false`, strings as they are.
    static func text(_ value: ParameterValue) -> String {
        switch value {
        case .int(let number): return String(number)
        case .double(let number): return "\(number)"
        case .bool(let flag): return flag ? "true" : "false"
        case .string(let text): return text
        }
    }
}
