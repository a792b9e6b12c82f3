import CZlib

/// Gzip (and zlib) decompression through the system zlib.
///
/// `inflate(_:name:)` returns its input unchanged when it does not start with the gzip magic `1f 8b`, so callers can
/// pass any file's bytes. Concatenated gzip members (as written by `cat a.gz b.gz`) are inflated one after another.
public enum Gzip {
    /// True when `bytes` begins with the gzip magic number `1f 8b`.
    public static func isGzip(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 2 && bytes[0] == 0x1F && bytes[1] == 0x8B
    }

    /// The inflated bytes of a gzip stream, or `bytes` itself when it is not gzip.
    /// - Parameter name: the file name used in error messages (`train-images.gz: corrupt gzip data (…)`).
    public static func inflate(_ bytes: [UInt8], name: String) throws -> [UInt8] {
        guard isGzip(bytes) else { return bytes }
        var stream = z_stream()
        // 15 + 32: maximum window, automatic gzip/zlib header detection.
        let status = inflateInit2_(&stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw EngineError("\(name): cannot start gzip decompression (zlib error \(status))") }
        defer { inflateEnd(&stream) }

        // Gzip stores the uncompressed size modulo 2^32 in its last four bytes: a good first guess for the buffer,
        // capped by deflate's largest possible ratio (about 1032:1) in case the trailer is damaged.
        let tail = bytes.suffix(4).reversed().reduce(0) { ($0 << 8) | Int($1) }
        var output = [UInt8](repeating: 0, count: max(min(tail, bytes.count * 1032), bytes.count * 2, 1 << 16))
        var produced = 0

        try bytes.withUnsafeBufferPointer { input in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress!)
            stream.avail_in = UInt32(input.count)
            while true {
                if produced == output.count {
                    output.append(contentsOf: [UInt8](repeating: 0, count: output.count))
                }
                let room = min(output.count - produced, Int(UInt32.max))
                let result: Int32 = output.withUnsafeMutableBufferPointer { buffer in
                    stream.next_out = buffer.baseAddress! + produced
                    stream.avail_out = UInt32(room)
                    let code = CZlib.inflate(&stream, Z_NO_FLUSH)
                    produced += room - Int(stream.avail_out)
                    return code
                }
                switch result {
                case Z_STREAM_END:
                    // Another gzip member may follow; trailing zero padding is ignored.
                    let remaining = Int(stream.avail_in)
                    guard remaining >= 2, isGzipMember(input, at: input.count - remaining) else { return }
                    guard CZlib.inflateReset(&stream) == Z_OK else {
                        throw EngineError("\(name): corrupt gzip data (cannot restart after a member)")
                    }
                case Z_OK:
                    continue
                case Z_BUF_ERROR:
                    // No progress possible: either the output is full (grow and retry) or the input ended early.
                    if stream.avail_out == 0 { continue }
                    throw EngineError("\(name): truncated gzip data (stream ends after \(produced) bytes of output)")
                default:
                    let detail = stream.msg.map { String(cString: $0) } ?? "zlib error \(result)"
                    throw EngineError("\(name): corrupt gzip data (\(detail))")
                }
            }
        }
        output.removeSubrange(produced...)
        return output
    }

    private static func isGzipMember(_ input: UnsafeBufferPointer<UInt8>, at offset: Int) -> Bool {
        offset + 1 < input.count && input[offset] == 0x1F && input[offset + 1] == 0x8B
    }

    /// Compresses `bytes` into a single gzip member (zlib level `level`, 0–9).
    public static func deflate(_ bytes: [UInt8], level: Int32 = 6) throws -> [UInt8] {
        var stream = z_stream()
        // 15 + 16: maximum window, gzip wrapper.
        let status = deflateInit2_(
            &stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else { throw EngineError("cannot start gzip compression (zlib error \(status))") }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 64)
        var input = bytes
        let result: Int32 = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = destination.baseAddress
                stream.avail_out = UInt32(destination.count)
                return CZlib.deflate(&stream, Z_FINISH)
            }
        }
        guard result == Z_STREAM_END else { throw EngineError("gzip compression failed (zlib error \(result))") }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }
}
