#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A forward-only CSV tokenizer over a byte buffer. It yields one row at a time as cell offsets into the buffer, so
/// that no string is created for numeric cells.
///
/// Rules: cells are separated by `delimiter` and rows by `\n` (a `\r` before it is dropped); spaces around a cell are
/// trimmed; a cell may be double-quoted (`"a, b"`), with `""` standing for one quote and newlines allowed inside;
/// blank lines and a leading UTF-8 byte order mark are skipped. Line numbers are 1-based physical lines of the file.
struct CSVScanner {
    let bytes: UnsafeBufferPointer<UInt8>
    let delimiter: UInt8
    private(set) var position = 0
    /// Line number where the next row starts.
    private(set) var line = 1
    /// Cells of the current row: `starts[i] ..< ends[i]` (inside the quotes for quoted cells).
    private(set) var starts: [Int] = []
    private(set) var ends: [Int] = []
    private(set) var quoted: [Bool] = []

    init(bytes: UnsafeBufferPointer<UInt8>, delimiter: UInt8) {
        self.bytes = bytes
        self.delimiter = delimiter
        // A UTF-8 byte order mark is not part of the first cell.
        if bytes.count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF { position = 3 }
        starts.reserveCapacity(64)
        ends.reserveCapacity(64)
        quoted.reserveCapacity(64)
    }

    var cellCount: Int { starts.count }

    /// Picks the delimiter from the first non-blank line: `,` if present, else tab, else `;`, else `,`.
    static func detectDelimiter(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt8 {
        var sawTab = false
        var sawSemicolon = false
        var sawContent = false
        for byte in bytes {
            switch byte {
            case UInt8(ascii: ","): return byte
            case UInt8(ascii: "\t"): sawTab = true
            case UInt8(ascii: ";"): sawSemicolon = true
            case UInt8(ascii: "\n"): if sawContent { return sawTab ? 9 : sawSemicolon ? 59 : 44 }
            case UInt8(ascii: " "), UInt8(ascii: "\r"): break
            default: sawContent = true
            }
        }
        return sawTab ? 9 : sawSemicolon ? 59 : 44
    }

    /// Reads the next non-blank row. Returns its starting line number, or nil at the end of the data.
    /// Throws only for an unterminated quoted cell.
    mutating func nextRow() throws -> Int? {
        let count = bytes.count
        while position < count {
            let rowLine = line
            starts.removeAll(keepingCapacity: true)
            ends.removeAll(keepingCapacity: true)
            quoted.removeAll(keepingCapacity: true)
            try readCells(rowLine: rowLine)
            if starts.count == 1 && !quoted[0] && starts[0] == ends[0] { continue }  // blank line
            return rowLine
        }
        return nil
    }

    private mutating func readCells(rowLine: Int) throws {
        let count = bytes.count
        let newline = UInt8(ascii: "\n")
        let quote = UInt8(ascii: "\"")
        var p = position
        while true {
            while p < count, isPadding(bytes[p]) { p += 1 }
            if p < count && bytes[p] == quote {
                p += 1
                let start = p
                var closed = false
                while p < count {
                    let byte = bytes[p]
                    if byte == quote {
                        if p + 1 < count && bytes[p + 1] == quote {
                            p += 2
                            continue
                        }
                        closed = true
                        break
                    }
                    if byte == newline { line += 1 }
                    p += 1
                }
                guard closed else { throw CSVScanError.unterminatedQuote(line: rowLine) }
                starts.append(start)
                ends.append(p)
                quoted.append(true)
                p += 1
                while p < count && bytes[p] != delimiter && bytes[p] != newline { p += 1 }
            } else {
                let start = p
                while p < count {
                    let byte = bytes[p]
                    if byte == delimiter || byte == newline { break }
                    p += 1
                }
                var end = p
                while end > start && (isPadding(bytes[end - 1]) || bytes[end - 1] == UInt8(ascii: "\r")) { end -= 1 }
                starts.append(start)
                ends.append(end)
                quoted.append(false)
            }
            if p < count && bytes[p] == delimiter {
                p += 1
                continue
            }
            if p < count {  // newline
                p += 1
                line += 1
            }
            break
        }
        position = p
    }

    @inline(__always)
    private func isPadding(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || (byte == UInt8(ascii: "\t") && delimiter != UInt8(ascii: "\t"))
    }

    /// The text of cell `index` of the current row (quotes removed, `""` unescaped).
    func text(_ index: Int) -> String {
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[starts[index] ..< ends[index]]), as: UTF8.self)
        return quoted[index] ? text.replacing("\"\"", with: "\"") : text
    }

    /// The number in cell `index`, or nil when the cell is not a number.
    func number(_ index: Int) -> Double? {
        CSVNumber.parse(bytes, from: starts[index], to: ends[index])
    }
}

enum CSVScanError: Error {
    case unterminatedQuote(line: Int)
}

/// Decimal number parsing: an exact fast path (Clinger's: ≤ 19 significant digits, mantissa < 2^53,
/// |exponent| ≤ 22, so one correctly rounded multiplication or division) and `strtod` for everything else
/// (long mantissas, large exponents, hexadecimal, `inf`, `nan`).
enum CSVNumber {
    private static let powersOfTen: [Double] = (0 ... 22).map { exponent in
        var value = 1.0
        for _ in 0 ..< exponent { value *= 10 }
        return value
    }

    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Double? {
        guard start < end else { return nil }
        if let value = fastParse(bytes, from: start, to: end) { return value }
        return slowParse(bytes, from: start, to: end)
    }

    private static func fastParse(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Double? {
        var index = start
        var negative = false
        if bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index += 1
        }
        var mantissa = Mantissa()
        guard mantissa.read(bytes, &index, end, scalesExponent: false) else { return nil }
        if index < end && bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard mantissa.read(bytes, &index, end, scalesExponent: true) else { return nil }
        }
        guard mantissa.sawDigit else { return nil }
        var exponent = mantissa.exponent
        if index < end && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            var exponentNegative = false
            if index < end && (bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")) {
                exponentNegative = bytes[index] == UInt8(ascii: "-")
                index += 1
            }
            var written = 0
            var sawExponentDigit = false
            while index < end, let digit = digitValue(bytes[index]) {
                sawExponentDigit = true
                if written > 1000 { return nil }
                written = written * 10 + digit
                index += 1
            }
            guard sawExponentDigit else { return nil }
            exponent += exponentNegative ? -written : written
        }
        guard index == end else { return nil }
        let digits = mantissa.value
        if digits == 0 { return negative ? -0.0 : 0.0 }
        guard digits < (1 << 53), exponent >= -22, exponent <= 22 else { return nil }
        let magnitude = exponent < 0
            ? Double(digits) / powersOfTen[-exponent] : Double(digits) * powersOfTen[exponent]
        return negative ? -magnitude : magnitude
    }

    /// The decimal digits of a number's integer and fraction parts as one integer: `12.50` reads as 1250 with
    /// `exponent` −2. Leading zeros are not significant; more than 19 significant digits do not fit a `UInt64`
    /// exactly, and the fast path gives up (`read` returns false).
    private struct Mantissa {
        var value: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        var sawDigit = false

        /// Reads the run of digits at `index`; each digit of a fraction (`scalesExponent`) lowers `exponent` by one.
        @inline(__always)
        mutating func read(
            _ bytes: UnsafeBufferPointer<UInt8>, _ index: inout Int, _ end: Int, scalesExponent: Bool
        ) -> Bool {
            while index < end, let digit = digitValue(bytes[index]) {
                sawDigit = true
                if value != 0 || digit != 0 {
                    significantDigits += 1
                    if significantDigits > 19 { return false }
                    value = value &* 10 &+ UInt64(digit)
                }
                if scalesExponent { exponent -= 1 }
                index += 1
            }
            return true
        }
    }

    @inline(__always)
    private static func digitValue(_ byte: UInt8) -> Int? {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
    }

    private static func slowParse(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Double? {
        let length = end - start
        guard length < 512 else { return nil }
        // Cells that cannot be numbers at all are rejected before the copy.
        let first = bytes[start]
        guard first == UInt8(ascii: "-") || first == UInt8(ascii: "+") || first == UInt8(ascii: ".")
            || digitValue(first) != nil || first | 0x20 == UInt8(ascii: "i") || first | 0x20 == UInt8(ascii: "n")
        else { return nil }
        return withUnsafeTemporaryAllocation(of: CChar.self, capacity: length + 1) { buffer -> Double? in
            for offset in 0 ..< length { buffer[offset] = CChar(bitPattern: bytes[start + offset]) }
            buffer[length] = 0
            var endPointer: UnsafeMutablePointer<CChar>? = nil
            let value = strtod(buffer.baseAddress!, &endPointer)
            guard let endPointer, endPointer - buffer.baseAddress! == length else { return nil }
            return value
        }
    }
}
