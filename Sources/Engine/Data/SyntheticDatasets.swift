/// Seeded toy generators. Each draws from `Xoshiro256StarStar(seed: seed, stream: "data")`, so the same seed and
/// parameters give the same samples on every platform. Rows are shuffled (with the same generator) so that the classes
/// are interleaved. `N(0, 1)` below is a standard normal draw, `U[a, b)` a uniform one.
///
/// - `spirals` (2-D, `classes` K = 3, `noise` σ = 0.2): class k has ⌊N/K⌋ samples (the first N mod K classes one
///   more); its j-th of n samples has radius r = (j + 1)/n and angle θ = 2πk/K + 4r + σ·N(0, 1); x = (r sin θ, r cos θ).
/// - `moons` (2-D, 2 classes, σ = 0.1): ⌊N/2⌋ points (cos t, sin t) of class 0 and the rest (1 − cos t, 0.5 − sin t)
///   of class 1, t ~ U[0, π), plus σ·N(0, 1) on each coordinate (scikit-learn's `make_moons` with random t).
/// - `blobs` (`dimensions` D = 2, K = 3, σ = 1): K centres drawn U[−10, 10)^D first; class k as in spirals;
///   x = centre_k + σ·N(0, 1) per coordinate.
/// - `xor` (2-D, 2 classes, σ = 0.05): u ~ U[−1, 1)², label = 1 when u₀ and u₁ have different signs (u > 0 test),
///   x = u + σ·N(0, 1) per coordinate.
/// - `sine` (regression, 1 feature, σ = 0.1): x ~ U[−π, π), target y = sin x + σ·N(0, 1).
public enum SyntheticDatasets {
    public static let names = ["spirals", "moons", "blobs", "xor", "sine"]

    /// Optional parameters; nil means the generator's default. Not every generator takes every parameter.
    public struct Parameters: Sendable, Equatable {
        public var classes: Int?
        public var dimensions: Int?
        public var noise: Double?

        public init(classes: Int? = nil, dimensions: Int? = nil, noise: Double? = nil) {
            self.classes = classes
            self.dimensions = dimensions
            self.noise = noise
        }
    }

    /// Generates `sampleCount` samples of generator `name`.
    public static func generate(_ name: String, sampleCount: Int, seed: UInt64, parameters: Parameters = Parameters())
        throws -> Dataset
    {
        guard names.contains(name) else {
            throw EngineError("unknown synthetic dataset '\(name)' (expected one of: \(names.joined(separator: ", ")))")
        }
        try check(name, parameters)
        let noise = parameters.noise ?? ["spirals": 0.2, "moons": 0.1, "blobs": 1.0, "xor": 0.05, "sine": 0.1][name]!
        let classes = parameters.classes ?? (name == "spirals" || name == "blobs" ? 3 : 2)
        guard sampleCount >= 1 else {
            throw EngineError.invalid("synthetic_samples", sampleCount, "must be at least 1")
        }
        guard name == "sine" || sampleCount >= classes else {
            throw EngineError.invalid("synthetic_samples", sampleCount, "must be at least the class count \(classes)")
        }
        var random = Xoshiro256StarStar(seed: seed, stream: "data")
        var generated: Dataset
        switch name {
        case "spirals": generated = spirals(sampleCount, classes: classes, noise: noise, &random)
        case "moons": generated = moons(sampleCount, noise: noise, &random)
        case "blobs":
            generated = blobs(sampleCount, classes: classes, dimensions: parameters.dimensions ?? 2, noise: noise, &random)
        case "xor": generated = xor(sampleCount, noise: noise, &random)
        default: return sine(sampleCount, noise: noise, &random)
        }
        var order = Array(0 ..< sampleCount)
        random.shuffle(&order)
        generated = generated.subset(order)
        return generated
    }

    private static func check(_ name: String, _ parameters: Parameters) throws {
        if let classes = parameters.classes {
            guard name == "spirals" || name == "blobs" else {
                throw EngineError("invalid parameter 'classes' for \(name): only spirals and blobs take it")
            }
            guard classes >= 2 && classes <= 1000 else {
                throw EngineError.invalid("classes", classes, "must be between 2 and 1000")
            }
        }
        if let dimensions = parameters.dimensions {
            guard name == "blobs" else {
                throw EngineError("invalid parameter 'dimensions' for \(name): only blobs takes it")
            }
            guard dimensions >= 1 && dimensions <= 100_000 else {
                throw EngineError.invalid("dimensions", dimensions, "must be between 1 and 100000")
            }
        }
        if let noise = parameters.noise {
            guard noise.isFinite && noise >= 0 else {
                throw EngineError.invalid("noise", noise, "must be a finite number ≥ 0")
            }
        }
    }

    /// Samples of class `k` when `total` samples are shared by `classes` classes as evenly as possible.
    static func classSize(_ k: Int, total: Int, classes: Int) -> Int {
        total / classes + (k < total % classes ? 1 : 0)
    }

    private static func spirals(_ count: Int, classes: Int, noise: Double, _ random: inout Xoshiro256StarStar) -> Dataset {
        var values: [Float] = []
        var labels: [Int32] = []
        values.reserveCapacity(2 * count)
        for k in 0 ..< classes {
            let size = classSize(k, total: count, classes: classes)
            for j in 0 ..< size {
                let radius = Double(j + 1) / Double(size)
                let angle = 2 * Double.pi * Double(k) / Double(classes) + 4 * radius + noise * random.normal()
                values += [Float(radius * _sin(angle)), Float(radius * _cos(angle))]
                labels.append(Int32(k))
            }
        }
        return Dataset(
            name: "spirals", features: Matrix(rows: count, columns: 2, values: values), labels: labels,
            classCount: classes, featureNames: ["x", "y"])
    }

    private static func moons(_ count: Int, noise: Double, _ random: inout Xoshiro256StarStar) -> Dataset {
        var values: [Float] = []
        var labels: [Int32] = []
        values.reserveCapacity(2 * count)
        let outer = count / 2
        for index in 0 ..< count {
            let t = random.uniform(0, Double.pi)
            let (x, y) = index < outer ? (_cos(t), _sin(t)) : (1 - _cos(t), 0.5 - _sin(t))
            values += [Float(x + noise * random.normal()), Float(y + noise * random.normal())]
            labels.append(index < outer ? 0 : 1)
        }
        return Dataset(
            name: "moons", features: Matrix(rows: count, columns: 2, values: values), labels: labels, classCount: 2,
            featureNames: ["x", "y"])
    }

    private static func blobs(
        _ count: Int, classes: Int, dimensions: Int, noise: Double, _ random: inout Xoshiro256StarStar
    ) -> Dataset {
        let centres = (0 ..< classes * dimensions).map { _ in random.uniform(-10, 10) }
        var values: [Float] = []
        var labels: [Int32] = []
        values.reserveCapacity(dimensions * count)
        for k in 0 ..< classes {
            for _ in 0 ..< classSize(k, total: count, classes: classes) {
                for d in 0 ..< dimensions {
                    values.append(Float(centres[k * dimensions + d] + noise * random.normal()))
                }
                labels.append(Int32(k))
            }
        }
        return Dataset(
            name: "blobs", features: Matrix(rows: count, columns: dimensions, values: values), labels: labels,
            classCount: classes, featureNames: (0 ..< dimensions).map { "x\($0)" })
    }

    private static func xor(_ count: Int, noise: Double, _ random: inout Xoshiro256StarStar) -> Dataset {
        var values: [Float] = []
        var labels: [Int32] = []
        values.reserveCapacity(2 * count)
        for _ in 0 ..< count {
            let u = random.uniform(-1, 1)
            let v = random.uniform(-1, 1)
            labels.append((u > 0) != (v > 0) ? 1 : 0)
            values += [Float(u + noise * random.normal()), Float(v + noise * random.normal())]
        }
        return Dataset(
            name: "xor", features: Matrix(rows: count, columns: 2, values: values), labels: labels, classCount: 2,
            featureNames: ["x", "y"])
    }

    private static func sine(_ count: Int, noise: Double, _ random: inout Xoshiro256StarStar) -> Dataset {
        var inputs: [Float] = []
        var targets: [Float] = []
        for _ in 0 ..< count {
            let x = random.uniform(-Double.pi, Double.pi)
            inputs.append(Float(x))
            targets.append(Float(_sin(x) + noise * random.normal()))
        }
        return Dataset(
            name: "sine", features: Matrix(rows: count, columns: 1, values: inputs),
            targets: Matrix(rows: count, columns: 1, values: targets), classCount: 0, featureNames: ["x"])
    }
}

#if canImport(Glibc)
    import Glibc
    @inline(__always) private func _sin(_ x: Double) -> Double { Glibc.sin(x) }
#else
    import Darwin
    @inline(__always) private func _sin(_ x: Double) -> Double { Darwin.sin(x) }
#endif
