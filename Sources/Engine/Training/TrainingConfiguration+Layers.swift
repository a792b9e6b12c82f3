extension TrainingConfiguration {
    /// The largest model Logbook trains: 2²⁸ parameters (1 GiB of weights, as much again for gradients).
    public static let maximumParameterCount = 1 << 28

    /// The layer widths as written on the command line, `64-128-10` (0 = from the data).
    public var layerText: String { TrainingConfiguration.layerText(layers) }

    static func layerText(_ widths: [Int]) -> String { widths.map(String.init).joined(separator: "-") }

    /// Parses `64-128-10` (also `784,256,10`); `?` or `0` at either end means "from the data".
    public static func parseLayers(_ text: String) throws -> [Int] {
        let parts = text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == "," || $0 == "x" })
            .map(String.init)
        var widths: [Int] = []
        for part in parts {
            if part == "?" {
                widths.append(0)
            } else if part.isEmpty {
                throw EngineError.invalid("layers", text, "a width is missing (write widths like 64-128-10)")
            } else if let width = Int(part), width >= 0 {
                widths.append(width)
            } else {
                throw EngineError.invalid("layers", text, "'\(part)' is not a layer width")
            }
        }
        if let problem = layersProblem(widths) { throw EngineError.invalid("layers", text, problem) }
        return widths
    }

    /// Why `widths` cannot be a model (nil when they can): fewer than two widths, a hidden width of 0, or more
    /// than `maximumParameterCount` parameters (counted with overflow checks, before anything is allocated).
    static func layersProblem(_ widths: [Int]) -> String? {
        guard widths.count >= 2 else { return "needs at least an input and an output width, e.g. 64-128-10" }
        for (index, width) in widths.enumerated() {
            let isEnd = index == 0 || index == widths.count - 1
            guard width > 0 || (isEnd && width == 0) else {
                return "width \(width) at position \(index + 1) must be positive"
            }
        }
        var parameterCount = 0
        for index in 0..<(widths.count - 1) {
            let (product, overflow) = max(widths[index], 1).multipliedReportingOverflow(by: max(widths[index + 1], 1))
            parameterCount = overflow ? Int.max : parameterCount.addingReportingOverflow(product + widths[index + 1]).partialValue
            if overflow || parameterCount > maximumParameterCount {
                return "more than \(maximumParameterCount) parameters (the limit of one model)"
            }
        }
        return nil
    }
}
