import Foundation

/// Who may read the dashboard. Bound to loopback it is open (like `logbook runs` on the same machine); bound to any
/// other address it asks for a token, as Jupyter does: given with `--token` or generated, and accepted from the
/// `Authorization: Bearer T` or `X-Logbook-Token: T` header, from `?token=T` (the link printed at start, which also
/// sets a cookie so the page's own requests carry it), or from that cookie. The token is never logged.
public struct AccessToken: Sendable, Equatable {
    public let value: String

    public init(_ value: String) { self.value = value }

    /// The cookie that carries the token after a `?token=` link.
    static let cookieName = "logbook_token"

    /// 32 random bytes as 64 hex digits (`SystemRandomNumberGenerator`: the OS's cryptographic source).
    public static func generate() -> AccessToken {
        var generator = SystemRandomNumberGenerator()
        return AccessToken((0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined())
    }

    /// Whether `address` (as given to `--host`) is a loopback address: `localhost`, 127.0.0.0/8 or `::1`.
    public static func isLoopback(_ address: String) -> Bool {
        let host = address.hasPrefix("[") && address.hasSuffix("]") ? String(address.dropFirst().dropLast()) : address
        if host == "localhost" || host == "::1" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts[0] == "127" && parts.allSatisfy { UInt8($0) != nil }
    }

    /// The token a request presents, from the headers, the query or the cookie (in that order), if any.
    static func presented(by request: DashboardRequest) -> (token: String, fromQuery: Bool)? {
        if let authorization = request.headers["authorization"], authorization.lowercased().hasPrefix("bearer ") {
            return (String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces), false)
        }
        if let header = request.headers["x-logbook-token"] { return (header, false) }
        if let query = request.query["token"] { return (query, true) }
        for pair in (request.headers["cookie"] ?? "").split(separator: ";") {
            let parts = pair.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            if parts.count == 2, parts[0] == cookieName { return (parts[1], false) }
        }
        return nil
    }

    /// Compares in time that depends on the lengths only, not on where the texts first differ.
    func matches(_ candidate: String) -> Bool {
        let expected = Array(value.utf8), given = Array(candidate.utf8)
        guard expected.count == given.count else { return false }
        return zip(expected, given).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// The `Set-Cookie` value that keeps the token for the page's own requests (not readable by scripts).
    var cookie: String { "\(AccessToken.cookieName)=\(value); Path=/; HttpOnly; SameSite=Strict" }
}
