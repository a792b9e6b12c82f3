/// One hyperparameter of `TrainingConfiguration`: its snake-case name (the name of sweep specs, `--set`, the store's
/// `params` table and the query language), its type, default, range or choices and help text, and how to read,
/// set and check the field. `Hyperparameter.all` (in `Hyperparameter+Table.swift`) is the one table of them; it
/// drives `validate()`, `setParameter`, `parameterValues()`, the store's `params` rows, the `train` flags' help and
/// the sweep's suggestions.
///
/// A value is set in two steps, so that every rule has one message wherever the value comes from: `assign`
/// converts a `ParameterValue` to the field's type (`expected an integer`, `unknown optimizer 'adamm' (did you
/// mean 'adam'?)`), and `check` tests the stored value against the field's rule (`must be > 0 and finite`).
/// `crossCheck` holds the rules that involve other fields (`patience` needs a validation split); `validate`
/// applies them, `set` does not (sweeps set fields one by one, in any order).
public struct Hyperparameter: Sendable {
    /// What a value looks like.
    public enum ValueType: String, Sendable {
        case integer, number, flag, choice, text, layers, initializer, source
    }

    public let name: String
    public let valueType: ValueType
    public let help: String
    /// The range, as shown to users (`> 0`, `[0, 1)`, `≥ 1`); empty when any value of the type is valid.
    public let range: String
    /// The valid names of an enumerated parameter (`sgd`, `momentum`, …); empty otherwise.
    public let choices: [String]
    /// True when the field may be unset (`none` or `auto` clears it).
    public let isOptional: Bool

    let read: @Sendable (TrainingConfiguration) -> ParameterValue?
    let assign: @Sendable (inout TrainingConfiguration, ParameterValue) throws -> Void
    let check: @Sendable (TrainingConfiguration) -> Problem?
    let crossCheck: @Sendable (TrainingConfiguration) -> Problem?

    init(
        _ name: String, _ valueType: ValueType, help: String, range: String = "", choices: [String] = [],
        isOptional: Bool = false, read: @escaping @Sendable (TrainingConfiguration) -> ParameterValue?,
        assign: @escaping @Sendable (inout TrainingConfiguration, ParameterValue) throws -> Void,
        check: @escaping @Sendable (TrainingConfiguration) -> Problem? = { _ in nil },
        crossCheck: @escaping @Sendable (TrainingConfiguration) -> Problem? = { _ in nil }
    ) {
        self.name = name
        self.valueType = valueType
        self.help = help
        self.range = range
        self.choices = choices
        self.isOptional = isOptional
        self.read = read
        self.assign = assign
        self.check = check
        self.crossCheck = crossCheck
    }

    /// The value of a default `TrainingConfiguration()`; nil for an optional field unset by default.
    public var defaultValue: ParameterValue? { read(TrainingConfiguration()) }

    /// The field's value in `configuration` (nil when an optional field is unset).
    public func value(in configuration: TrainingConfiguration) -> ParameterValue? { read(configuration) }

    /// Converts `value`, checks it against the field's rule and stores it. Errors are one line naming the field
    /// and the value as written: `invalid learning_rate -1: must be > 0 and finite`.
    public func set(_ value: ParameterValue, in configuration: inout TrainingConfiguration) throws {
        var changed = configuration
        try assign(&changed, value)
        if let problem = check(changed) { throw problem.error(name, shown: Hyperparameter.shown(value)) }
        configuration = changed
    }

    /// Checks the field of `configuration` against its rule and its rules involving other fields, naming the stored
    /// value.
    public func validate(_ configuration: TrainingConfiguration) throws {
        if let problem = check(configuration) ?? crossCheck(configuration) { throw problem.error(name, shown: problem.shown) }
    }

    /// Checks one value of this field against its rule without a configuration at hand (`DataSplit`'s fractions),
    /// naming the value as the field stores it.
    public func validate(value: ParameterValue) throws {
        var configuration = TrainingConfiguration()
        try assign(&configuration, value)
        try validate(configuration)
    }

    /// The entry called `name`, or an error with the nearest valid name.
    public static func named(_ name: String) throws -> Hyperparameter {
        if let entry = byName[name] { return entry }
        throw EngineError("unknown parameter '\(name)'" + NameSuggestion.hint(for: name, in: names))
    }

    /// Every parameter name, in table order.
    public static let names: [String] = all.map(\.name)
    private static let byName = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })

    /// A value as the user wrote it, for messages: texts quoted (`'adamm'`), numbers plain (`-1`).
    static func shown(_ value: ParameterValue) -> String {
        if case .string(let text) = value { return "'\(text)'" }
        return value.description
    }

    /// Why a stored value breaks its field's rule.
    struct Problem: Sendable {
        /// The stored value, as shown in messages (`1.0`, `'run:3'`).
        var shown: String
        var reason: String
        /// True for a name outside the known ones: the message reads `unknown FIELD 'VALUE'` + `reason` (a hint).
        var isUnknownName = false

        func error(_ name: String, shown: String) -> EngineError {
            isUnknownName ? EngineError("unknown \(name) \(shown)\(reason)") : EngineError("invalid \(name) \(shown): \(reason)")
        }
    }
}
