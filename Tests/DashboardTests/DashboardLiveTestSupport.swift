import Dashboard
import Engine
import Foundation
import LogbookFixtures
import Store
import XCTest

#if canImport(Glibc)
    import Glibc
#endif

/// A store recorded for one test of its own (the live tests need a file no other test reads) through the real recording path — a 4-trial fixture sweep and one single run
/// whose name is a script — in a temporary directory, removed when this object goes away.
final class LiveFixture: @unchecked Sendable {
    static let scriptName = "<script>alert(1)</script>"

    let directory: String
    let path: String
    let sweepID: Int64
    let scriptRunID: Int64
    let sweepRunIDs: [Int64]

    init(epochs: Int = 2) throws {
        directory = NSTemporaryDirectory() + "logbook-dashboard-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = directory + "/logbook.sqlite"
        let store = try LogbookStore(path: path)
        var sweep = FixtureSweep()
        sweep.initializers = [.heUniform]
        sweep.seeds = 1
        sweep.epochs = epochs
        sweepID = try sweep.record(into: store)
        sweepRunIDs = try store.runs(sweepID: sweepID).map(\.id).sorted()
        var configuration = sweep.base
        configuration.batchSize = 32
        scriptRunID = try store.createRun(configuration, name: LiveFixture.scriptName)
        let recorder = try store.makeRecorder(for: scriptRunID)
        try sweep.training.emit(configuration, to: recorder)
        try recorder.close()
    }

    deinit { try? FileManager.default.removeItem(atPath: directory) }
}

/// A `DashboardServer` running in a task on a free loopback port (port 0), stopped by `stop()`.
final class RunningDashboard: @unchecked Sendable {
    let server: DashboardServer
    let port: Int
    private let task: Task<Void, any Error>

    init(location: String, configuration: DashboardServer.Configuration = .init(host: "127.0.0.1", port: 0)) async throws {
        var configuration = configuration
        configuration.port = 0
        let server = try DashboardServer(location: location, configuration: configuration)
        self.server = server
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        task = Task { try await server.run { port in continuation.yield(port) } }
        var bound = 0
        for await port in ports {
            bound = port
            break
        }
        port = bound
    }

    func stop() async {
        task.cancel()
        _ = try? await task.value
    }
}

/// A minimal HTTP/1.1 client over a raw socket, so that tests send exactly the bytes they mean (paths with `..`,
/// half a request) and read exactly what the server answers.
enum RawHTTP {
    struct Response {
        var status: Int
        var headers: [String: String]
        var body: String

        var json: Any? { try? JSONSerialization.jsonObject(with: Data(body.utf8)) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
    }

    /// Connects to `127.0.0.1:port` and returns the socket.
    static func connect(port: Int) throws -> Int32 {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socket >= 0 else { throw FixtureError("socket() failed") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(socket, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard result == 0 else {
            close(socket)
            throw FixtureError("connect to port \(port) failed")
        }
        var timeout = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        return socket
    }

    static func send(_ socket: Int32, _ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// Reads until the server closes the connection (or the 20 s receive timeout passes); nil on a timeout.
    static func readToEnd(_ socket: Int32) -> [UInt8]? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = buffer.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
            if count == 0 { return received }
            if count < 0 { return errno == EINTR ? received : nil }
            received += buffer[0..<count]
        }
    }

    /// `GET target` with `Connection: close`; the body de-chunked.
    static func get(port: Int, _ target: String, headers: [String: String] = [:]) throws -> Response {
        var request = "GET \(target) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { request += "\(name): \(value)\r\n" }
        return try self.request(port: port, request + "\r\n")
    }

    /// Sends `text` as it is and reads the answer to the end.
    static func request(port: Int, _ text: String) throws -> Response {
        let socket = try connect(port: port)
        defer { close(socket) }
        send(socket, text)
        guard let bytes = readToEnd(socket) else { throw FixtureError("\(text.prefix(40)): no complete answer within 20 s") }
        return try parse(bytes)
    }

    static func parse(_ bytes: [UInt8]) throws -> Response {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { throw FixtureError("no HTTP head in \(text.prefix(200))") }
        let lines = text[..<end.lowerBound].components(separatedBy: "\r\n")
        let status = Int(lines[0].split(separator: " ")[1]) ?? 0
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = headers[name].map { $0 + ", " + value } ?? value
        }
        var body = String(text[end.upperBound...])
        if headers["transfer-encoding"]?.contains("chunked") == true { body = dechunked(body) }
        return Response(status: status, headers: headers, body: body)
    }

    /// The body of a chunked transfer: `SIZE\r\nDATA\r\n…0\r\n\r\n` (sizes count UTF-8 bytes).
    static func dechunked(_ text: String) -> String {
        var bytes = Array(text.utf8)[...]
        var output: [UInt8] = []
        while let lineEnd = bytes.firstIndex(of: UInt8(ascii: "\r")) {
            let size = Int(String(decoding: bytes[bytes.startIndex..<lineEnd], as: UTF8.self), radix: 16) ?? 0
            let start = lineEnd + 2
            guard size > 0, start + size <= bytes.endIndex else { break }
            output += bytes[start..<(start + size)]
            bytes = bytes[min(bytes.endIndex, start + size + 2)...]
        }
        return String(decoding: output, as: UTF8.self)
    }
}
