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
public enum ScheduleKind: String, CaseIterable, Sendable, Codable { case constant, step, exponential, cosine }

/// A `ScheduleKind` with its settings, answering the rate of each step.
public struct LearningRateSchedule: Sendable {
    public typealias Kind = ScheduleKind

    /// The schedule's hyperparameters, as `TrainingConfiguration` holds them (ranges are checked there, by the
    /// parameter registry).
    public struct Settings: Sendable, Equatable {
        public var kind: ScheduleKind
        public var baseRate: Double
        public var gamma: Double
        public var stepSize: Int
        public var warmupSteps: Int

        public init(kind: ScheduleKind, baseRate: Double, gamma: Double = 0.1, stepSize: Int = 10, warmupSteps: Int = 0) {
            self.kind = kind
            self.baseRate = baseRate
            self.gamma = gamma
            self.stepSize = stepSize
            self.warmupSteps = warmupSteps
        }
    }

    public let kind: Kind
    public let baseRate: Double
    public let gamma: Double
    public let stepSize: Int
    public let warmupSteps: Int
    public let plannedSteps: Int

    public init(_ settings: Settings, plannedSteps: Int) {
        kind = settings.kind
        baseRate = settings.baseRate
        gamma = settings.gamma
        stepSize = settings.stepSize
        warmupSteps = settings.warmupSteps
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
