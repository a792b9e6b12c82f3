/// A hyperparameter whose value is one of a few names (`adam`, `cosine`, `minmax`). The enum's raw values are the
/// names users write and the strings stored in `runs.config` and `params`, so a typed value encodes exactly as the
/// string it replaced. Decoding and parsing accept any letter case and the type's `aliases` (old rows that stored
/// `Adam` or `ce` still load).
public protocol ParameterChoice: RawRepresentable, CaseIterable, Codable, Sendable, Hashable
where RawValue == String, AllCases: Sendable {
    /// The names offered to users (`allCases` unless a case is internal, like the `identity` activation).
    static var choices: [Self] { get }
    /// Other accepted spellings, lowercased (`ce` ⇒ `cross-entropy`).
    static var aliases: [String: Self] { get }
}

extension ParameterChoice {
    public static var choices: [Self] { Array(allCases) }
    public static var aliases: [String: Self] { [:] }
    public static var names: [String] { choices.map(\.rawValue) }

    /// `sgd, momentum, nesterov, adam or adamw`, for help texts.
    public static var nameList: String { Hyperparameter.or(names) }

    /// The choice called `name` (any case, or an alias); an unknown name is one line naming the field, the value and
    /// the nearest valid name: `unknown optimizer 'adamm' (did you mean 'adam'?)`.
    public init(parsing name: String, field: String) throws {
        let lowered = name.lowercased()
        if let choice = Self.choices.first(where: { $0.rawValue == lowered }) ?? Self.aliases[lowered] {
            self = choice
            return
        }
        throw EngineError("unknown \(field) '\(name)'" + NameSuggestion.hint(for: name, in: Self.names))
    }

    public init(from decoder: Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        let lowered = name.lowercased()
        guard let choice = Self(rawValue: lowered) ?? Self.aliases[lowered] else {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "unknown value '\(name)'"))
        }
        self = choice
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// The metric early stopping watches (`patience`).
public enum EarlyStoppingMetric: String, ParameterChoice {
    case validationLoss = "validation_loss"
    case validationAccuracy = "validation_accuracy"
    case trainLoss = "train_loss"

    /// True for the metrics measured on the validation split.
    public var needsValidationSplit: Bool { self != .trainLoss }
}

extension OptimizerKind: ParameterChoice {}
extension ScheduleKind: ParameterChoice {}
extension Scaler.Method: ParameterChoice {}
extension LabelTask: ParameterChoice {}

extension ActivationKind: ParameterChoice {
    /// `identity` is the output layer's, not a choice.
    public static var choices: [ActivationKind] { allCases.filter { $0 != .identity } }
}

extension LossKind: ParameterChoice {
    public static var aliases: [String: LossKind] {
        ["ce": .crossEntropy, "crossentropy": .crossEntropy, "cross_entropy": .crossEntropy]
    }
}
