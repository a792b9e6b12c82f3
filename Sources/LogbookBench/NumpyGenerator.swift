/// NumPy's default generator, `numpy.random.default_rng(seed)`, as far as a peer script's seeded split needs it
/// (`permutation`): so that `bench search` validates on exactly the images `search_stack.py` validates on.
///
/// - Seeding (`SeedSequence(seed)`, pool of 4 words): the entropy's 32-bit words are hashed into the pool with
///   `hashmix(v) = ((v ⊕ h) · h′) ⊕ (… ≫ 16)` (h from 0x43b0d7e5, multiplied by 0x931e8875 after each use) and
///   mixed pairwise, `mix(x, y) = (0xca01f9dd·x − 0x4973f715·y) ⊕ (… ≫ 16)`; `generate_state(4, uint64)` reads
///   the pool cyclically through the same hash with h from 0x8b51f9dd (multiplier 0x58f38ded). All mod 2³².
/// - PCG64: 128-bit LCG `s ← s·0x2360ED051FC65DA44385DF649FCCF645 + inc` seeded as `inc = 2·seq + 1`, step,
///   `s += state`, step; each 64-bit output is XSL-RR of the stepped state: `rotr(hi ⊕ lo, hi ≫ 58)`. A 32-bit
///   draw takes the low half of an output and keeps the high half for the next one.
/// - `random_interval(max)`: draws (32-bit when max < 2³²) masked to the smallest all-ones mask ≥ max until one
///   is ≤ max. `shuffle`/`permutation`: Fisher–Yates from the last position down, `j = random_interval(i)`.
struct NumpyGenerator {
    private var state: UInt128 = 0
    private var increment: UInt128 = 0
    private var buffered: UInt32?
    private static let multiplier: UInt128 = 0x2360_ED05_1FC6_5DA4_4385_DF64_9FCC_F645

    init(seed: UInt64) {
        let words = NumpyGenerator.seedSequenceState(entropy: seed, words: 8)
        let halves = (0..<4).map { UInt64(words[2 * $0]) | UInt64(words[2 * $0 + 1]) << 32 }
        let initialState = UInt128(halves[0]) << 64 | UInt128(halves[1])
        let sequence = UInt128(halves[2]) << 64 | UInt128(halves[3])
        increment = sequence << 1 | 1
        step()
        state &+= initialState
        step()
    }

    /// The PCG64 state and increment, as `bit_generator.state` shows them.
    var stateAndIncrement: (state: UInt128, increment: UInt128) { (state, increment) }

    mutating func next64() -> UInt64 {
        step()
        let high = UInt64(truncatingIfNeeded: state >> 64), low = UInt64(truncatingIfNeeded: state)
        let rotation = UInt64(truncatingIfNeeded: state >> 122)
        let value = high ^ low
        return value >> rotation | value << ((64 - rotation) & 63)
    }

    mutating func next32() -> UInt32 {
        if let value = buffered {
            buffered = nil
            return value
        }
        let next = next64()
        buffered = UInt32(truncatingIfNeeded: next >> 32)
        return UInt32(truncatingIfNeeded: next)
    }

    /// A uniform integer in `0 ... max`.
    mutating func interval(_ max: UInt64) -> UInt64 {
        guard max > 0 else { return 0 }
        var mask = max
        for shift in [1, 2, 4, 8, 16, 32] as [UInt64] { mask |= mask >> shift }
        while true {
            let value = max <= 0xFFFF_FFFF ? UInt64(next32()) & mask : next64() & mask
            if value <= max { return value }
        }
    }

    /// `Generator.permutation(array)`: a shuffled copy.
    mutating func permutation<Element>(_ elements: [Element]) -> [Element] {
        var result = elements
        var index = result.count - 1
        while index >= 1 {
            result.swapAt(index, Int(interval(UInt64(index))))
            index -= 1
        }
        return result
    }

    private mutating func step() { state = state &* NumpyGenerator.multiplier &+ increment }

    /// `SeedSequence(entropy).generate_state(words, uint32)` with the default pool of 4 words.
    static func seedSequenceState(entropy: UInt64, words: Int) -> [UInt32] {
        var entropyWords: [UInt32] = []
        var rest = entropy
        repeat {
            entropyWords.append(UInt32(truncatingIfNeeded: rest))
            rest >>= 32
        } while rest > 0
        var hashConstant: UInt32 = 0x43B0_D7E5
        func hashmix(_ value: UInt32) -> UInt32 {
            var mixed = value ^ hashConstant
            hashConstant = hashConstant &* 0x931E_8875
            mixed = mixed &* hashConstant
            return mixed ^ (mixed >> 16)
        }
        func mix(_ x: UInt32, _ y: UInt32) -> UInt32 {
            let result = 0xCA01_F9DD &* x &- 0x4973_F715 &* y
            return result ^ (result >> 16)
        }
        let poolSize = 4
        var pool = (0..<poolSize).map { hashmix($0 < entropyWords.count ? entropyWords[$0] : 0) }
        for source in 0..<poolSize {
            for target in 0..<poolSize where target != source { pool[target] = mix(pool[target], hashmix(pool[source])) }
        }
        for source in poolSize..<max(poolSize, entropyWords.count) {
            for target in 0..<poolSize { pool[target] = mix(pool[target], hashmix(entropyWords[source])) }
        }
        var outputConstant: UInt32 = 0x8B51_F9DD
        return (0..<words).map { index in
            var value = pool[index % poolSize] ^ outputConstant
            outputConstant = outputConstant &* 0x58F3_8DED
            value = value &* outputConstant
            return value ^ (value >> 16)
        }
    }
}
