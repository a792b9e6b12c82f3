import Engine

/// A sweep's swept parameters as TPE's axes: each non-fixed parameter of the spec, in spec order, with its
/// internal representation (a Double):
/// - `values` / categorical: the index of the value in the list (categorical axis);
/// - uniform: the value; log_uniform: the value, modelled in ln-space;
/// - int_uniform: the integer (discrete, step 1);
/// - q_uniform: the index k of the multiple k·q (discrete, step 1 over the multiples inside [min, max]).
/// Fixed parameters are not axes; they take their value in every trial.
public struct SearchSpace: Sendable, Equatable {
    public struct Axis: Sendable, Equatable {
        public var name: String
        public var domain: SweepSpec.Domain
        public var dimension: SearchDimension
    }

    public var parameters: [SweepSpec.Parameter]
    public var axes: [Axis]

    public init(_ spec: SweepSpec) {
        parameters = spec.parameters
        axes = spec.parameters.compactMap { parameter in
            SearchSpace.dimension(of: parameter.domain).map { Axis(name: parameter.name, domain: parameter.domain, dimension: $0) }
        }
    }

    static func dimension(of domain: SweepSpec.Domain) -> SearchDimension? {
        switch domain {
        case .fixed: return nil
        case .values(let values): return values.count > 1 ? .categorical(count: values.count) : nil
        case .uniform(let min, let max): return .numeric(low: min, high: max, log: false, step: nil)
        case .logUniform(let min, let max): return .numeric(low: min, high: max, log: true, step: nil)
        case .intUniform(let min, let max): return .numeric(low: Double(min), high: Double(max), log: false, step: 1)
        case .qUniform(let min, let max, let q):
            let multiples = SweepSpec.Domain.multiples(min: min, max: max, q: q) ?? 0...0
            return .numeric(low: Double(multiples.lowerBound), high: Double(multiples.upperBound), log: false, step: 1)
        }
    }

    /// The internal value of `value` on `axis`; nil when the value is not one the axis can take.
    public func internalValue(_ value: ParameterValue, axis: Axis) -> Double? {
        switch axis.domain {
        case .values(let values):
            // The configuration reads back a Double field's `0` as `.double(0)` where the spec wrote `.int(0)`.
            let index = values.firstIndex(of: value)
                ?? values.firstIndex { $0.number != nil && $0.number == value.number }
                ?? values.firstIndex { $0.description == value.description }
            return index.map(Double.init)
        case .qUniform(_, _, let q): return value.number.map { ($0 / q).rounded() }
        default: return value.number
        }
    }

    /// The parameter value of internal value `x` on `axis`.
    public func parameterValue(_ x: Double, axis: Axis) -> ParameterValue {
        switch axis.domain {
        case .values(let values): return values[Int(x)]
        case .intUniform: return .int(Int(x.rounded()))
        case .qUniform(_, _, let q):
            let value = x.rounded() * q
            if q == q.rounded(), abs(value) < 1e15 { return .int(Int(value)) }
            return .double(value)
        default: return .double(x)
        }
    }

    /// A trial's point from its assignments (by parameter name); nil when one axis has no valid value.
    public func point(of assignments: [(String, ParameterValue)]) -> [Double]? {
        var result: [Double] = []
        for axis in axes {
            guard let value = assignments.first(where: { $0.0 == axis.name })?.1, let x = internalValue(value, axis: axis) else { return nil }
            result.append(x)
        }
        return result
    }

    /// Every parameter's value in spec order: fixed ones (and one-value lists) as written, axes from `point`.
    public func assignments(of point: [Double]) -> [(String, ParameterValue)] {
        parameters.map { parameter in
            if let axis = axes.firstIndex(where: { $0.name == parameter.name }) {
                return (parameter.name, parameterValue(point[axis], axis: axes[axis]))
            }
            switch parameter.domain {
            case .fixed(let value): return (parameter.name, value)
            case .values(let values): return (parameter.name, values[0])
            default: preconditionFailure("every distribution is an axis")
            }
        }
    }
}
