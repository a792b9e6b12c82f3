/// Tensors as BLOBs: little-endian IEEE-754 float32, row-major, 4 bytes per value — the same bytes safetensors
/// and NumPy (`np.frombuffer(blob, '<f4')`) read.
enum Float32Blob {
    /// Calls `body` with the little-endian bytes of `values` (no copy on little-endian hosts).
    static func withBytes<T>(of values: [Float], _ body: (UnsafeRawBufferPointer) throws -> T) rethrows -> T {
        #if _endian(little)
        return try values.withUnsafeBytes(body)
        #else
        return try values.map { $0.bitPattern.littleEndian }.withUnsafeBytes(body)
        #endif
    }

    /// The floats in `bytes` (whose count must be a multiple of 4).
    static func floats(from bytes: UnsafeRawBufferPointer) -> [Float] {
        let count = bytes.count / 4
        return [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            for index in 0..<count {
                let bits = bytes.loadUnaligned(fromByteOffset: index * 4, as: UInt32.self)
                buffer[index] = Float(bitPattern: UInt32(littleEndian: bits))
            }
            initialized = count
        }
    }
}
