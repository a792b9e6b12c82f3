/// CRC-32C (Castagnoli): the reflected CRC with polynomial 0x82F63B78 (0x1EDC6F41 bit-reversed), initial value
/// 0xFFFFFFFF and final XOR 0xFFFFFFFF, computed a byte at a time from a 256-entry table. `crc32c("123456789")`
/// is 0xE3069283.
///
/// TFRecord files store it masked, `((crc >> 15) | (crc << 17)) + 0xA282EAD8` (32-bit rotation right by 15, then
/// a constant added modulo 2³²), so that a CRC of data that itself holds CRCs does not degenerate.
public enum CRC32C {
    static let table: [UInt32] = (0..<256).map { byte in
        var crc = UInt32(byte)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x82F6_3B78 : crc >> 1 }
        return crc
    }

    public static func checksum<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        table.withUnsafeBufferPointer { table in
            for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        }
        return crc ^ 0xFFFF_FFFF
    }

    /// The masked CRC of TFRecord framing.
    public static func masked<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> UInt32 {
        let crc = checksum(bytes)
        return ((crc >> 15) | (crc << 17)) &+ 0xA282_EAD8
    }
}
