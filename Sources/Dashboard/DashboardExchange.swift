import Foundation

/// A request as the dashboard's routes see it, independent of the HTTP library: the method, the path
/// (percent-decoded), the query parameters (decoded; a repeated key's values joined with commas) and the few headers
/// it reads.
public struct DashboardRequest: Sendable {
    /// `GET` or `HEAD` are answered; any other method is refused (405): the dashboard only reads.
    public var method: String
    public var path: String
    public var query: [String: String]
    /// Header values by lower-case name.
    public var headers: [String: String]

    public init(method: String = "GET", path: String, query: [String: String] = [:], headers: [String: String] = [:]) {
        (self.method, self.path, self.query, self.headers) = (method, path, query, headers)
    }

    /// The path's segments after the leading `/` (`/api/runs/3` → `["api", "runs", "3"]`); empty segments dropped.
    var segments: [String] { path.split(separator: "/", omittingEmptySubsequences: true).map(String.init) }
}

/// What a route answers: a status, a content type, extra headers and a body — bytes, or a stream of Server-Sent
/// Events written until the client leaves.
public struct DashboardResponse: Sendable {
    public enum Body: Sendable {
        case bytes([UInt8])
        /// A stream of text chunks (Server-Sent Events): called again for each next chunk, one call at a time,
        /// until it returns nil; the HTTP layer stops calling once the client has gone.
        case events(@Sendable () async throws -> String?)
    }

    public var status: Int
    public var contentType: String
    public var headers: [(String, String)]
    public var body: Body

    public init(status: Int, contentType: String, headers: [(String, String)] = [], body: Body) {
        (self.status, self.contentType, self.headers, self.body) = (status, contentType, headers, body)
    }

    public static func json(_ value: JSONValue, status: Int = 200) -> DashboardResponse {
        DashboardResponse(status: status, contentType: "application/json; charset=utf-8", body: .bytes(Array(value.text.utf8)))
    }

    public static func html(_ text: String, status: Int = 200) -> DashboardResponse {
        DashboardResponse(status: status, contentType: "text/html; charset=utf-8", body: .bytes(Array(text.utf8)))
    }

    /// `{"error": "one line"}` with a 400, 401, 404, 405 or 503.
    public static func error(_ status: Int, _ message: String) -> DashboardResponse {
        let line = message.split(whereSeparator: \.isNewline).joined(separator: " ")
        return .json(.object([("error", .string(line))]), status: status)
    }

    /// The body's bytes (a stream has none).
    public var bytes: [UInt8] { if case .bytes(let bytes) = body { return bytes } else { return [] } }
}

/// A request the routes refuse: the status and the one line that says why.
struct DashboardRefusal: Error {
    var status: Int
    var message: String

    static func badRequest(_ message: String) -> DashboardRefusal { DashboardRefusal(status: 400, message: message) }
    static func notFound(_ message: String) -> DashboardRefusal { DashboardRefusal(status: 404, message: message) }
}
