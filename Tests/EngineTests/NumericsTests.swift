import XCTest

@testable import Engine

/// Layers, losses, optimizers and schedules against values computed by hand.
final class NumericsTests: XCTestCase {
    private func run(_ layer: Layer, _ input: [Float], batch: Int, training: Bool = true) -> [Float] {
        input.withUnsafeBufferPointer { x in
            let y = layer.forward(x.baseAddress!, batch: batch, training: training)
            return Array(UnsafeBufferPointer(start: y, count: batch * layer.outputWidth))
        }
    }

    func testDenseForwardAndBackwardByHand() {
        let dense = Dense(inputWidth: 2, outputWidth: 3)
        dense.weightMatrix = [1, 2, 3, 4, 5, 6]  // rows: units
        dense.bias.values = [0.5, -1, 2]
        let input: [Float] = [1, -1, 2, 0.5]  // two samples
        input.withUnsafeBufferPointer { x in
            let y = dense.forward(x.baseAddress!, batch: 2, training: true)
            // y = x·Wᵀ + b: sample 1 = [1−2, 3−4, 5−6] + b, sample 2 = [2+1, 6+2, 10+3] + b
            XCTAssertEqual(Array(UnsafeBufferPointer(start: y, count: 6)), [-0.5, -2, 1, 3.5, 7, 15])
            let g: [Float] = [1, 0, -1, 2, 1, 0]
            g.withUnsafeBufferPointer { gradient in
                let dx = dense.backward(gradient.baseAddress!, batch: 2, needInputGradient: true)!
                // ∂L/∂X = G·W: [1·(1,2) − (5,6), 2·(1,2) + (3,4)]
                XCTAssertEqual(Array(UnsafeBufferPointer(start: dx, count: 4)), [-4, -4, 5, 8])
            }
        }
        // ∂L/∂W = Gᵀ·X, ∂L/∂b = column sums of G
        XCTAssertEqual(dense.weightGradientMatrix, [1 + 4, -1 + 1, 2, 0.5, -1, 1])
        XCTAssertEqual(dense.weight.shape, [2, 3], "stored transposed")
        XCTAssertEqual(dense.bias.gradients, [3, 1, -1])
    }

    func testFusedSGDEqualsBackwardThenStep() {
        let fused = Dense(inputWidth: 3, outputWidth: 2)
        let plain = Dense(inputWidth: 3, outputWidth: 2)
        fused.weightMatrix = [0.1, -0.2, 0.3, 0.4, 0.5, -0.6]
        plain.weight.values = fused.weight.values
        fused.bias.values = [0.25, -0.5]
        plain.bias.values = fused.bias.values
        let input: [Float] = [1, 2, 3, -1, 0.5, 2]
        let g: [Float] = [0.5, -1, 2, 0.25]
        input.withUnsafeBufferPointer { x in
            g.withUnsafeBufferPointer { gradient in
                _ = plain.forward(x.baseAddress!, batch: 2, training: true)
                _ = plain.backward(gradient.baseAddress!, batch: 2, needInputGradient: false)
                _ = fused.forward(x.baseAddress!, batch: 2, training: true)
                _ = fused.backwardApplyingSGD(gradient.baseAddress!, batch: 2, needInputGradient: false, learningRate: 0.1)
            }
        }
        let expected = zip(plain.weight.values, plain.weight.gradients).map { $0 - 0.1 * $1 }
        for (a, b) in zip(fused.weight.values, expected) { XCTAssertEqual(a, b, accuracy: 1e-6) }
        let expectedBias = zip(plain.bias.values, plain.bias.gradients).map { $0 - 0.1 * $1 }
        for (a, b) in zip(fused.bias.values, expectedBias) { XCTAssertEqual(a, b, accuracy: 1e-6) }
    }

    func testActivationsByHand() {
        let input: [Float] = [-2, -0.5, 0, 1.5]
        XCTAssertEqual(run(Activation(.relu, width: 4), input, batch: 1), [0, 0, 0, 1.5])
        XCTAssertEqual(run(Activation(.leakyRelu, width: 4), input, batch: 1), [-0.02, -0.005, 0, 1.5])
        let sigmoid = run(Activation(.sigmoid, width: 4), input, batch: 1)
        XCTAssertEqual(sigmoid[2], 0.5)
        XCTAssertEqual(sigmoid[0], 1 / (1 + exp(2)), accuracy: 1e-7)
        XCTAssertEqual(run(Activation(.tanh, width: 4), input, batch: 1)[3], tanh(1.5), accuracy: 1e-7)
        // GELU(1.5) = 1.5·Φ(1.5) = 1.5 × 0.9331928 = 1.3997892
        XCTAssertEqual(run(Activation(.gelu, width: 4), input, batch: 1)[3], 1.3997892, accuracy: 1e-5)
    }

    func testBatchNormTrainingAndEvaluationByHand() {
        let norm = BatchNorm(width: 1, momentum: 0.1, epsilon: 0)
        // Batch [1, 3]: μ = 2, σ² = 1 ⇒ x̂ = [−1, 1]; running mean 0.9·0 + 0.1·2 = 0.2,
        // running variance 0.9·1 + 0.1·(unbiased 2) = 1.1.
        XCTAssertEqual(run(norm, [1, 3], batch: 2), [-1, 1])
        XCTAssertEqual(norm.runningMean.values[0], 0.2, accuracy: 1e-7)
        XCTAssertEqual(norm.runningVariance.values[0], 1.1, accuracy: 1e-6)
        norm.gamma.values = [2]
        norm.beta.values = [0.5]
        // Evaluation uses the running statistics: 2·(1.2 − 0.2)/√1.1 + 0.5.
        XCTAssertEqual(run(norm, [1.2], batch: 1, training: false)[0], 2 / Float(1.1).squareRoot() + 0.5, accuracy: 1e-6)
        XCTAssertEqual(norm.parameters.map(\.name), ["weight", "bias"])
        XCTAssertEqual(norm.buffers.map(\.name), ["running_mean", "running_var"])
    }

    func testLossesByHand() {
        // Cross-entropy of equal logits over 2 classes is ln 2; gradient (softmax − one-hot)/B.
        let crossEntropy = LossFunction(kind: .crossEntropy, width: 2)
        let logits: [Float] = [0, 0, 2, 0]
        let labels: [Int32] = [1, 0]
        let (loss, correct) = logits.withUnsafeBufferPointer { z in
            labels.withUnsafeBufferPointer { crossEntropy.evaluate(z.baseAddress!, batch: 2, targets: .labels($0.baseAddress!), computeGradient: true) }
        }
        let second = log(1 + exp(-2.0))  // −log softmax(2, 0)[0]
        XCTAssertEqual(loss, (log(2) + second) / 2, accuracy: 1e-6)
        XCTAssertEqual(correct, 1)  // argmax of the first row is class 0, its label is 1
        let gradient = Array(UnsafeBufferPointer(start: crossEntropy.gradient, count: 4))
        XCTAssertEqual(gradient[0], 0.25, accuracy: 1e-7)
        XCTAssertEqual(gradient[1], -0.25, accuracy: 1e-7)
        XCTAssertEqual(gradient[2], Float((1 / (1 + exp(-2.0)) - 1) / 2), accuracy: 1e-7)
        // A huge logit stays finite (log-sum-exp).
        let huge: [Float] = [1000, 0]
        let stable = huge.withUnsafeBufferPointer { z in
            [Int32(1)].withUnsafeBufferPointer { crossEntropy.evaluate(z.baseAddress!, batch: 1, targets: .labels($0.baseAddress!), computeGradient: false) }
        }
        XCTAssertEqual(stable.loss, 1000, accuracy: 1e-3)

        let mse = LossFunction(kind: .meanSquaredError, width: 2)
        let outputs: [Float] = [1, 2]
        let targets: [Float] = [0, 4]
        let squared = outputs.withUnsafeBufferPointer { y in
            targets.withUnsafeBufferPointer { mse.evaluate(y.baseAddress!, batch: 1, targets: .values($0.baseAddress!), computeGradient: true) }
        }
        XCTAssertEqual(squared.loss, 2.5)  // (1 + 4) / 2
        XCTAssertEqual(Array(UnsafeBufferPointer(start: mse.gradient, count: 2)), [1, -2])  // 2(y − t)/2

        let bce = LossFunction(kind: .binaryCrossEntropy, width: 1)
        let logit: [Float] = [0]
        let binary = logit.withUnsafeBufferPointer { z in
            [Int32(1)].withUnsafeBufferPointer { bce.evaluate(z.baseAddress!, batch: 1, targets: .labels($0.baseAddress!), computeGradient: true) }
        }
        XCTAssertEqual(binary.loss, log(2), accuracy: 1e-6)
        XCTAssertEqual(bce.gradient[0], -0.5)
    }

    func testOptimizerStepsByHand() throws {
        func parameter(_ value: Float, gradient: Float) -> Parameter {
            let p = Parameter(name: "w", shape: [1])
            p.values = [value]
            p.gradient[0] = gradient
            return p
        }
        var configuration = TrainingConfiguration()
        configuration.optimizer = .sgd
        configuration.momentum = 0.9
        let momentum = Optimizer(configuration.optimizerSettings)
        let w = parameter(1, gradient: 0.5)
        momentum.step([w], learningRate: 0.1)  // v = 0.5, w = 1 − 0.05
        XCTAssertEqual(w.values[0], 0.95, accuracy: 1e-7)
        momentum.step([w], learningRate: 0.1)  // v = 0.9·0.5 + 0.5 = 0.95, w = 0.95 − 0.095
        XCTAssertEqual(w.values[0], 0.855, accuracy: 1e-6)

        configuration.optimizer = .nesterov
        configuration.momentum = 0.5
        let nesterov = Optimizer(configuration.optimizerSettings)
        let n = parameter(1, gradient: 1)
        nesterov.step([n], learningRate: 0.1)  // v = 1, w = 1 − 0.1·(1 + 0.5)
        XCTAssertEqual(n.values[0], 0.85, accuracy: 1e-7)

        configuration.optimizer = .adam
        let adam = Optimizer(configuration.optimizerSettings)
        let a = parameter(1, gradient: -3)
        adam.step([a], learningRate: 0.01)  // m̂ = g, v̂ = g² ⇒ w − η·g/(|g| + ε)
        XCTAssertEqual(a.values[0], 1.01, accuracy: 1e-6)

        configuration.optimizer = .adamw
        configuration.weightDecay = 0.1
        let adamw = Optimizer(configuration.optimizerSettings)
        let d = parameter(2, gradient: 4)
        adamw.step([d], learningRate: 0.1)  // w·(1 − 0.01) − 0.1
        XCTAssertEqual(d.values[0], 2 * 0.99 - 0.1, accuracy: 1e-6)

        // Names and ranges are the registry's: checked when set by name and by `validate()`, before an optimizer
        // is built.
        XCTAssertThrowsError(try configuration.setParameter("optimizer", .string("rmsprop"))) { error in
            XCTAssertEqual("\(error)", "unknown optimizer 'rmsprop' (valid: sgd, momentum, nesterov, adam, adamw)")
        }
        configuration.optimizer = .sgd
        configuration.momentum = 1.5
        XCTAssertThrowsError(try configuration.validate()) { error in
            XCTAssertEqual("\(error)", "invalid momentum 1.5: must be in [0, 1)")
        }
    }

    func testSchedulesByHand() throws {
        var configuration = TrainingConfiguration()
        configuration.learningRate = 0.1
        configuration.schedule = .step
        configuration.scheduleGamma = 0.5
        configuration.scheduleStepSize = 2
        let step = LearningRateSchedule(configuration.scheduleSettings, plannedSteps: 100)
        XCTAssertEqual([1, 2, 3, 5].map { step.rate(step: 1, epoch: $0) }, [0.1, 0.1, 0.05, 0.025])
        configuration.schedule = .cosine
        let cosine = LearningRateSchedule(configuration.scheduleSettings, plannedSteps: 100)
        XCTAssertEqual(cosine.rate(step: 1, epoch: 1), 0.1, accuracy: 1e-12)
        XCTAssertEqual(cosine.rate(step: 51, epoch: 1), 0.05, accuracy: 1e-12)
        configuration.schedule = .exponential
        configuration.warmupSteps = 4
        let warm = LearningRateSchedule(configuration.scheduleSettings, plannedSteps: 100)
        XCTAssertEqual(warm.rate(step: 1, epoch: 1), 0.025, accuracy: 1e-12)
        XCTAssertEqual(warm.rate(step: 10, epoch: 3), 0.025, accuracy: 1e-12)
    }

    func testInitializersFollowTheirFormulas() throws {
        var generator = Xoshiro256StarStar(seed: 9)
        let fanIn = 200
        let fanOut = 100
        let count = fanIn * fanOut
        let values = UnsafeMutablePointer<Float>.allocate(capacity: count)
        defer { values.deallocate() }
        func statistics(_ name: String) throws -> (maximum: Float, variance: Double) {
            try Initializer(name: name).fill(values, fanOut: fanOut, fanIn: fanIn, using: &generator)
            let buffer = UnsafeBufferPointer(start: values, count: count)
            let mean = buffer.reduce(0.0) { $0 + Double($1) } / Double(count)
            let variance = buffer.reduce(0.0) { $0 + (Double($1) - mean) * (Double($1) - mean) } / Double(count)
            return (buffer.map(abs).max()!, variance)
        }
        let he = try statistics("he-uniform")
        XCTAssertLessThanOrEqual(he.maximum, Float((6.0 / 200).squareRoot()))
        XCTAssertEqual(he.variance, 2.0 / 200, accuracy: 0.05 * 2.0 / 200)  // U(−a, a) has variance a²/3
        XCTAssertEqual(try statistics("he-normal").variance, 2.0 / 200, accuracy: 0.05 * 2.0 / 200)
        XCTAssertEqual(try statistics("xavier-uniform").variance, 2.0 / 300, accuracy: 0.05 * 2.0 / 300)
        XCTAssertEqual(try statistics("xavier-normal").variance, 2.0 / 300, accuracy: 0.05 * 2.0 / 300)
        XCTAssertEqual(try statistics("lecun-normal").variance, 1.0 / 200, accuracy: 0.05 * 1.0 / 200)
        XCTAssertEqual(try statistics("normal:0.5").variance, 0.25, accuracy: 0.05 * 0.25)
        XCTAssertEqual(try statistics("zeros").maximum, 0)
        XCTAssertEqual(try statistics("constant:0.3").variance, 0, accuracy: 1e-12)

        // Orthogonal: the rows of a wide matrix are orthonormal, W·Wᵀ = I.
        let rows = 4
        let columns = 6
        try Initializer(name: "orthogonal").fill(values, fanOut: rows, fanIn: columns, using: &generator)
        for i in 0..<rows {
            for j in 0..<rows {
                var dot: Float = 0
                for k in 0..<columns { dot += values[i * columns + k] * values[j * columns + k] }
                XCTAssertEqual(dot, i == j ? 1 : 0, accuracy: 1e-5)
            }
        }
        XCTAssertThrowsError(try Initializer(name: "glorious")) { error in
            XCTAssertTrue("\(error)".hasPrefix("unknown initializer 'glorious' (valid: zeros, constant:V,"), "\(error)")
        }
    }

    func testGeneratorIsStableAcrossVersions() {
        // First outputs of xoshiro256** seeded through SplitMix64 with seed 0 — fixed forever, or runs stop reproducing.
        var generator = Xoshiro256StarStar(seed: 0)
        let first = (0..<3).map { _ in generator.next() }
        var again = Xoshiro256StarStar(seed: 0)
        XCTAssertEqual(first, (0..<3).map { _ in again.next() })
        XCTAssertEqual(first[0], 0x99EC_5F36_CB75_F2B4)
    }
}
