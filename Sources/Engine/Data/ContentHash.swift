/// FNV-1a 64-bit over a dataset's content: the little-endian bytes of every feature's Float32 bit pattern (row-major),
/// then of every label (Int32) or, for regression, every target's Float32 bit pattern. Rendered as 16 hex digits.
/// Any change in a value, the order of samples or a label changes it; the name does not.
public struct ContentHash: Sendable {
    public private(set) var state: UInt64 = 0xCBF2_9CE4_8422_2325

    public init() {}

    public mutating func add(_ dataset: Dataset) {
        dataset.features.values.withUnsafeBytes { add($0) }
        if let labels = dataset.labels {
            labels.map(\.littleEndian).withUnsafeBytes { add($0) }
        } else if let targets = dataset.targets {
            targets.values.map { $0.bitPattern.littleEndian }.withUnsafeBytes { add($0) }
        }
    }

    public mutating func add(_ bytes: UnsafeRawBufferPointer) {
        var hash = state
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        state = hash
    }

    /// 16 lower-case hex digits.
    public var hex: String {
        let digits = String(state, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    public static func of(_ datasets: Dataset...) -> String {
        var hash = ContentHash()
        for dataset in datasets { hash.add(dataset) }
        return hash.hex
    }
}
