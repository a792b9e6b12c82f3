/// An error with a one-line message meant for the user: it names the field and the value at fault.
public struct EngineError: Error, CustomStringConvertible, Equatable, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    /// `invalid batch_size 0: must be at least 1`.
    public static func invalid(_ field: String, _ value: Any, _ reason: String) -> EngineError {
        EngineError("invalid \(field) \(quoted(value)): \(reason)")
    }

    public var description: String { message }

    static func quoted(_ value: Any) -> String {
        if let text = value as? String { return "'\(text)'" }
        return "\(value)"
    }
}
