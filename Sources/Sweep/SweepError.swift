/// A one-line error about a sweep: the spec, its plan, the queue or a worker. The message names the field (with its
/// YAML line and column when known) and the value at fault, e.g.
/// `sweep.yaml:4:3: unknown key 'paramters' (did you mean 'parameters'?)`.
public struct SweepError: Error, CustomStringConvertible, Equatable, Sendable {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
