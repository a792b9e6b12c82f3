import Foundation

/// Connections that finished recorders gave back, with their prepared statements, kept (at most two) for the
/// next recorder: shared by the SQLite and PostgreSQL stores. Thread-safe.
final class SpareConnections<Connection>: @unchecked Sendable {
    private let lock = NSLock()
    private var spares: [Connection] = []

    func take() -> Connection? {
        lock.lock()
        defer { lock.unlock() }
        return spares.popLast()
    }

    /// Keeps `connection` when it is `reusable` and fewer than two are kept.
    func give(_ connection: Connection, reusable: Bool) {
        lock.lock()
        defer { lock.unlock() }
        if spares.count < 2 && reusable { spares.append(connection) }
    }
}
