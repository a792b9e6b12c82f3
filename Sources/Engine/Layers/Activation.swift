#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// The elementwise nonlinearities. Each case states `f(x)` and the derivative used by `backward`.
public enum ActivationKind: String, CaseIterable, Sendable, Codable {
    /// `f(x) = max(0, x)`, `f'(x) = 1 if x > 0 else 0`.
    case relu
    /// `f(x) = x if x > 0 else α·x` with α = 0.01, `f'(x) = 1 or α`.
    case leakyRelu = "leaky-relu"
    /// `f(x) = 1 / (1 + e^(−x))`, `f'(x) = f(x)·(1 − f(x))`.
    case sigmoid
    /// `f(x) = tanh(x)`, `f'(x) = 1 − f(x)²`.
    case tanh
    /// Exact GELU, `f(x) = x·Φ(x) = ½x(1 + erf(x/√2))`, `f'(x) = Φ(x) + x·φ(x)`.
    case gelu
    /// `f(x) = x` (no activation).
    case identity

}

/// An activation layer: applies `ActivationKind` elementwise.
public final class Activation: Layer {
    public let function: ActivationKind
    public let inputWidth: Int
    public var outputWidth: Int { inputWidth }
    public var kind: String { function.rawValue }
    public static let leakySlope: Float = 0.01

    private let output = Workspace()
    private let inputGradient = Workspace()
    private var lastInput: UnsafePointer<Float>?

    public init(_ function: ActivationKind, width: Int) {
        self.function = function
        inputWidth = width
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float> {
        lastInput = input
        let count = batch * inputWidth
        let y = output.reserve(count)
        switch function {
        case .relu:
            Vectorized.relu(input, y, count)
        case .leakyRelu:
            let slope = Activation.leakySlope
            for index in 0..<count {
                let x = input[index]
                y[index] = x > 0 ? x : slope * x
            }
        case .sigmoid:
            for index in 0..<count { y[index] = 1 / (1 + expf(-input[index])) }
        case .tanh:
            for index in 0..<count { y[index] = tanhf(input[index]) }
        case .gelu:
            for index in 0..<count {
                let x = input[index]
                y[index] = 0.5 * x * (1 + erff(x * 0.707_106_77))
            }
        case .identity:
            y.update(from: input, count: count)
        }
        return UnsafePointer(y)
    }

    public func backward(_ outputGradient: UnsafePointer<Float>, batch: Int, needInputGradient: Bool)
        -> UnsafePointer<Float>?
    {
        guard needInputGradient else { return nil }
        guard let x = lastInput else { preconditionFailure("Activation.backward before forward") }
        let count = batch * inputWidth
        let y = UnsafePointer(output.pointer)
        let dx = inputGradient.reserve(count)
        let dy = outputGradient
        switch function {
        case .relu:
            Vectorized.reluBackward(x, dy, dx, count)
        case .leakyRelu:
            let slope = Activation.leakySlope
            for index in 0..<count { dx[index] = x[index] > 0 ? dy[index] : slope * dy[index] }
        case .sigmoid:
            for index in 0..<count { dx[index] = dy[index] * y[index] * (1 - y[index]) }
        case .tanh:
            for index in 0..<count { dx[index] = dy[index] * (1 - y[index] * y[index]) }
        case .gelu:
            let inverseSqrtTwoPi: Float = 0.398_942_28
            for index in 0..<count {
                let value = x[index]
                let cdf = 0.5 * (1 + erff(value * 0.707_106_77))
                let pdf = inverseSqrtTwoPi * expf(-0.5 * value * value)
                dx[index] = dy[index] * (cdf + value * pdf)
            }
        case .identity:
            dx.update(from: dy, count: count)
        }
        return UnsafePointer(dx)
    }
}

/// Explicit 8-lane loops for the hottest elementwise kernels (the compiler cannot vectorise the scalar loops by
/// itself because the pointers might alias).
enum Vectorized {
    typealias Lanes = SIMD8<Float>

    /// `y = max(x, 0)`.
    @inline(__always)
    static func relu(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, _ count: Int) {
        let raw = UnsafeRawPointer(x)
        let output = UnsafeMutableRawPointer(y)
        var index = 0
        while index + 8 <= count {
            let value = raw.loadUnaligned(fromByteOffset: index * 4, as: Lanes.self)
            output.storeBytes(of: value.replacing(with: 0, where: value .< 0), toByteOffset: index * 4, as: Lanes.self)
            index += 8
        }
        while index < count {
            y[index] = max(x[index], 0)
            index += 1
        }
    }

    /// `dx = x > 0 ? dy : 0`.
    @inline(__always)
    static func reluBackward(
        _ x: UnsafePointer<Float>, _ dy: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, _ count: Int
    ) {
        let input = UnsafeRawPointer(x)
        let gradient = UnsafeRawPointer(dy)
        let output = UnsafeMutableRawPointer(dx)
        var index = 0
        while index + 8 <= count {
            let value = input.loadUnaligned(fromByteOffset: index * 4, as: Lanes.self)
            let upstream = gradient.loadUnaligned(fromByteOffset: index * 4, as: Lanes.self)
            output.storeBytes(
                of: upstream.replacing(with: 0, where: value .<= 0), toByteOffset: index * 4, as: Lanes.self)
            index += 8
        }
        while index < count {
            dx[index] = x[index] > 0 ? dy[index] : 0
            index += 1
        }
    }
}
