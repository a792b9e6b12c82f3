#if canImport(Glibc)
    import Glibc
#else
    import Darwin
#endif

/// The learning rate at each step. With base rate η, global step s (from 1), epoch e (from 1), T planned steps:
///
/// - `constant`: η
/// - `step`: η · γ^⌊(e − 1) / stepSize⌋
/// - `exponential`: η · γ^(e − 1)
/// - `cosine`: η · ½(1 + cos(π · (s − 1) / T))
///
/// and with a linear warm-up of W steps the rate is multiplied by `s / W` while `s ≤ W`.
public struct LearningRateSchedule: Sendable {
    public enum Kind: String, CaseIterable, Sendable { case constant, step, exponential, cosine }
    public static let names = Kind.allCases.map(\.rawValue)

    public let kind: Kind
    public let baseRate: Double
    public let gamma: Double
    public let stepSize: Int
    public let warmupSteps: Int
    public let plannedSteps: Int

    public init(configuration: TrainingConfiguration, plannedSteps: Int) throws {
        guard let kind = Kind(rawValue: configuration.schedule.lowercased()) else {
            throw EngineError.invalid(
                "schedule", configuration.schedule, "expected one of \(LearningRateSchedule.names.joined(separator: ", "))")
        }
        let rate = configuration.learningRate
        guard rate.isFinite, rate > 0 else {
            throw EngineError.invalid("learning_rate", rate, "must be a positive finite number")
        }
        guard configuration.scheduleGamma.isFinite, configuration.scheduleGamma > 0 else {
            throw EngineError.invalid("schedule_gamma", configuration.scheduleGamma, "must be a positive finite number")
        }
        guard configuration.scheduleStepSize >= 1 else {
            throw EngineError.invalid("schedule_step_size", configuration.scheduleStepSize, "must be at least 1")
        }
        guard configuration.warmupSteps >= 0 else {
            throw EngineError.invalid("warmup_steps", configuration.warmupSteps, "must be ≥ 0")
        }
        self.kind = kind
        baseRate = rate
        gamma = configuration.scheduleGamma
        stepSize = configuration.scheduleStepSize
        warmupSteps = configuration.warmupSteps
        self.plannedSteps = max(plannedSteps, 1)
    }

    /// True when every step uses the base rate.
    public var isConstant: Bool { kind == .constant && warmupSteps == 0 }

    public func rate(step: Int, epoch: Int) -> Double {
        var rate: Double
        switch kind {
        case .constant: rate = baseRate
        case .step: rate = baseRate * pow(gamma, Double((epoch - 1) / stepSize))
        case .exponential: rate = baseRate * pow(gamma, Double(epoch - 1))
        case .cosine: rate = baseRate * 0.5 * (1 + cos(Double.pi * Double(step - 1) / Double(plannedSteps)))
        }
        if warmupSteps > 0 && step <= warmupSteps {
            rate *= Double(step) / Double(warmupSteps)
        }
        return rate
    }
}
