import Foundation
import Report
import Store

/// Every path the dashboard answers, independent of the HTTP library: the token check, the two embedded assets
/// (nothing else can be read through a path: there is no file access at all), the JSON API under `/api/`, the
/// pages; refusals as a 400/401/404/405/503 with one line (JSON for the API, a small page otherwise).
public struct DashboardRoutes: Sendable {
    let token: AccessToken?
    let api: DashboardAPI

    init(token: AccessToken?, workers: StoreWorkers, pollInterval: Duration = .milliseconds(250)) {
        self.token = token
        self.api = DashboardAPI(workers: workers, pollInterval: pollInterval)
    }

    /// The embedded assets by path: the only "files" served.
    static let assets: [String: (type: String, text: String)] = [
        "/assets/dashboard.js": ("text/javascript; charset=utf-8", DashboardAssets.script),
        "/assets/dashboard.css": ("text/css; charset=utf-8", DashboardAssets.stylesheet),
    ]

    /// Headers on every answer: no sniffing, no token leaked in a Referer, and a policy that lets a page run only
    /// the served script and style (no inline script or style: a page names its starter in a JSON data block,
    /// `DashboardPage.document`), load nothing from elsewhere, submit forms only here and sit in no frame.
    static let safetyHeaders: [(String, String)] = [
        ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"),
        (
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
                + "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
        ),
    ]

    public func respond(_ request: DashboardRequest) async -> DashboardResponse {
        var response = await answer(request)
        response.headers += DashboardRoutes.safetyHeaders
        return response
    }

    private func answer(_ request: DashboardRequest) async -> DashboardResponse {
        let segments = request.segments
        let isAPI = segments.first == "api"
        var cookie: String?
        if let token {
            guard let presented = AccessToken.presented(by: request), token.matches(presented.token) else {
                return refusal(401, "this dashboard needs its token: open the link it printed, or send 'Authorization: Bearer TOKEN'", api: isAPI)
            }
            if presented.fromQuery { cookie = token.cookie }
        }
        var response: DashboardResponse
        do {
            guard request.method == "GET" || request.method == "HEAD" else {
                throw DashboardRefusal(status: 405, message: "method \(request.method) not allowed: the dashboard only reads (GET)")
            }
            if let asset = DashboardRoutes.assets[request.path] {
                response = DashboardResponse(
                    status: 200, contentType: asset.type, headers: [("Cache-Control", "no-cache")], body: .bytes(Array(asset.text.utf8)))
            } else if segments.first == "assets" {
                throw DashboardRefusal.notFound("no asset '\(request.path)'")
            } else if isAPI {
                response = try await api.respond(Array(segments.dropFirst()), request)
            } else {
                response = try await DashboardPages(api: api).respond(segments, request)
            }
        } catch let refused as DashboardRefusal {
            response = refusal(refused.status, refused.message, api: isAPI)
        } catch let error as StoreError {
            response = refusal(DashboardAPI.isUnknownID(error) ? 404 : 500, error.message, api: isAPI)
        } catch {
            response = refusal(500, "\(error)", api: isAPI)
        }
        if let cookie { response.headers.append(("Set-Cookie", cookie)) }
        return response
    }

    private func refusal(_ status: Int, _ message: String, api: Bool) -> DashboardResponse {
        if api { return .error(status, message) }
        let title = [400: "Bad request", 401: "Token needed", 404: "Not found", 405: "Read-only", 503: "Busy"][status] ?? "Error"
        return .html(DashboardPage.document(title: title, body: "<p class=\"error\">\(DashboardPage.text(message))</p>"), status: status)
    }
}
