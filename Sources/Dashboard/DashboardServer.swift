import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Store

/// `logbook serve`'s HTTP server (Hummingbird 2 over SwiftNIO): binds `host:port`, answers through
/// `DashboardRoutes` over read-only store connections, and keeps slow clients from holding it — a connection idle
/// for `idleTimeout` (a request that never finishes arriving, a client that stops reading) is closed, store work
/// is bounded by `StoreWorkers`, and event loops never block on the store.
public final class DashboardServer: Sendable {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        /// Required for an address other than loopback (`AccessToken.isLoopback`).
        public var token: AccessToken?
        public var idleTimeout: Duration
        /// How often a run's event stream looks for new points.
        public var pollInterval: Duration

        public init(
            host: String = "127.0.0.1", port: Int = 8080, token: AccessToken? = nil, idleTimeout: Duration = .seconds(30),
            pollInterval: Duration = .milliseconds(250)
        ) {
            (self.host, self.port, self.token, self.idleTimeout, self.pollInterval) = (host, port, token, idleTimeout, pollInterval)
        }
    }

    public let configuration: Configuration
    let routes: DashboardRoutes

    /// Serves the store at `location` (a SQLite path or a `postgresql://` URL), opened read-only `connections` times.
    public convenience init(location: String, configuration: Configuration, connections: Int = 2) throws {
        let stores = try (0..<max(1, connections)).map { _ in try StoreLocation.open(location, mode: .readOnly) }
        try self.init(stores: stores, configuration: configuration)
    }

    /// Serves `stores` (read-only connections to one store). Throws when a non-loopback address has no token.
    public init(stores: [any LogbookStoring], configuration: Configuration) throws {
        guard AccessToken.isLoopback(configuration.host) || configuration.token != nil else {
            throw StoreError("serving on '\(configuration.host)' (not loopback) needs a token")
        }
        self.configuration = configuration
        self.routes = DashboardRoutes(
            token: configuration.token, workers: StoreWorkers(stores: stores), pollInterval: configuration.pollInterval)
    }

    /// Answers one request without the network (what the HTTP layer calls; benchmarks time it).
    public func respond(_ request: DashboardRequest) async -> DashboardResponse { await routes.respond(request) }

    /// Runs until the task is cancelled; `onListening` gets the bound port (useful with port 0: any free port).
    public func run(onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let routes = self.routes
        var logger = Logger(label: "logbook.dashboard")
        logger.logLevel = .critical  // nothing per request (URLs may carry the token), no noise when stopped
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            DashboardServer.response(await routes.respond(DashboardServer.request(request)))
        }
        let timeout = configuration.idleTimeout.components
        let application = Application(
            responder: responder,
            server: .http1(configuration: .init(idleTimeout: .nanoseconds(timeout.seconds * 1_000_000_000 + timeout.attoseconds / 1_000_000_000))),
            configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: nil),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? 0) },
            logger: logger)
        try await application.run()
    }

    /// The library's request as the routes see it: the path percent-decoded, query values decoded (repeated keys
    /// joined with commas: `columns=a&columns=b` is `columns=a,b`).
    static func request(_ request: Request) -> DashboardRequest {
        var query: [String: String] = [:]
        for (key, value) in request.uri.queryParameters {
            let name = String(key).removingPercentEncoding ?? String(key)
            let text = String(value).replacingOccurrences(of: "+", with: " ").removingPercentEncoding ?? String(value)
            query[name] = query[name].map { $0 + "," + text } ?? text
        }
        var headers: [String: String] = [:]
        for field in request.headers { headers[field.name.canonicalName.lowercased()] = field.value }
        let path = request.uri.path.removingPercentEncoding ?? request.uri.path
        return DashboardRequest(method: request.method.rawValue, path: path, query: query, headers: headers)
    }

    static func response(_ response: DashboardResponse) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = response.contentType
        for (name, value) in response.headers {
            if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
        }
        switch response.body {
        case .bytes(let bytes):
            return Response(status: .init(code: response.status), headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        case .events(let next):
            return Response(status: .init(code: response.status), headers: headers, body: ResponseBody { writer in
                while let chunk = try await next() { try await writer.write(ByteBuffer(string: chunk)) }
                try await writer.finish(nil)
            })
        }
    }
}
