/// How a weight tensor starts. For a dense weight of shape `[fanOut, fanIn]`:
///
/// | name | distribution |
/// |---|---|
/// | `zeros` | 0 |
/// | `constant:V` | V |
/// | `uniform:A` | U(−A, A) |
/// | `normal:S` | N(0, S²) |
/// | `xavier-uniform` (Glorot) | U(−a, a), a = √(6 / (fanIn + fanOut)) |
/// | `xavier-normal` | N(0, 2 / (fanIn + fanOut)) |
/// | `he-uniform` (Kaiming, ReLU gain √2) | U(−a, a), a = √(6 / fanIn) |
/// | `he-normal` | N(0, 2 / fanIn) |
/// | `lecun-uniform` | U(−a, a), a = √(3 / fanIn) |
/// | `lecun-normal` | N(0, 1 / fanIn) |
/// | `orthogonal` | the Q factor of a Gaussian matrix's QR decomposition (rows or columns orthonormal), signs fixed by R's diagonal |
/// | `file:PATH` | the tensors of a safetensors file, by name |
/// | `run:ID` | the final weights of a recorded run (resolved by the store) |
///
/// Draws come from the run's `init` stream in layer order, row-major within a tensor.
public enum Initializer: Sendable, Hashable {
    case zeros
    case constant(Float)
    case uniform(Float)
    case normal(Float)
    case xavierUniform, xavierNormal
    case heUniform, heNormal
    case lecunUniform, lecunNormal
    case orthogonal
    case file(String)
    case run(Int)

    /// The names users write (parameterised ones with their argument shown as a placeholder).
    public static let names = [
        "zeros", "constant:V", "uniform:A", "normal:S", "xavier-uniform", "xavier-normal", "he-uniform", "he-normal",
        "lecun-uniform", "lecun-normal", "orthogonal", "file:PATH", "run:ID",
    ]

    public init(name: String) throws {
        try self.init(parsing: name, field: "initializer")
    }

    /// Parses a name as users write it (any case; `glorot-*` and `kaiming-*` are aliases of `xavier-*` and `he-*`).
    /// An unknown name is one line with the nearest valid name; a bad argument names its form:
    /// `invalid initializer 'uniform:-1': uniform: needs a non-negative number`.
    public init(parsing name: String, field: String) throws {
        let lowered = name.lowercased()
        let simple: [String: Initializer] = [
            "zeros": .zeros, "zero": .zeros, "xavier-uniform": .xavierUniform, "glorot-uniform": .xavierUniform,
            "xavier-normal": .xavierNormal, "glorot-normal": .xavierNormal, "he-uniform": .heUniform,
            "kaiming-uniform": .heUniform, "he-normal": .heNormal, "kaiming-normal": .heNormal,
            "lecun-uniform": .lecunUniform, "lecun-normal": .lecunNormal, "orthogonal": .orthogonal,
        ]
        if let initializer = simple[lowered] {
            self = initializer
            return
        }
        let unknown = EngineError("unknown \(field) '\(name)'" + NameSuggestion.hint(for: name, in: Initializer.names))
        guard let colon = name.firstIndex(of: ":") else { throw unknown }
        let head = lowered[..<colon]
        let argument = String(name[name.index(after: colon)...])
        switch head {
        case "file":
            guard !argument.isEmpty else { throw EngineError.invalid(field, name, "file: needs a path") }
            self = .file(argument)
        case "run":
            guard let id = Int(argument), id > 0 else {
                throw EngineError.invalid(field, name, "run: needs a positive run id")
            }
            self = .run(id)
        case "constant", "uniform", "normal":
            guard let value = Float(argument), value.isFinite else {
                throw EngineError.invalid(field, name, "\(head): needs a finite number")
            }
            if head != "constant" && value < 0 {
                throw EngineError.invalid(field, name, "\(head): needs a non-negative number")
            }
            self = head == "constant" ? .constant(value) : head == "uniform" ? .uniform(value) : .normal(value)
        default:
            throw unknown
        }
    }

    /// True for initializers that load tensors instead of drawing them.
    public var isPretrained: Bool {
        switch self {
        case .file, .run: return true
        default: return false
        }
    }

    /// Fills `count` values of a tensor of shape `[fanOut, fanIn]` (a bias has fanIn = 1).
    public func fill(
        _ values: UnsafeMutablePointer<Float>, fanOut: Int, fanIn: Int, using generator: inout Xoshiro256StarStar
    ) {
        let count = fanOut * fanIn
        func uniform(_ bound: Double) {
            for index in 0..<count { values[index] = Float(generator.uniform(-bound, bound)) }
        }
        func normal(_ variance: Double) {
            let deviation = variance.squareRoot()
            for index in 0..<count { values[index] = Float(generator.normal(standardDeviation: deviation)) }
        }
        let fanIn = Double(fanIn)
        let fanOut = Double(fanOut)
        switch self {
        case .zeros: values.update(repeating: 0, count: count)
        case .constant(let value): values.update(repeating: value, count: count)
        case .uniform(let bound): uniform(Double(bound))
        case .normal(let deviation): normal(Double(deviation) * Double(deviation))
        case .xavierUniform: uniform((6 / (fanIn + fanOut)).squareRoot())
        case .xavierNormal: normal(2 / (fanIn + fanOut))
        case .heUniform: uniform((6 / fanIn).squareRoot())
        case .heNormal: normal(2 / fanIn)
        case .lecunUniform: uniform((3 / fanIn).squareRoot())
        case .lecunNormal: normal(1 / fanIn)
        case .orthogonal: Initializer.fillOrthogonal(values, rows: Int(fanOut), columns: Int(fanIn), &generator)
        case .file, .run: preconditionFailure("pretrained weights are loaded, not drawn")
        }
    }

    /// Orthogonal initialization (Saxe et al. 2014): draw a Gaussian matrix with the larger dimension as rows,
    /// orthonormalise its columns by modified Gram–Schmidt in Double (the Q of QR; signs follow R's positive
    /// diagonal), and transpose when the tensor is wide.
    static func fillOrthogonal(
        _ values: UnsafeMutablePointer<Float>, rows: Int, columns: Int, _ generator: inout Xoshiro256StarStar
    ) {
        let tall = max(rows, columns)
        let narrow = min(rows, columns)
        var matrix = (0..<(tall * narrow)).map { _ in generator.normal() }  // tall × narrow, row-major
        for column in 0..<narrow {
            for previous in 0..<column {
                var dot = 0.0
                for row in 0..<tall { dot += matrix[row * narrow + column] * matrix[row * narrow + previous] }
                for row in 0..<tall { matrix[row * narrow + column] -= dot * matrix[row * narrow + previous] }
            }
            var norm = 0.0
            for row in 0..<tall { norm += matrix[row * narrow + column] * matrix[row * narrow + column] }
            norm = norm.squareRoot()
            for row in 0..<tall { matrix[row * narrow + column] /= norm > 0 ? norm : 1 }
        }
        for row in 0..<rows {
            for column in 0..<columns {
                let value = rows >= columns ? matrix[row * narrow + column] : matrix[column * narrow + row]
                values[row * columns + column] = Float(value)
            }
        }
    }
}

/// An initializer is written, stored and shown as its name: `he-uniform`, `constant:0.5`, `file:w.safetensors`, `run:7`.
extension Initializer: CustomStringConvertible, Codable {
    public var description: String {
        switch self {
        case .zeros: return "zeros"
        case .constant(let value): return "constant:\(Initializer.format(value))"
        case .uniform(let bound): return "uniform:\(Initializer.format(bound))"
        case .normal(let deviation): return "normal:\(Initializer.format(deviation))"
        case .xavierUniform: return "xavier-uniform"
        case .xavierNormal: return "xavier-normal"
        case .heUniform: return "he-uniform"
        case .heNormal: return "he-normal"
        case .lecunUniform: return "lecun-uniform"
        case .lecunNormal: return "lecun-normal"
        case .orthogonal: return "orthogonal"
        case .file(let path): return "file:\(path)"
        case .run(let id): return "run:\(id)"
        }
    }

    /// `1` rather than `1.0`, else the shortest text that reads back to the same Float (`0.05`).
    private static func format(_ value: Float) -> String {
        value == value.rounded() && abs(value) < 1e7 ? String(Int(value)) : "\(value)"
    }

    public init(from decoder: Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        do {
            try self.init(name: name)
        } catch {
            throw DecodingError.dataCorrupted(
                DecodingError.Context(codingPath: decoder.codingPath, debugDescription: "\(error)"))
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
