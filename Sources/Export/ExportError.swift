/// An export that cannot go on: one line naming what and why.
public struct ExportError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) { self.description = description }
}

/// Where an exporter says, in one line each, what it could not carry (a NaN loss, a name the target forbids); it
/// carries the rest. The CLI prints them on standard error.
public typealias ExportNotes = (String) -> Void
