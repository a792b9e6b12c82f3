import Engine
import Yams

extension SweepSpec {
    /// The keys a spec may use at the top level, in a `metric` mapping and in a parameter mapping.
    public static let topLevelKeys = ["name", "description", "method", "metric", "parameters", "run_cap", "seeds", "seed", "early_terminate", "tpe"]
    public static let metricKeys = ["name", "goal"]
    public static let parameterKeys = ["value", "values", "distribution", "min", "max", "q"]
    public static let distributions = ["uniform", "log_uniform", "log_uniform_values", "int_uniform", "q_uniform", "categorical"]

    /// Parses and validates a YAML spec. Every error is one line that starts with `FILE:LINE:COLUMN:` — malformed
    /// YAML where the parser stopped, unknown keys (with the nearest valid key suggested), wrong types and the
    /// `validate()` problems at the parameter they concern.
    public static func parse(yaml: String, fileName: String = "sweep.yaml") throws -> SweepSpec {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw SweepError(YAMLReader.describe(error, fileName: fileName))
        }
        let reader = YAMLReader(fileName: fileName)
        guard let root, let mapping = root.mapping else {
            throw SweepError("\(fileName):1:1: a sweep spec must be a mapping with at least 'parameters'")
        }
        var spec = SweepSpec()
        spec.name = fileName.split(separator: "/").last.map { String($0.split(separator: ".").first ?? $0) } ?? "sweep"
        var metricName: String?, metricGoal: Goal?
        var metricNode: Node?
        for (keyNode, value) in mapping {
            let key = try reader.key(keyNode, allowed: topLevelKeys, context: "top-level key")
            switch key {
            case "name": spec.name = try reader.text(value, field: key)
            case "description": _ = try reader.text(value, field: key)
            case "method":
                let text = try reader.text(value, field: key)
                guard let method = Method(name: text) else {
                    throw reader.error(value, "unknown method '\(text)'" + NameSuggestion.hint(for: text, in: Method.names))
                }
                spec.method = method
            case "metric":
                metricNode = value
                guard let metric = value.mapping else {
                    metricName = try reader.text(value, field: key)  // `metric: test_loss` is accepted too
                    continue
                }
                for (metricKey, metricValue) in metric {
                    switch try reader.key(metricKey, allowed: metricKeys, context: "metric key") {
                    case "name": metricName = try reader.text(metricValue, field: "metric name")
                    default:
                        let text = try reader.text(metricValue, field: "metric goal")
                        guard let goal = Goal(rawValue: text) else {
                            throw reader.error(metricValue, "unknown metric goal '\(text)'" + NameSuggestion.hint(for: text, in: Goal.allCases.map(\.rawValue)))
                        }
                        metricGoal = goal
                    }
                }
            case "parameters":
                guard let parameters = value.mapping else {
                    throw reader.error(value, "parameters must be a mapping from parameter name to {value | values | distribution …}")
                }
                for (nameNode, parameterNode) in parameters {
                    let name = try reader.key(nameNode, allowed: TrainingConfiguration.parameterNames, context: "parameter")
                    let parameter = SweepSpec.Parameter(name: name, domain: try reader.domain(parameterNode, name: name))
                    do { try parameter.validate(method: .random) } catch let error as SweepError {
                        throw reader.error(parameterNode, error.message)
                    }
                    spec.parameters.append(parameter)
                }
            case "early_terminate": spec.earlyTermination = try reader.earlyTermination(value)
            case "tpe": spec.tpe = try reader.tpeSettings(value)
            case "run_cap": spec.runCap = try reader.integer(value, field: key)
            case "seeds": spec.seeds = try reader.integer(value, field: key)
            default:
                let seed = try reader.integer(value, field: key)
                guard seed >= 0 else { throw reader.error(value, "invalid seed \(seed): must be ≥ 0") }
                spec.sweepSeed = UInt64(seed)
            }
        }
        if let metricName { spec.metric = Metric(name: metricName, goal: metricGoal) } else if let metricGoal {
            spec.metric.goal = metricGoal
        }
        spec.metricIsExplicit = metricName != nil
        spec.applyChoiceDefaults()
        do { try spec.validate() } catch let error as SweepError {
            // Point at the parameter (or the metric) the problem concerns when we can.
            let node = mapping["parameters"]?.mapping?.first { error.message.contains("'\($0.key.string ?? "")'") }?.value
            if let node { throw reader.error(node, error.message) }
            if let metricNode, error.message.contains("metric") { throw reader.error(metricNode, error.message) }
            throw SweepError("\(fileName): \(error.message)")
        }
        return spec
    }
}

/// Reads nodes of a spec, turning every problem into `FILE:LINE:COLUMN: message`.
struct YAMLReader {
    let fileName: String

    func error(_ node: Node, _ message: String) -> SweepError {
        if let mark = node.mark { return SweepError("\(fileName):\(mark.line):\(mark.column): \(message)") }
        return SweepError("\(fileName): \(message)")
    }

    static func describe(_ error: YamlError, fileName: String) -> String {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { " (\($0.text) at line \($0.mark.line), column \($0.mark.column))" } ?? ""
            return "\(fileName):\(mark.line):\(mark.column): malformed YAML: \(problem)\(detail)"
        case .duplicatedKeysInMapping(let duplicates, let context):
            return "\(fileName):\(context.mark.line):\(context.mark.column): duplicate key \(duplicates.sorted().map { "'\($0)'" }.joined(separator: ", "))"
        default:
            return "\(fileName): malformed YAML: \(String(describing: error).split(separator: "\n").first ?? "")"
        }
    }

    /// A mapping key from `allowed`: else `unknown CONTEXT 'KEY'LOCATION (did you mean '…'?)`.
    func key(_ node: Node, allowed: [String], context: String, location: String = "") throws -> String {
        guard let key = node.scalar?.string else { throw error(node, "a \(context) must be a plain name") }
        guard allowed.contains(key) else {
            throw error(node, "unknown \(context) '\(key)'\(location)" + NameSuggestion.hint(for: key, in: allowed))
        }
        return key
    }

    /// A scalar as a typed value: YAML ints, floats and booleans keep their type; a plain (unquoted) string that
    /// reads as a number (`1e-3`, which YAML 1.1 leaves a string) becomes one.
    func value(_ node: Node, field: String) throws -> ParameterValue {
        guard let scalar = node.scalar else { throw error(node, "\(field): expected a single value, not a list or mapping") }
        switch Tag.Name(rawValue: node.tag.rawValue) {
        case .int: if let value = Int(scalar.string) { return .int(value) }
        case .float: if let value = node.float { return .double(value) }
        case .bool: if let value = node.bool { return .bool(value) }
        case .null: throw error(node, "\(field): value is missing")
        default: break
        }
        if scalar.style == .plain { return ParameterValue(parsing: scalar.string) }
        return .string(scalar.string)
    }

    func text(_ node: Node, field: String) throws -> String {
        guard let scalar = node.scalar, Tag.Name(rawValue: node.tag.rawValue) != .null, !scalar.string.isEmpty else {
            throw error(node, "\(field): expected a name")
        }
        return scalar.string
    }

    func number(_ node: Node, field: String) throws -> Double {
        guard let number = try value(node, field: field).number, number.isFinite else {
            throw error(node, "\(field): expected a number")
        }
        return number
    }

    func integer(_ node: Node, field: String) throws -> Int {
        guard case .int(let integer) = try value(node, field: field) else {
            throw error(node, "\(field): expected an integer")
        }
        return integer
    }

    /// `{value: V}`, `{values: [...]}`, `{distribution: D, min:, max:, q:}` or a bare scalar / list as shorthand
    /// for `value` / `values`.
    func domain(_ node: Node, name: String) throws -> SweepSpec.Domain {
        if node.scalar != nil { return .fixed(try value(node, field: name)) }
        if let sequence = node.sequence { return .values(try sequence.map { try value($0, field: name) }) }
        guard let mapping = node.mapping else { throw error(node, "parameter '\(name)': expected a mapping") }
        var entries: [String: Node] = [:]
        for (keyNode, valueNode) in mapping {
            entries[try key(keyNode, allowed: SweepSpec.parameterKeys, context: "key", location: " in parameter '\(name)'")] = valueNode
        }
        if let single = entries["value"] {
            guard entries.count == 1 else { throw error(node, "parameter '\(name)': value cannot be combined with other keys") }
            return .fixed(try value(single, field: name))
        }
        let distribution = try entries["distribution"].map { try text($0, field: "distribution of '\(name)'") }
        if let distribution, !SweepSpec.distributions.contains(distribution) {
            throw error(entries["distribution"]!, "parameter '\(name)': unknown distribution '\(distribution)'" + NameSuggestion.hint(for: distribution, in: SweepSpec.distributions))
        }
        if let valuesNode = entries["values"] {
            guard distribution == nil || distribution == "categorical" else {
                throw error(node, "parameter '\(name)': values goes with distribution categorical, not \(distribution!)")
            }
            guard let sequence = valuesNode.sequence else { throw error(valuesNode, "parameter '\(name)': values must be a list") }
            return .values(try sequence.map { try value($0, field: name) })
        }
        guard let distribution else {
            throw error(node, "parameter '\(name)': give value, values, or distribution with min and max")
        }
        if distribution == "categorical" { throw error(node, "parameter '\(name)': distribution categorical needs values") }
        guard let minNode = entries["min"], let maxNode = entries["max"] else {
            throw error(node, "parameter '\(name)': distribution \(distribution) needs min and max")
        }
        switch distribution {
        case "int_uniform":
            return .intUniform(min: try integer(minNode, field: "min of '\(name)'"), max: try integer(maxNode, field: "max of '\(name)'"))
        case "q_uniform":
            guard let qNode = entries["q"] else { throw error(node, "parameter '\(name)': distribution q_uniform needs q") }
            return .qUniform(
                min: try number(minNode, field: "min of '\(name)'"), max: try number(maxNode, field: "max of '\(name)'"),
                q: try number(qNode, field: "q of '\(name)'"))
        case "uniform":
            return .uniform(min: try number(minNode, field: "min of '\(name)'"), max: try number(maxNode, field: "max of '\(name)'"))
        default:
            return .logUniform(min: try number(minNode, field: "min of '\(name)'"), max: try number(maxNode, field: "max of '\(name)'"))
        }
    }
}
