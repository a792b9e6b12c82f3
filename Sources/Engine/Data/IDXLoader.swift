/// Loads IDX files (the MNIST family: `train-images-idx3-ubyte`, …), plain or gzip.
///
/// Format: a 4-byte magic `00 00 TT NN` — `TT` the element type (0x08 u8, 0x09 i8, 0x0B i16, 0x0C i32, 0x0D f32,
/// 0x0E f64), `NN` the number of dimensions — then `NN` big-endian u32 sizes, then the elements, big-endian,
/// row-major. An image file (`0x00000803`: N × rows × cols, u8) becomes an N × (rows·cols) feature matrix; u8 values
/// are scaled to [0, 1] by `value / 255`, other types are kept as they are. A label file (`0x00000801`: N, u8) gives
/// class labels; `classCount = max label + 1`.
public enum IDXLoader {
    /// Element types of the IDX format.
    public enum ElementType: UInt8, Sendable {
        case uint8 = 0x08, int8 = 0x09, int16 = 0x0B, int32 = 0x0C, float32 = 0x0D, float64 = 0x0E

        public var size: Int {
            switch self {
            case .uint8, .int8: 1
            case .int16: 2
            case .int32, .float32: 4
            case .float64: 8
            }
        }
    }

    /// A decoded IDX array: its shape and values as Float.
    public struct Decoded: Sendable, Equatable {
        public var elementType: ElementType
        public var shape: [Int]
        public var values: [Float]
    }

    /// Loads an images file and a labels file into one classification dataset named `name`
    /// (default `idx:IMAGES,LABELS`). Errors: not IDX, truncated, a labels file with more than one dimension,
    /// non-integer or negative labels, or counts that differ (`… has 60000 images but … has 59999 labels`).
    public static func load(images imagesPath: String, labels labelsPath: String, name: String? = nil) throws -> Dataset {
        let images = try decode(DataFile.read(imagesPath), fileName: imagesPath)
        let labels = try decode(DataFile.read(labelsPath), fileName: labelsPath)
        guard images.shape.count >= 2 else {
            throw EngineError(
                "\(imagesPath): expected an image file (2 or more dimensions), found \(images.shape.count) dimension")
        }
        guard labels.shape.count == 1 else {
            throw EngineError(
                "\(labelsPath): expected a label file (1 dimension), found \(labels.shape.count) dimensions \(labels.shape)")
        }
        guard images.shape[0] == labels.shape[0] else {
            throw EngineError(
                "\(imagesPath) has \(images.shape[0]) images but \(labelsPath) has \(labels.shape[0]) labels")
        }
        var classLabels = [Int32](repeating: 0, count: labels.values.count)
        for (index, value) in labels.values.enumerated() {
            guard value >= 0, value.rounded() == value, value < 1_000_000 else {
                throw EngineError("\(labelsPath): label \(index) is \(value): not a class index")
            }
            classLabels[index] = Int32(value)
        }
        let sampleCount = images.shape[0]
        let width = images.shape.dropFirst().reduce(1, *)
        return Dataset(
            name: name ?? "idx:\(imagesPath),\(labelsPath)",
            features: Matrix(rows: sampleCount, columns: width, values: images.values),
            labels: classLabels, classCount: Int(classLabels.max() ?? -1) + 1)
    }

    /// Decodes the bytes of one IDX file (already inflated). u8 values are divided by 255 when the array has
    /// more than one dimension (images); u8 labels keep their integer values.
    public static func decode(_ bytes: [UInt8], fileName: String) throws -> Decoded {
        guard bytes.count >= 4 else {
            throw EngineError("\(fileName): not an IDX file (only \(bytes.count) bytes)")
        }
        let magic = bigEndian(bytes, at: 0, size: 4)
        guard bytes[0] == 0, bytes[1] == 0, let type = ElementType(rawValue: bytes[2]), bytes[3] >= 1 else {
            throw EngineError("\(fileName): not an IDX file (magic 0x\(hex(magic)))")
        }
        let dimensions = Int(bytes[3])
        let headerSize = 4 + 4 * dimensions
        guard bytes.count >= headerSize else {
            throw EngineError(
                "\(fileName): truncated IDX header: expected \(headerSize) bytes, found \(bytes.count)")
        }
        let shape = (0 ..< dimensions).map { Int(bigEndian(bytes, at: 4 + 4 * $0, size: 4)) }
        let (count, overflow) = shape.reduce((1, false)) { partial, size in
            let product = partial.0.multipliedReportingOverflow(by: size)
            return (product.partialValue, partial.1 || product.overflow)
        }
        let (payload, payloadOverflow) = count.multipliedReportingOverflow(by: type.size)
        guard !overflow, !payloadOverflow else { throw EngineError("\(fileName): IDX shape \(shape) is too large") }
        let expected = headerSize + payload
        guard bytes.count >= expected else {
            throw EngineError(
                "\(fileName): truncated IDX data: shape \(shape) needs \(expected) bytes, found \(bytes.count)")
        }
        let values = convert(bytes, from: headerSize, count: count, type: type, scaleBytes: dimensions > 1)
        return Decoded(elementType: type, shape: shape, values: values)
    }

    private static func convert(_ bytes: [UInt8], from start: Int, count: Int, type: ElementType, scaleBytes: Bool)
        -> [Float]
    {
        [Float](unsafeUninitializedCapacity: count) { output, initialized in
            bytes.withUnsafeBufferPointer { input in
                let base = input.baseAddress! + start
                switch type {
                case .uint8:
                    // Exactly `value / 255` (a multiplication by 1/255 would differ in the last bit).
                    let table = (0 ..< 256).map { scaleBytes ? Float($0) / 255 : Float($0) }
                    table.withUnsafeBufferPointer { table in
                        for index in 0 ..< count { output[index] = table[Int(base[index])] }
                    }
                case .int8:
                    for index in 0 ..< count { output[index] = Float(Int8(bitPattern: base[index])) }
                case .int16:
                    for index in 0 ..< count {
                        output[index] = Float(Int16(bitPattern: UInt16(base[2 * index]) << 8 | UInt16(base[2 * index + 1])))
                    }
                case .int32:
                    for index in 0 ..< count { output[index] = Float(Int32(bitPattern: read32(base + 4 * index))) }
                case .float32:
                    for index in 0 ..< count { output[index] = Float(bitPattern: read32(base + 4 * index)) }
                case .float64:
                    for index in 0 ..< count {
                        let high = UInt64(read32(base + 8 * index))
                        let low = UInt64(read32(base + 8 * index + 4))
                        output[index] = Float(Double(bitPattern: high << 32 | low))
                    }
                }
            }
            initialized = count
        }
    }

    @inline(__always)
    private static func read32(_ pointer: UnsafePointer<UInt8>) -> UInt32 {
        UInt32(pointer[0]) << 24 | UInt32(pointer[1]) << 16 | UInt32(pointer[2]) << 8 | UInt32(pointer[3])
    }

    private static func bigEndian(_ bytes: [UInt8], at offset: Int, size: Int) -> UInt32 {
        (0 ..< size).reduce(0) { $0 << 8 | UInt32(bytes[offset + $1]) }
    }

    private static func hex(_ value: UInt32) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, 8 - digits.count)) + digits
    }

    /// Encodes an IDX file (for tests and exports): `values` are written as `type`, big-endian.
    public static func encode(shape: [Int], values: [Double], type: ElementType) -> [UInt8] {
        var bytes: [UInt8] = [0, 0, type.rawValue, UInt8(shape.count)]
        for size in shape { bytes += withUnsafeBytes(of: UInt32(size).bigEndian, Array.init) }
        for value in values {
            switch type {
            case .uint8: bytes.append(UInt8(value))
            case .int8: bytes.append(UInt8(bitPattern: Int8(value)))
            case .int16: bytes += withUnsafeBytes(of: Int16(value).bigEndian, Array.init)
            case .int32: bytes += withUnsafeBytes(of: Int32(value).bigEndian, Array.init)
            case .float32: bytes += withUnsafeBytes(of: Float(value).bitPattern.bigEndian, Array.init)
            case .float64: bytes += withUnsafeBytes(of: value.bitPattern.bigEndian, Array.init)
            }
        }
        return bytes
    }
}
