#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reading whole data files into memory, inflating gzip transparently.
public enum DataFile {
    /// The bytes of the file at `path`, inflated when the file is gzip (detected by content, not by name).
    /// Errors name the path: `data.csv: cannot open (No such file or directory)`.
    public static func read(_ path: String) throws -> [UInt8] {
        try Gzip.inflate(readRaw(path), name: path)
    }

    /// The bytes of the file at `path`, as stored.
    public static func readRaw(_ path: String) throws -> [UInt8] {
        guard let file = fopen(path, "rb") else {
            throw EngineError("\(path): cannot open (\(String(cString: strerror(errno))))")
        }
        defer { fclose(file) }
        var result: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, file) }
            if count > 0 { result.append(contentsOf: chunk[0 ..< count]) }
            if count < chunk.count {
                if ferror(file) != 0 { throw EngineError("\(path): read error (\(String(cString: strerror(errno))))") }
                break
            }
        }
        return result
    }

    /// True when a regular file or directory exists at `path`.
    public static func exists(_ path: String) -> Bool {
        access(path, F_OK) == 0
    }
}
