/// The kinds of hyperparameter, each with its conversion from `ParameterValue` and its rule. The table
/// (`Hyperparameter+Table.swift`) is written with these.
extension Hyperparameter {
    typealias Field<Value> = WritableKeyPath<TrainingConfiguration, Value> & Sendable

    /// The ranges of real-valued parameters, each with its one message.
    enum NumberRange: Sendable {
        /// (0, ∞)
        case positive
        /// [0, ∞)
        case nonNegative
        /// [0, 1)
        case fraction
        /// (0, 1]
        case unitInterval

        var text: String {
            switch self {
            case .positive: return "> 0"
            case .nonNegative: return "≥ 0"
            case .fraction: return "[0, 1)"
            case .unitInterval: return "(0, 1]"
            }
        }

        /// Nil when `value` lies in the range.
        func reason(_ value: Double) -> String? {
            switch self {
            case .positive: return value > 0 && value.isFinite ? nil : "must be > 0 and finite"
            case .nonNegative: return value >= 0 && value.isFinite ? nil : "must be ≥ 0 and finite"
            case .fraction: return value >= 0 && value < 1 ? nil : "must be in [0, 1)"
            case .unitInterval: return value > 0 && value <= 1 ? nil : "must be in (0, 1]"
            }
        }
    }

    /// A rule involving other fields: the reason the configuration breaks it, nil when it holds.
    typealias CrossFieldRule = @Sendable (TrainingConfiguration) -> String?

    /// A real number in `range`; `requires` adds a rule involving other fields (checked by `validate()` only).
    static func number(
        _ name: String, _ field: Field<Double>, _ range: NumberRange, help: String, requires: CrossFieldRule? = nil
    ) -> Hyperparameter {
        Hyperparameter(
            name, .number, help: help, range: range.text, read: { .double($0[keyPath: field]) },
            assign: { configuration, value in configuration[keyPath: field] = try numberValue(value, name) },
            check: { configuration in
                let value = configuration[keyPath: field]
                return range.reason(value).map { Problem(shown: "\(value)", reason: $0) }
            },
            crossCheck: { configuration in
                requires?(configuration).map { Problem(shown: "\(configuration[keyPath: field])", reason: $0) }
            })
    }

    /// An integer of at least `minimum`; `requires` adds a rule involving other fields (checked by `validate()` only).
    static func integer(
        _ name: String, _ field: Field<Int>, atLeast minimum: Int, help: String, requires: CrossFieldRule? = nil
    ) -> Hyperparameter {
        Hyperparameter(
            name, .integer, help: help, range: "≥ \(minimum)", read: { .int($0[keyPath: field]) },
            assign: { configuration, value in configuration[keyPath: field] = try integerValue(value, name) },
            check: { configuration in
                let value = configuration[keyPath: field]
                return value >= minimum ? nil : Problem(shown: "\(value)", reason: "must be at least \(minimum)")
            },
            crossCheck: { configuration in
                requires?(configuration).map { Problem(shown: "\(configuration[keyPath: field])", reason: $0) }
            })
    }

    static func flag(_ name: String, _ field: Field<Bool>, help: String) -> Hyperparameter {
        Hyperparameter(
            name, .flag, help: help, read: { .bool($0[keyPath: field]) },
            assign: { configuration, value in
                switch value {
                case .bool(let flag): configuration[keyPath: field] = flag
                case .int(0), .string("false"), .string("no"), .string("off"): configuration[keyPath: field] = false
                case .int(1), .string("true"), .string("yes"), .string("on"): configuration[keyPath: field] = true
                default: throw EngineError("invalid \(name) \(shown(value)): expected true or false")
                }
            })
    }

    static func choice<Choice: ParameterChoice>(_ name: String, _ field: Field<Choice>, help: String) -> Hyperparameter {
        Hyperparameter(
            name, .choice, help: help, choices: Choice.names, read: { .string($0[keyPath: field].rawValue) },
            assign: { configuration, value in
                configuration[keyPath: field] = try Choice(parsing: try textValue(value, name), field: name)
            })
    }

    /// An enumerated parameter that may be unset (`none` or `auto` clears it).
    static func optionalChoice<Choice: ParameterChoice>(_ name: String, _ field: Field<Choice?>, help: String) -> Hyperparameter {
        Hyperparameter(
            name, .choice, help: help, choices: Choice.names, isOptional: true,
            read: { $0[keyPath: field].map { .string($0.rawValue) } },
            assign: { configuration, value in
                configuration[keyPath: field] = try optionalTextValue(value, name).map { try Choice(parsing: $0, field: name) }
            })
    }

    /// Free text that may be unset (a CSV label column: a header name or an index).
    /// `requires` adds a rule involving other fields (checked by `validate()` only).
    static func optionalText(
        _ name: String, _ field: Field<String?>, help: String, requires: CrossFieldRule? = nil
    ) -> Hyperparameter {
        Hyperparameter(
            name, .text, help: help, isOptional: true, read: { $0[keyPath: field].map(ParameterValue.string) },
            assign: { configuration, value in configuration[keyPath: field] = try optionalTextValue(value, name) },
            crossCheck: { configuration in
                requires?(configuration).map { Problem(shown: "'\(configuration[keyPath: field] ?? "")'", reason: $0) }
            })
    }

    /// A dataset source, checked by its form (`DataPipeline.sourceProblem`); whether files load is the pipeline's.
    static func source(_ name: String, _ field: Field<String>, help: String) -> Hyperparameter {
        Hyperparameter(
            name, .source, help: help, read: { .string($0[keyPath: field]) },
            assign: { configuration, value in configuration[keyPath: field] = try textValue(value, name) },
            check: { configuration in DataPipeline.sourceProblem(configuration[keyPath: field]) })
    }

    static func optionalSource(_ name: String, _ field: Field<String?>, help: String) -> Hyperparameter {
        Hyperparameter(
            name, .source, help: help, isOptional: true, read: { $0[keyPath: field].map(ParameterValue.string) },
            assign: { configuration, value in configuration[keyPath: field] = try optionalTextValue(value, name) },
            check: { configuration in configuration[keyPath: field].flatMap(DataPipeline.sourceProblem) })
    }

    /// An initializer (`he-uniform`, `constant:V`, …); `pretrained` allows `file:PATH` and `run:ID`.
    static func weightInitializer(_ name: String, _ field: Field<Initializer>, pretrained: Bool, help: String) -> Hyperparameter {
        Hyperparameter(
            name, .initializer, help: help, choices: Initializer.names, read: { .string($0[keyPath: field].description) },
            assign: { configuration, value in
                configuration[keyPath: field] = try Initializer(parsing: try textValue(value, name), field: name)
            },
            check: { configuration in
                let initializer = configuration[keyPath: field]
                guard !pretrained && initializer.isPretrained else { return nil }
                return Problem(shown: "'\(initializer)'", reason: "biases are loaded with the weights")
            })
    }

    /// Layer widths, written `64-128-10` (0 at either end: from the data), parsed as `train --layers` parses them.
    static func widths(_ name: String, _ field: Field<[Int]>, help: String) -> Hyperparameter {
        Hyperparameter(
            name, .layers, help: help, read: { .string(TrainingConfiguration.layerText($0[keyPath: field])) },
            assign: { configuration, value in
                configuration[keyPath: field] = try TrainingConfiguration.parseLayers(try textValue(value, name))
            },
            check: { configuration in
                let widths = configuration[keyPath: field]
                return TrainingConfiguration.layersProblem(widths).map {
                    Problem(shown: "'\(TrainingConfiguration.layerText(widths))'", reason: $0)
                }
            })
    }

    /// The run's seed: an unsigned 64-bit integer (stored in `params` as its signed bit pattern, as SQLite does).
    static func unsignedSeed(_ name: String, _ field: Field<UInt64>, help: String) -> Hyperparameter {
        Hyperparameter(
            name, .integer, help: help, range: "≥ 0", read: { .int(Int(truncatingIfNeeded: $0[keyPath: field])) },
            assign: { configuration, value in
                if case .string(let text) = value, let seed = UInt64(text) {
                    configuration[keyPath: field] = seed
                    return
                }
                let seed = try integerValue(value, name)
                guard seed >= 0 else { throw EngineError("invalid \(name) \(seed): must be at least 0") }
                configuration[keyPath: field] = UInt64(seed)
            })
    }

    // Conversions, each with its one message.

    static func numberValue(_ value: ParameterValue, _ name: String) throws -> Double {
        guard let number = value.number else { throw EngineError("invalid \(name) \(shown(value)): expected a number") }
        return number
    }

    static func integerValue(_ value: ParameterValue, _ name: String) throws -> Int {
        guard let number = value.number, number.isFinite, number == number.rounded(), abs(number) < 1e15 else {
            throw EngineError("invalid \(name) \(shown(value)): expected an integer")
        }
        return Int(number)
    }

    static func textValue(_ value: ParameterValue, _ name: String) throws -> String {
        switch value {
        case .string(let text) where !text.isEmpty: return text
        case .int, .double: return value.description  // e.g. a label column given by index
        default: throw EngineError("invalid \(name) \(shown(value)): expected a name")
        }
    }

    static func optionalTextValue(_ value: ParameterValue, _ name: String) throws -> String? {
        let text = try textValue(value, name)
        return text == "none" || text == "auto" ? nil : text
    }
}
