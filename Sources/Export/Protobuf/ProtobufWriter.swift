/// A protocol-buffers encoder for the few messages the exports write (TensorBoard events, ONNX models), following
/// the wire format of protobuf's encoding guide:
///
/// - a field is a key `(field_number << 3) | wire_type` as a varint, then its payload;
/// - wire type 0 (varint): base-128 digits, least significant group first, the high bit set on all but the last
///   byte; negative `int32`/`int64` values are sign-extended to 64 bits (ten bytes);
/// - wire type 1 (fixed64) and 5 (fixed32): eight or four little-endian bytes (`double`, `float`, `fixed64`);
/// - wire type 2 (length-delimited): the byte count as a varint, then the bytes (strings as UTF-8, nested messages,
///   packed repeated scalars).
///
/// Fields are written in the order the caller writes them; proto3 readers accept any order. Default values are
/// written when asked (the callers skip them where proto3 would).
public struct ProtobufWriter: Sendable {
    public enum WireType: UInt64, Sendable {
        case varint = 0, fixed64 = 1, lengthDelimited = 2, fixed32 = 5
    }

    public private(set) var bytes: [UInt8] = []

    public init() {}

    /// The base-128 varint of `value`.
    public mutating func varint(_ value: UInt64) {
        var remaining = value
        while remaining >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: remaining) | 0x80)
            remaining >>= 7
        }
        bytes.append(UInt8(remaining))
    }

    public mutating func key(_ field: Int, _ wireType: WireType) {
        varint(UInt64(field) << 3 | wireType.rawValue)
    }

    /// An `int32`, `int64`, `uint64` or enum field (negative values take ten bytes, as protobuf writes them).
    public mutating func integer(_ field: Int, _ value: Int64) {
        key(field, .varint)
        varint(UInt64(bitPattern: value))
    }

    public mutating func bool(_ field: Int, _ value: Bool) { integer(field, value ? 1 : 0) }

    public mutating func double(_ field: Int, _ value: Double) {
        key(field, .fixed64)
        littleEndian(value.bitPattern)
    }

    public mutating func float(_ field: Int, _ value: Float) {
        key(field, .fixed32)
        littleEndian(value.bitPattern)
    }

    public mutating func bytes(_ field: Int, _ value: [UInt8]) {
        key(field, .lengthDelimited)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    public mutating func string(_ field: Int, _ value: String) { bytes(field, Array(value.utf8)) }

    /// A nested message, built by `body` into its own writer.
    public mutating func message(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        var nested = ProtobufWriter()
        body(&nested)
        bytes(field, nested.bytes)
    }

    /// A packed repeated `float` field: the count of bytes, then four little-endian bytes per value.
    public mutating func packedFloats(_ field: Int, _ values: [Float]) {
        key(field, .lengthDelimited)
        varint(UInt64(values.count * 4))
        bytes.reserveCapacity(bytes.count + values.count * 4)
        for value in values { littleEndian(value.bitPattern) }
    }

    /// A packed repeated `int64` field (varints).
    public mutating func packedIntegers(_ field: Int, _ values: [Int64]) {
        var payload = ProtobufWriter()
        for value in values { payload.varint(UInt64(bitPattern: value)) }
        bytes(field, payload.bytes)
    }

    public mutating func littleEndian<T: FixedWidthInteger>(_ value: T) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
}
