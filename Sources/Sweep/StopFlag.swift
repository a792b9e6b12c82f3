import Foundation

/// A flag raised by SIGINT/SIGTERM (or by hand), polled by training loops and the sweep's parent process.
/// The signals are handled on a dispatch queue, so the process is not killed by them while the flag is in use.
public final class StopFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var raised = false
    private var sources: [DispatchSourceSignal] = []
    private var handlers: [@Sendable () -> Void] = []

    public init() {}

    /// Catches `signals` from now on: each raises the flag and calls `onSignal`.
    public func catchSignals(_ signals: [Int32] = [SIGINT, SIGTERM], onSignal: @escaping @Sendable () -> Void = {}) {
        lock.lock()
        handlers.append(onSignal)
        lock.unlock()
        for number in signals {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [weak self] in self?.raise() }
            source.resume()
            lock.lock()
            sources.append(source)
            lock.unlock()
        }
    }

    public func raise() {
        lock.lock()
        let first = !raised
        raised = true
        let callbacks = handlers
        lock.unlock()
        if first { for callback in callbacks { callback() } }
    }

    public var isRaised: Bool {
        lock.lock()
        defer { lock.unlock() }
        return raised
    }
}
