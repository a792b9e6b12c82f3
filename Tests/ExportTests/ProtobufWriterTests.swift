import XCTest

@testable import Export

/// The encoder against the worked examples of protobuf's encoding guide and hand-computed bytes; CRC-32C against
/// the standard check value and RFC 3720's test vectors.
final class ProtobufWriterTests: XCTestCase {
    func testVarintsAsTheEncodingGuideWritesThem() {
        var writer = ProtobufWriter()
        writer.varint(1)
        writer.varint(300)  // 300 = 0b10_0101100 → 0xAC 0x02
        writer.varint(UInt64.max)
        XCTAssertEqual(writer.bytes, [0x01, 0xAC, 0x02] + [UInt8](repeating: 0xFF, count: 9) + [0x01])
    }

    func testFieldsOfEachWireType() {
        var writer = ProtobufWriter()
        writer.integer(1, 150)  // the guide's first example: 08 96 01
        writer.string(2, "testing")  // 12 07 74 65 73 74 69 6e 67
        writer.integer(3, -1)  // sign-extended: ten bytes
        writer.double(4, 1.0)  // key (4 << 3) | 1 = 0x21, then 00 00 00 00 00 00 f0 3f
        writer.float(5, 1.5)  // key (5 << 3) | 5 = 0x2D, then 00 00 c0 3f
        XCTAssertEqual(
            writer.bytes,
            [0x08, 0x96, 0x01]
                + [0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6E, 0x67]
                + [0x18] + [UInt8](repeating: 0xFF, count: 9) + [0x01]
                + [0x21, 0, 0, 0, 0, 0, 0, 0xF0, 0x3F]
                + [0x2D, 0, 0, 0xC0, 0x3F])
    }

    func testNestedMessagesAndPackedFields() {
        var writer = ProtobufWriter()
        writer.message(3) { $0.integer(1, 150) }  // the guide's embedded message: 1a 03 08 96 01
        writer.packedIntegers(4, [3, 270, 86942])  // the guide's packed example: 22 06 03 8e 02 9e a7 05
        writer.packedFloats(5, [1.5])  // 2a 04 00 00 c0 3f
        writer.message(6) { _ in }  // an empty message: key and length 0
        XCTAssertEqual(
            writer.bytes,
            [0x1A, 0x03, 0x08, 0x96, 0x01, 0x22, 0x06, 0x03, 0x8E, 0x02, 0x9E, 0xA7, 0x05, 0x2A, 0x04, 0, 0, 0xC0, 0x3F, 0x32, 0x00])
    }

    func testCRC32CCheckValueAndRFC3720Vectors() {
        XCTAssertEqual(CRC32C.checksum(Array("123456789".utf8)), 0xE306_9283)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0, count: 32)), 0x8A91_36AA)
        XCTAssertEqual(CRC32C.checksum([UInt8](repeating: 0xFF, count: 32)), 0x62A8_AB43)
        XCTAssertEqual(CRC32C.checksum((0..<32).map { UInt8($0) }), 0x46DD_794E)
        XCTAssertEqual(CRC32C.checksum([UInt8]()), 0)
    }

    /// Masking: rotate right by 15, add 0xA282EAD8. For 0xE3069283: 0xE3069283 >> 15 = 0x1C60D,
    /// 0xE3069283 << 17 = 0x25060000 (mod 2³²), their OR 0x2507C60D, plus 0xA282EAD8 = 0xC78AB0E5 (mod 2³²).
    func testMaskedCRC() {
        XCTAssertEqual(CRC32C.masked(Array("123456789".utf8)), 0xC78A_B0E5)
    }

    /// A TFRecord: length (8 bytes LE), masked CRC of the length, data, masked CRC of the data.
    func testTFRecordFraming() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-tfrecord-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("records").path
        let writer = try TFRecordWriter(path: path)
        let data = Array("123456789".utf8)
        try writer.write(data)
        try writer.finish()
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let length: [UInt8] = [9, 0, 0, 0, 0, 0, 0, 0]
        func littleEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (8 * $0)) } }
        XCTAssertEqual(bytes, length + littleEndian(CRC32C.masked(length)) + data + [0xE5, 0xB0, 0x8A, 0xC7])
        XCTAssertFalse(FileManager.default.fileExists(atPath: path + ".partial"))
    }
}

/// MLflow's name rules (`validate_param_and_metric_name`, `path_not_unique`), checked before anything is sent.
final class MLflowLimitsTests: XCTestCase {
    func testNamesMLflowAcceptsAndRefuses() {
        for accepted in ["iteration/loss", "batch_size", "a b:c-d.e", "λ"] {
            XCTAssertNil(MLflowLimits.keyProblem(accepted), accepted)
        }
        for refused in ["", "loss%", "a/../b", "/a", "a//b", "a/.", String(repeating: "x", count: 251)] {
            XCTAssertNotNil(MLflowLimits.keyProblem(refused), refused)
        }
    }
}
