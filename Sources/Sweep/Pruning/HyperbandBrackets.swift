/// Optuna's HyperbandPruner brackets, on epochs: several ASHA brackets with different minimum epochs, each trial
/// assigned to one by a hash of the sweep's name and its trial index (so every worker agrees without asking).
///
/// - brackets: n = ⌊log_η(E_max / R)⌋ + 1, the number of s ≥ 0 with R·η^s ≤ E_max (E_max: the sweep's most epochs);
/// - bracket b (0 ..< n) runs ASHA with rungs at R·η^(b + r) (bracket 0 stops trials soonest);
/// - its share of trials: budget(b) = ⌈n·η^(n − 1 − b) / (n − b)⌉ (the Hyperband paper's trial counts, as ratios);
/// - trial i's bracket: h = CRC-32("<sweep name>_<i>") mod Σ budget, then the first b with h < budget(0) + … + budget(b).
public struct HyperbandBrackets: Sendable, Equatable {
    public var budgets: [Int]

    public init(minEpochs: Int, maximumEpochs: Int, eta: Int) {
        var count = 0
        var epochs = Swift.max(1, minEpochs)
        while epochs <= maximumEpochs {
            count += 1
            let (next, overflow) = epochs.multipliedReportingOverflow(by: eta)
            if overflow { break }
            epochs = next
        }
        count = Swift.max(1, count)
        budgets = (0..<count).map { bracket in
            let s = count - 1 - bracket
            var power = 1
            for _ in 0..<s { power *= eta }
            let numerator = count * power
            return (numerator + s) / (s + 1)  // ⌈numerator / (s + 1)⌉
        }
    }

    public var count: Int { budgets.count }

    public func bracket(sweepName: String, trialIndex: Int) -> Int {
        var remaining = Int(HyperbandBrackets.crc32(Array("\(sweepName)_\(trialIndex)".utf8))) % budgets.reduce(0, +)
        for (bracket, budget) in budgets.enumerated() {
            remaining -= budget
            if remaining < 0 { return bracket }
        }
        return budgets.count - 1
    }

    /// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, initial and final XOR 0xFFFFFFFF), as `binascii.crc32`.
    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = (crc >> 1) ^ (0xEDB8_8320 & (0 &- (crc & 1))) }
        }
        return crc ^ 0xFFFF_FFFF
    }
}
