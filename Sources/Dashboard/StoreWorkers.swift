import Foundation
import Store

/// The dashboard's read-only store connections and the bound on the work they do at once. Store reads block, so
/// they run on threads of their own, never on Swift's cooperative pool (which NIO's event loops and every other
/// request need); each connection serves one read at a time, `queueLimit` requests may wait for one, and a request
/// beyond that is refused at once (503) rather than queued without end.
final class StoreWorkers: @unchecked Sendable {
    private let stores: [any LogbookStoring]
    private let queues: [DispatchQueue]
    private let queueLimit: Int
    private let lock = NSLock()
    private var idle: [Int]
    private var waiting: [CheckedContinuation<Int, any Error>] = []
    private var admitted = 0

    /// How many reads were admitted so far (the tests count them).
    var readsAdmitted: Int { lock.withLock { admitted } }

    /// `stores` are read-only connections to one store (at least one).
    init(stores: [any LogbookStoring], queueLimit: Int = 512) {
        precondition(!stores.isEmpty, "StoreWorkers needs a store")
        self.stores = stores
        self.queues = stores.indices.map { DispatchQueue(label: "logbook.dashboard.store.\($0)") }
        self.queueLimit = queueLimit
        self.idle = Array(stores.indices)
    }

    /// Runs `body` on a free connection's thread and returns its result; throws a 503 refusal when too many wait.
    func read<T: Sendable>(_ body: @escaping @Sendable (any LogbookStoring) throws -> T) async throws -> T {
        let index = try await acquire()
        defer { release(index) }
        let store = stores[index]
        return try await withCheckedThrowingContinuation { continuation in
            queues[index].async { continuation.resume(with: Result { try body(store) }) }
        }
    }

    private enum Admission { case connection(Int), queued, refused }

    private func acquire() async throws -> Int {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Int, any Error>) in
            let admission: Admission = lock.withLock {
                if let index = idle.popLast() {
                    admitted += 1
                    return .connection(index)
                }
                guard waiting.count < queueLimit else { return .refused }
                admitted += 1
                waiting.append(continuation)
                return .queued
            }
            switch admission {
            case .connection(let index): continuation.resume(returning: index)
            case .queued: break
            case .refused:
                continuation.resume(throwing: DashboardRefusal(
                    status: 503, message: "the server is busy: \(queueLimit) requests are waiting; try again"))
            }
        }
    }

    private func release(_ index: Int) {
        let next: CheckedContinuation<Int, any Error>? = lock.withLock {
            if waiting.isEmpty {
                idle.append(index)
                return nil
            }
            return waiting.removeFirst()
        }
        next?.resume(returning: index)
    }
}
