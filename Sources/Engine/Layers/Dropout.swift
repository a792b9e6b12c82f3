/// Inverted dropout: in training each unit is kept with probability `1 − p` and scaled by `1/(1 − p)`,
/// `y = x · m / (1 − p)` with `m ~ Bernoulli(1 − p)`; in evaluation `y = x`. Backward: `∂L/∂x = g · m / (1 − p)`.
/// The mask comes from the layer's own seeded generator, so runs stay reproducible.
public final class Dropout: Layer {
    public let kind = "dropout"
    public let inputWidth: Int
    public var outputWidth: Int { inputWidth }
    public let probability: Float
    private var generator: Xoshiro256StarStar

    private let output = Workspace()
    private let mask = Workspace()
    private let inputGradient = Workspace()
    private var maskApplied = false

    public init(width: Int, probability: Float, seed: UInt64) {
        inputWidth = width
        self.probability = probability
        generator = Xoshiro256StarStar(seed: seed, stream: "dropout")
    }

    public func forward(_ input: UnsafePointer<Float>, batch: Int, training: Bool) -> UnsafePointer<Float> {
        let count = batch * inputWidth
        let y = output.reserve(count)
        maskApplied = training && probability > 0
        guard maskApplied else {
            y.update(from: input, count: count)
            return UnsafePointer(y)
        }
        let scaledMask = mask.reserve(count)
        let keep = 1 - Double(probability)
        let scale = 1 / Float(keep)
        for index in 0..<count {
            scaledMask[index] = generator.nextUnit() < keep ? scale : 0
            y[index] = input[index] * scaledMask[index]
        }
        return UnsafePointer(y)
    }

    public func backward(_ outputGradient: UnsafePointer<Float>, batch: Int, needInputGradient: Bool)
        -> UnsafePointer<Float>?
    {
        guard needInputGradient else { return nil }
        let count = batch * inputWidth
        let dx = inputGradient.reserve(count)
        if maskApplied {
            let scaledMask = mask.pointer
            for index in 0..<count { dx[index] = outputGradient[index] * scaledMask[index] }
        } else {
            dx.update(from: outputGradient, count: count)
        }
        return UnsafePointer(dx)
    }
}
