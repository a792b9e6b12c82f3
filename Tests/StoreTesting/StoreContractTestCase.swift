import Foundation
import XCTest

@testable import Store

/// A test case whose tests run once per store (SQLite, then PostgreSQL): the same assertions against both
/// implementations of the store protocols. Failures and errors are prefixed with the store they happened on.
open class StoreContractTestCase: XCTestCase {
    /// The store the running body is testing, nil outside `forEachStore`.
    public private(set) var currentBackend: StoreBackend?

    /// Runs `body` with a fresh store of each kind; an error names the store and stops the test.
    public func forEachStore(
        _ backends: [StoreBackend] = StoreBackend.allCases,
        _ body: (TestStoreLocation, any LogbookStoring) throws -> Void
    ) throws {
        for backend in backends {
            currentBackend = backend
            defer { currentBackend = nil }
            do {
                let location = try TestStoreLocation(backend)
                let store = try location.open()
                try body(location, store)
            } catch {
                throw StoreError("[\(backend.rawValue)] \(error)")
            }
        }
    }

    override open func recordFailure(
        withDescription description: String, inFile filePath: String, atLine lineNumber: Int, expected: Bool
    ) {
        let prefix = currentBackend.map { "[\($0.rawValue)] " } ?? ""
        super.recordFailure(withDescription: prefix + description, inFile: filePath, atLine: lineNumber, expected: expected)
    }
}

/// A recorder with the given timings, whichever store `store` is.
public func makeRecorder(
    _ store: any LogbookStoring, runID: Int64, flushInterval: Double = 0.25, heartbeatInterval: Double = Heartbeat.interval,
    flushThreshold: Int = 1024
) throws -> RunRecorder {
    switch store {
    case let sqlite as LogbookStore:
        return try sqlite.recorder(
            for: runID, flushInterval: flushInterval, heartbeatInterval: heartbeatInterval, flushThreshold: flushThreshold)
    case let postgreSQL as PostgreSQLStore:
        return try postgreSQL.recorder(
            for: runID, flushInterval: flushInterval, heartbeatInterval: heartbeatInterval, flushThreshold: flushThreshold)
    default:
        throw StoreError("unknown store type \(type(of: store))")
    }
}
