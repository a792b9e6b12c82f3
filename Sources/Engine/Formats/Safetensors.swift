import Foundation

/// The safetensors format (Hugging Face), which PyTorch and NumPy users load directly:
///
///     [8 bytes: N, little-endian u64][N bytes: JSON header][raw tensor bytes]
///
/// The header maps each tensor name to `{"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}` (offsets
/// relative to the start of the raw bytes), plus an optional `"__metadata__"` string map. Logbook writes F32,
/// little-endian, row-major, tensors in model order, and reads F32 (F64, F16, BF16 and the integer and boolean
/// dtypes are converted to Float).
public enum Safetensors {
    public static func encode(_ tensors: [NamedTensor], metadata: [String: String] = [:]) throws -> [UInt8] {
        var header: [String: Any] = [:]
        var offset = 0
        for tensor in tensors {
            let bytes = tensor.values.count * 4
            header[tensor.name] = ["dtype": "F32", "shape": tensor.shape, "data_offsets": [offset, offset + bytes]]
            offset += bytes
        }
        var metadata = metadata
        metadata["logbook.roles"] = tensors.map { "\($0.name)=\($0.role.rawValue)" }.joined(separator: ",")
        header["__metadata__"] = metadata
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad the header with spaces so that the data starts 8-byte aligned (as the reference writer does).
        while (8 + json.count) % 8 != 0 { json.append(0x20) }
        var output: [UInt8] = []
        output.reserveCapacity(8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { output.append(contentsOf: $0) }
        output.append(contentsOf: json)
        for tensor in tensors {
            for value in tensor.values {
                withUnsafeBytes(of: value.bitPattern.littleEndian) { output.append(contentsOf: $0) }
            }
        }
        return output
    }

    public static func write(_ tensors: [NamedTensor], to path: String, metadata: [String: String] = [:]) throws {
        let bytes = try encode(tensors, metadata: metadata)
        if let reason = OutputPath.unwritableReason(path, example: "model.safetensors") { throw EngineError(reason) }
        do {
            try Data(bytes).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            let reason = (error as NSError).userInfo[NSUnderlyingErrorKey].map { "\($0)" } ?? error.localizedDescription
            throw EngineError("cannot write \(path): \(reason)")
        }
    }

    public static func read(path: String) throws -> [NamedTensor] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EngineError("cannot read safetensors file \(path): no such file or not readable")
        }
        return try decode([UInt8](data), source: path)
    }

    public static func decode(_ bytes: [UInt8], source: String = "safetensors") throws -> [NamedTensor] {
        func fail(_ reason: String) -> EngineError { EngineError("\(source): not a valid safetensors file (\(reason))") }
        guard bytes.count >= 8 else { throw fail("shorter than its 8-byte header length") }
        var headerLength: UInt64 = 0
        for index in 0..<8 { headerLength |= UInt64(bytes[index]) << (8 * UInt64(index)) }
        guard headerLength <= UInt64(bytes.count - 8) else {
            throw fail("header length \(headerLength) exceeds the file size \(bytes.count)")
        }
        let dataStart = 8 + Int(headerLength)
        let headerObject = try? JSONSerialization.jsonObject(with: Data(bytes[8..<dataStart]))
        guard let header = headerObject as? [String: Any] else { throw fail("the header is not a JSON object") }
        var roles: [String: NamedTensor.Role] = [:]
        if let metadata = header["__metadata__"] as? [String: String], let text = metadata["logbook.roles"] {
            for entry in text.split(separator: ",") {
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2, let role = NamedTensor.Role(rawValue: parts[1]) { roles[parts[0]] = role }
            }
        }
        var tensors: [(offset: Int, tensor: NamedTensor)] = []
        for (name, value) in header where name != "__metadata__" {
            guard let entry = value as? [String: Any], let dtype = entry["dtype"] as? String,
                let shape = (entry["shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                let offsets = (entry["data_offsets"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                offsets.count == 2
            else { throw fail("tensor '\(name)' lacks dtype, shape or data_offsets") }
            var count = 1
            for dimension in shape {
                let (product, overflow) = count.multipliedReportingOverflow(by: dimension)
                guard dimension >= 0, !overflow, product <= bytes.count else {
                    throw fail("tensor '\(name)' has an impossible shape \(shape)")
                }
                count = product
            }
            guard let width = Safetensors.byteWidths[dtype] else {
                throw fail("tensor '\(name)' has dtype \(dtype); supported: \(Safetensors.byteWidths.keys.sorted().joined(separator: ", "))")
            }
            guard offsets[0] >= 0, offsets[0] <= offsets[1], offsets[1] <= bytes.count - dataStart,
                offsets[1] - offsets[0] == count * width
            else {
                throw fail("tensor '\(name)' data_offsets \(offsets) do not match shape \(shape) \(dtype) or the file size")
            }
            let values = decodeValues(bytes, dataStart + offsets[0], count, dtype)
            tensors.append(
                (offsets[0], NamedTensor(name: name, role: roles[name] ?? .parameter, shape: shape, values: values)))
        }
        return tensors.sorted { $0.offset < $1.offset }.map(\.tensor)
    }

    /// Bytes per element of each dtype read. Integer and boolean tensors (PyTorch writes batch norm's
    /// `num_batches_tracked` as I64) are read as their Float values.
    static let byteWidths: [String: Int] = [
        "F64": 8, "F32": 4, "F16": 2, "BF16": 2, "I64": 8, "I32": 4, "I16": 2, "I8": 1, "U8": 1, "BOOL": 1,
    ]

    private static func decodeValues(_ bytes: [UInt8], _ begin: Int, _ count: Int, _ dtype: String) -> [Float] {
        let width = byteWidths[dtype]!
        var values = [Float](repeating: 0, count: count)
        for index in 0..<count {
            var bits: UInt64 = 0
            for byte in 0..<width { bits |= UInt64(bytes[begin + width * index + byte]) << (8 * UInt64(byte)) }
            switch dtype {
            case "F32": values[index] = Float(bitPattern: UInt32(bits))
            case "F64": values[index] = Float(Double(bitPattern: bits))
            case "F16": values[index] = Float16Bits(UInt16(bits))
            case "BF16": values[index] = Float(bitPattern: UInt32(bits) << 16)
            case "I64": values[index] = Float(Int64(bitPattern: bits))
            case "I32": values[index] = Float(Int32(bitPattern: UInt32(bits)))
            case "I16": values[index] = Float(Int16(bitPattern: UInt16(bits)))
            case "I8": values[index] = Float(Int8(bitPattern: UInt8(bits)))
            default: values[index] = Float(bits)  // U8, BOOL
            }
        }
        return values
    }

    /// IEEE half → Float without relying on the `Float16` type (unavailable on some platforms).
    private static func Float16Bits(_ bits: UInt16) -> Float {
        let sign: Float = bits & 0x8000 != 0 ? -1 : 1
        let exponent = Int((bits >> 10) & 0x1F)
        let fraction = Float(bits & 0x3FF)
        if exponent == 0 { return sign * fraction * 0x1p-24 }
        if exponent == 31 { return fraction == 0 ? sign * .infinity : .nan }
        return sign * (1 + fraction / 1024) * Float(sign: .plus, exponent: exponent - 15, significand: 1)
    }
}
