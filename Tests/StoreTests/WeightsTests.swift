import Engine
import Foundation
import XCTest

@testable import Store
import StoreTesting

final class WeightsTests: StoreContractTestCase {
    func testWeightsRoundTripBitExactlyThroughTheStore() throws {
        try forEachStore { location, store in
            let runID = try store.createRun(Synthetic.configuration())
            let recorder = try store.makeRecorder(for: runID)
            var initial = Synthetic.tensors(seed: 5)
            initial[0].values[7] = Float(bitPattern: 0x7FC0_1234)  // a NaN with a payload survives as a BLOB
            let final = Synthetic.tensors(seed: 9)
            try recorder.handle(.weights(WeightsSnapshot(kind: .initial, tensors: initial)))
            try recorder.handle(.weights(WeightsSnapshot(kind: .final, tensors: final)))
            try recorder.close()

            let storedInitial = try store.weights(run: runID, kind: .initial)
            let storedFinal = try store.finalWeights(run: runID)
            XCTAssertEqual(storedInitial.map(\.name), initial.map(\.name))
            XCTAssertEqual(storedInitial.map(\.role), initial.map(\.role))
            XCTAssertEqual(storedInitial.map(\.shape), initial.map(\.shape))
            XCTAssertEqual(storedInitial.map { bits($0.values) }, initial.map { bits($0.values) })
            XCTAssertEqual(storedFinal, final)
            // The BLOB is little-endian float32: 4 bytes per value, readable by NumPy as '<f4'.
            let blob = try location.scalar(
                "SELECT data FROM weights WHERE run_id = ? AND kind = 'final' AND name = 'layers.2.scalar'", [.integer(runID)])
            XCTAssertEqual(blob, .blob([0x00, 0x00, 0x00, 0x3F]))  // 0.5
        }
    }

    func testWeightsRoundTripBitExactlyThroughSafetensors() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("model.safetensors")
        var tensors = Synthetic.tensors(seed: 3)
        tensors[1].values[0] = Float(bitPattern: 0x7FC0_0042)
        try Safetensors.write(tensors, to: path, metadata: ["run": "12"])
        let read = try Safetensors.read(path: path)
        XCTAssertEqual(read.map(\.name), tensors.map(\.name))
        XCTAssertEqual(read.map(\.role), tensors.map(\.role))
        XCTAssertEqual(read.map(\.shape), tensors.map(\.shape))
        XCTAssertEqual(read.map { bits($0.values) }, tensors.map { bits($0.values) })

        // The layout: u64 LE header length, a JSON header, data 8-byte aligned, F32 little-endian.
        let bytes = try XCTUnwrap(fileBytes(path))
        let headerLength = bytes.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        XCTAssertEqual((8 + headerLength) % 8, 0)
        let header = try XCTUnwrap(
            JSONSerialization.jsonObject(with: bytes.subdata(in: 8..<(8 + headerLength))) as? [String: Any])
        let weight = try XCTUnwrap(header["layers.0.weight"] as? [String: Any])
        XCTAssertEqual(weight["dtype"] as? String, "F32")
        XCTAssertEqual((weight["shape"] as? [Any])?.compactMap { ($0 as? NSNumber)?.intValue }, [16, 2])
        XCTAssertEqual((weight["data_offsets"] as? [Any])?.compactMap { ($0 as? NSNumber)?.intValue }, [0, 128])
        XCTAssertEqual((header["__metadata__"] as? [String: String])?["run"], "12")
        XCTAssertEqual(bytes.count, 8 + headerLength + tensors.reduce(0) { $0 + 4 * $1.values.count })
    }

    func testMalformedSafetensorsGiveClearErrors() throws {
        let directory = try TemporaryDirectory()
        func check(_ bytes: [UInt8], contains expected: String, file: StaticString = #filePath, line: UInt = #line) throws {
            let path = directory.file("bad-\(UUID().uuidString).safetensors")
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            XCTAssertThrowsError(try Safetensors.read(path: path), file: file, line: line) { error in
                XCTAssertTrue("\(error)".contains(expected), "\(error)", file: file, line: line)
                XCTAssertFalse("\(error)".contains("\n"), file: file, line: line)
            }
        }
        func file(header: String, data: [UInt8] = []) -> [UInt8] {
            let json = Array(header.utf8)
            return withUnsafeBytes(of: UInt64(json.count).littleEndian, Array.init) + json + data
        }
        try check([1, 2, 3], contains: "shorter than")
        try check([255, 255, 0, 0, 0, 0, 0, 0, 123], contains: "exceeds the file size")
        try check(file(header: "[1,2]"), contains: "not a JSON object")
        try check(file(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), contains: "do not match")
        try check(file(header: #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#, data: [0, 0, 0, 0]), contains: "do not match")
        try check(file(header: #"{"w":{"dtype":"C64","shape":[1],"data_offsets":[0,8]}}"#, data: Array(repeating: 0, count: 8)), contains: "dtype C64")
        try check(file(header: #"{"w":{"shape":[1]}}"#), contains: "lacks dtype")
        try check(file(header: #"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]), contains: "impossible shape")
        try check(
            file(header: #"{"w":{"dtype":"F32","shape":[4611686018427387904,4],"data_offsets":[0,4]}}"#, data: [0, 0, 0, 0]),
            contains: "impossible shape")
        try check(
            file(header: #"{"w":{"dtype":"F32","shape":[1],"data_offsets":[9223372036854775800,9223372036854775804]}}"#, data: [0, 0, 0, 0]),
            contains: "do not match")
        XCTAssertThrowsError(try Safetensors.read(path: directory.file("absent.safetensors"))) { error in
            XCTAssertTrue("\(error)".contains("absent.safetensors"), "\(error)")
        }
    }

    /// Bytes written by Python's reference implementation (`safetensors.numpy.save`, metadata `source: python`).
    func testReadsAFileWrittenByTheReferenceImplementation() throws {
        let hex =
            "a0000000000000007b225f5f6d657461646174615f5f223a7b22736f75726365223a22707974686f6e227d2c2262696173223a7b2264"
            + "74797065223a22463332222c227368617065223a5b325d2c22646174615f6f666673657473223a5b302c385d7d2c22776569676874"
            + "223a7b226474797065223a22463332222c227368617065223a5b322c335d2c22646174615f6f666673657473223a5b382c33325d7d"
            + "7d202020202020200000003f000080bf0000803f000020c0000040400000803e000000806f12833a"
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            bytes.append(UInt8(hex[index..<next], radix: 16)!)
            index = next
        }
        XCTAssertEqual(bytes.count, 200)
        let tensors = try Safetensors.decode(bytes)
        XCTAssertEqual(tensors.map(\.name), ["bias", "weight"])
        XCTAssertEqual(tensors.map(\.shape), [[2], [2, 3]])
        XCTAssertEqual(bits(tensors[0].values), bits([0.5, -1]))
        XCTAssertEqual(bits(tensors[1].values), bits([1, -2.5, 3, 0.25, -0.0, 1e-3]))
        // Ours, written back, is read by the same rules (and by Python: checked by hand with safetensors 0.8).
        XCTAssertEqual(try Safetensors.decode(Safetensors.encode(tensors)), tensors)
    }
}
