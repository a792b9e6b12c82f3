import ArgumentParser
import Engine
import Sweep

/// The sweep from flags: every option takes one value (fixed), a comma-separated list (swept: every value in grid
/// search, a pick in random and TPE), or a distribution for random and TPE search, written as in the YAML spec with
/// its bounds after colons: `uniform:MIN:MAX`, `log_uniform:MIN:MAX`, `int_uniform:MIN:MAX`, `q_uniform:MIN:MAX:Q`.
/// `--set NAME=V1,V2` reaches any other training parameter by its snake-case name (the names of the parameter
/// registry, `Hyperparameter`; values and bounds are checked there when the plan is built).
struct SweepParameterOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Dataset(s): \((DataPipeline.bundledNames + DataPipeline.syntheticNames).joined(separator: ", ")), csv:PATH, …", valueName: "sources"))
    var data: String?
    @Option(help: ArgumentHelp("Layer widths, input to output (0 = from the data), e.g. 64-64-10 or 64-10,64-64-10.", valueName: "widths"))
    var layers: String?
    @Option(name: .customLong("batch-size"), help: ArgumentHelp("Mini-batch size(s), e.g. 16,32,64,128.", valueName: "sizes"))
    var batchSize: String?
    @Option(name: [.customLong("lr"), .customLong("learning-rate")], help: ArgumentHelp("Learning rate(s), e.g. 0.01,0.1,0.5, or a distribution for random and tpe, e.g. log_uniform:0.001:1.", valueName: "rates"))
    var learningRate: String?
    @Option(name: .customLong("init"), help: ArgumentHelp("Initializer(s), e.g. zeros,xavier-uniform,he-uniform.", valueName: "names"))
    var initializer: String?
    @Option(help: ArgumentHelp("Epoch count(s), e.g. 10,30.", valueName: "counts"))
    var epochs: String?
    @Option(help: ArgumentHelp("Optimizer(s): \(OptimizerKind.names.joined(separator: ", ")).", valueName: "names"))
    var optimizer: String?
    @Option(help: ArgumentHelp("Momentum value(s), or e.g. uniform:0:0.99.", valueName: "values"))
    var momentum: String?
    @Option(help: ArgumentHelp("Activation(s): \(ActivationKind.names.joined(separator: ", ")).", valueName: "names"))
    var activation: String?
    @Option(name: .customLong("weight-decay"), help: ArgumentHelp("Weight decay value(s).", valueName: "values"))
    var weightDecay: String?
    @Option(help: ArgumentHelp("Base seed of every configuration (repetitions use seed, seed+1, …).", valueName: "seed"))
    var seed: String?
    @Option(name: .customLong("set"), help: ArgumentHelp("Any other parameter: NAME=VALUE[,VALUE…] or NAME=DISTRIBUTION:MIN:MAX[:Q] (snake case, e.g. dropout=0,0.2 or dropout=uniform:0:0.5).", valueName: "name=values"))
    var assignments: [String] = []

    /// True when any parameter flag was given.
    var isEmpty: Bool {
        [data, layers, batchSize, learningRate, initializer, epochs, optimizer, momentum, activation, weightDecay, seed]
            .allSatisfy { $0 == nil } && assignments.isEmpty
    }

    /// The parameters in a fixed order (data, layers, batch_size, learning_rate, initializer, epochs, …, then
    /// `--set` ones): grid search varies the last one fastest.
    func parameters() throws -> [SweepSpec.Parameter] {
        let flags: [(Hyperparameter, String?)] = [
            (.data, data), (.layers, layers), (.batchSize, batchSize), (.learningRate, learningRate),
            (.initializer, initializer), (.epochs, epochs), (.optimizer, optimizer), (.momentum, momentum),
            (.activation, activation), (.weightDecay, weightDecay), (.seed, seed),
        ]
        var pairs = flags.compactMap { entry, value in value.map { (entry.name, $0) } }
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw ValidationError("invalid --set '\(assignment)': expected NAME=VALUE[,VALUE…]")
            }
            pairs.append((String(assignment[..<equals]), String(assignment[assignment.index(after: equals)...])))
        }
        return try pairs.map { name, text in
            if let domain = try SweepParameterOptions.distribution(text, name: name) {
                return SweepSpec.Parameter(name: name, domain: domain)
            }
            let values = text.split(separator: ",", omittingEmptySubsequences: false).map {
                ParameterValue(parsing: String($0))
            }
            if values.contains(.string("")) {
                throw ValidationError("invalid value list '\(text)' for \(name): empty value")
            }
            return SweepSpec.Parameter(name: name, domain: values.count == 1 ? .fixed(values[0]) : .values(values))
        }
    }

    /// `KIND:MIN:MAX` (`uniform`, `log_uniform`, `int_uniform`) or `q_uniform:MIN:MAX:Q` as a domain; nil for text
    /// that names no distribution (a value or a list, `csv:PATH` included).
    static func distribution(_ text: String, name: String) throws -> SweepSpec.Domain? {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        let bounds = ["uniform": 2, "log_uniform": 2, "int_uniform": 2, "q_uniform": 3]
        guard let kind = parts.first, let count = bounds[kind] else { return nil }
        let usage = kind == "q_uniform" ? "q_uniform:MIN:MAX:Q" : "\(kind):MIN:MAX"
        guard parts.count == count + 1 else {
            throw ValidationError("invalid distribution '\(text)' for \(name): expected \(usage)")
        }
        if kind == "int_uniform" {
            guard let low = Int(parts[1]), let high = Int(parts[2]) else {
                throw ValidationError("invalid distribution '\(text)' for \(name): int_uniform bounds must be integers")
            }
            return .intUniform(min: low, max: high)
        }
        let numbers = try parts.dropFirst().map { part -> Double in
            guard let number = Double(part), number.isFinite else {
                throw ValidationError("invalid distribution '\(text)' for \(name): '\(part)' is not a finite number (\(usage))")
            }
            return number
        }
        switch kind {
        case "uniform": return .uniform(min: numbers[0], max: numbers[1])
        case "log_uniform": return .logUniform(min: numbers[0], max: numbers[1])
        default: return .qUniform(min: numbers[0], max: numbers[1], q: numbers[2])
        }
    }
}
