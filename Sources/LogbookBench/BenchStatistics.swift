import Engine

#if canImport(Glibc)
    import Glibc
#endif

/// The arithmetic every benchmark shares: medians of repeated timings, rounding for the printed figures, timing.
public enum BenchStatistics {
    /// The middle value of `values` once sorted; for an even count, the mean of the two middle values
    /// (`median([3, 1, 2]) = 2`, `median([4, 1, 3, 2]) = 2.5`). NaN for no values.
    public static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return .nan }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// The `fraction` percentile by nearest rank: the ⌈fraction·n⌉-th smallest of the n values (at least the first):
    /// `percentile([1, 2, 3, 4], 0.5) = 2`, `percentile([1, 2, 3, 4], 0.99) = 4`. NaN for no values.
    public static func percentile(_ values: [Double], _ fraction: Double) -> Double {
        guard !values.isEmpty else { return .nan }
        let rank = Int((fraction * Double(values.count)).rounded(.up))
        return values.sorted()[min(values.count, max(1, rank)) - 1]
    }

    /// `value` rounded to `places` decimal places, halves away from zero: `rounded(2.71828, places: 3) = 2.718`.
    public static func rounded(_ value: Double, places: Int) -> Double {
        var scale = 1.0
        for _ in 0..<places { scale *= 10 }
        return (value * scale).rounded() / scale
    }

    /// Seconds `body` took, on the monotonic clock.
    public static func seconds(_ body: () throws -> Void) rethrows -> Double {
        let start = MonotonicClock.now()
        try body()
        return MonotonicClock.now() - start
    }
}

/// CPU seconds the calling thread has run (`CLOCK_THREAD_CPUTIME_ID`): unlike wall time, not lengthened while the
/// thread waits for a core that other processes hold, so it isolates work done on that thread.
public enum ThreadCPUClock {
    public static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
    }
}

/// A benchmark that could not measure what it measures (a wrong result, a trial that did not complete).
public struct BenchError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) { self.description = description }
}
