import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A synchronous JSON-over-HTTP client for MLflow's REST API (`/api/2.0/mlflow/…`) on Foundation's `URLSession`.
/// Each call waits at most `timeout` seconds. A non-2xx answer throws with MLflow's `error_code` and `message`.
final class MLflowHTTP: @unchecked Sendable {
    let base: URL
    let timeout: Double
    private let session: URLSession

    init(trackingURI: String, timeout: Double = 60) throws {
        guard let url = URL(string: trackingURI), let scheme = url.scheme, ["http", "https"].contains(scheme),
            url.host != nil
        else { throw ExportError("invalid --tracking-uri '\(trackingURI)': must be http://HOST:PORT or https://HOST:PORT") }
        base = url
        self.timeout = timeout
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        session = URLSession(configuration: configuration)
    }

    deinit { session.finishTasksAndInvalidate() }

    /// POSTs `body` as JSON to `api/2.0/mlflow/<endpoint>` and returns the decoded JSON object.
    @discardableResult
    func post(_ endpoint: String, _ body: [String: Any]) throws -> [String: Any] {
        let data = Data(JSONText.encode(body).utf8)
        return try send(method: "POST", path: "api/2.0/mlflow/" + endpoint, body: data, contentType: "application/json")
    }

    /// GETs `api/2.0/mlflow/<endpoint>?query`; nil when MLflow answers RESOURCE_DOES_NOT_EXIST.
    func get(_ endpoint: String, query: [String: String]) throws -> [String: Any]? {
        var components = URLComponents()
        components.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        let path = "api/2.0/mlflow/" + endpoint + (components.percentEncodedQuery.map { "?" + $0 } ?? "")
        do {
            return try send(method: "GET", path: path, body: nil, contentType: nil)
        } catch let error as MLflowError where error.code == "RESOURCE_DOES_NOT_EXIST" {
            return nil
        }
    }

    /// PUTs `bytes` to the tracking server's artifact proxy, `api/2.0/mlflow-artifacts/artifacts/<path>`.
    func putArtifact(path: String, bytes: [UInt8]) throws {
        let encoded = path.split(separator: "/").map {
            String($0).addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? String($0)
        }.joined(separator: "/")
        _ = try send(
            method: "PUT", path: "api/2.0/mlflow-artifacts/artifacts/" + encoded, body: Data(bytes),
            contentType: "application/octet-stream")
    }

    private func send(method: String, path: String, body: Data?, contentType: String?) throws -> [String: Any] {
        let baseText = base.absoluteString.hasSuffix("/") ? base.absoluteString : base.absoluteString + "/"
        guard let url = URL(string: baseText + path) else { throw ExportError("MLflow: cannot form a URL for '\(path)'") }
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = method
        request.httpBody = body
        if let contentType { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        request.setValue("", forHTTPHeaderField: "Expect")  // no 100-continue round trip before each body
        let reply = Reply()
        let done = DispatchSemaphore(value: 0)
        session.dataTask(with: request) { data, response, error in
            reply.set(data: data, status: (response as? HTTPURLResponse)?.statusCode, error: error)
            done.signal()
        }.resume()
        if done.wait(timeout: .now() + timeout + 5) == .timedOut {
            throw ExportError("MLflow: \(method) \(url.path) had no answer within \(Int(timeout)) s")
        }
        let (data, status, error) = reply.get()
        if let error { throw ExportError("MLflow: \(method) \(url.path) failed: \(error.localizedDescription)") }
        let object = data.flatMap { try? JSONSerialization.jsonObject(with: $0) } as? [String: Any]
        guard let status, (200..<300).contains(status) else {
            let code = object?["error_code"] as? String ?? "HTTP \(status.map(String.init) ?? "?")"
            let message = object?["message"] as? String ?? data.map { String(decoding: $0.prefix(300), as: UTF8.self) } ?? ""
            throw MLflowError(code: code, message: "MLflow: \(method) \(url.path): \(code): \(message)")
        }
        return object ?? [:]
    }
}

/// An error answer of the MLflow server.
struct MLflowError: Error, CustomStringConvertible {
    var code: String
    var message: String
    var description: String { message }
}

/// The answer of one request, handed from URLSession's queue to the waiting thread.
private final class Reply: @unchecked Sendable {
    private let lock = NSLock()
    private var data: Data?
    private var status: Int?
    private var error: Error?

    func set(data: Data?, status: Int?, error: Error?) {
        lock.lock()
        (self.data, self.status, self.error) = (data, status, error)
        lock.unlock()
    }

    func get() -> (Data?, Int?, Error?) {
        lock.lock()
        defer { lock.unlock() }
        return (data, status, error)
    }
}
