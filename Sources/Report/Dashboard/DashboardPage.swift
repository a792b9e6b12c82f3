import Foundation
import Store

/// The frame every dashboard page shares: the document, the navigation, the embedded stylesheet and script (served
/// at `/assets/…`, nothing from elsewhere), and the escaping rules. Every value from the store goes through `text`
/// (HTML text and attribute values) or `data` (JSON inside the page's data block), never pasted.
public enum DashboardPage {
    /// An HTML document titled `title` with `body` under the navigation. `start` names the starter of
    /// `Logbook.pages` (in `/assets/dashboard.js`) that runs once the page has loaded, and its parameters (JSON
    /// values as text, e.g. `("runID", "17")`): written as a JSON data block, which the browser never executes, so
    /// the only scripts a page runs are the served asset's and the policy forbids inline ones.
    public static func document(title: String, body: String, start: String? = nil, parameters: [(String, String)] = []) -> String {
        var page = ""
        if let start {
            let fields = [("name", JSONWriter.quote(start))] + parameters
            let json = "{" + fields.map { "\(JSONWriter.quote($0.0)):\($0.1)" }.joined(separator: ",") + "}"
            page = "<script type=\"application/json\" id=\"logbook-page\">\(data(json))</script>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><title>\(text(title)) · Logbook</title>
            <link rel="stylesheet" href="/assets/dashboard.css"><script src="/assets/dashboard.js"></script></head>
            <body>
            <nav class="top"><a href="/sweeps">Sweeps</a><a href="/runs">Runs</a></nav>
            <h1>\(text(title))</h1>
            \(body)
            \(page)</body>
            </html>

            """
    }

    /// `value` escaped for HTML text and attribute values (`&`, `<`, `>`, `"`, `'`): the XML escaper of the charts.
    public static func text(_ value: String) -> String { SVG.escape(value) }

    /// JSON text made safe inside a `<script>` element: `<` is written `\u003c` (valid JSON, and no `</script>`
    /// can end the element early). `<` occurs in JSON only inside strings, so the value is unchanged.
    public static func data(_ json: String) -> String { json.replacingOccurrences(of: "<", with: "\\u003c") }

    /// A store value as a table cell shows it (`CellText.human`), escaped.
    static func cell(_ value: SQLValue) -> String { text(CellText.human(value)) }

    /// `path?key=value&…` with every key and value percent-encoded (a link that carries user text).
    public static func link(_ path: String, _ query: [(String, String)]) -> String {
        let pairs = query.filter { !$0.1.isEmpty }.map { "\(percentEncoded($0.0))=\(percentEncoded($0.1))" }
        return pairs.isEmpty ? path : path + "?" + pairs.joined(separator: "&")
    }

    /// `value` percent-encoded for a query string: everything but the unreserved characters of RFC 3986.
    public static func percentEncoded(_ value: String) -> String {
        value.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    /// An HTML table of `rows` under `headers`, every cell escaped; numeric cells right-aligned.
    static func table(headers: [String], rows: [[SQLValue]], className: String = "") -> String {
        var output = "<table\(className.isEmpty ? "" : " class=\"\(className)\"")><thead><tr>"
        output += headers.map { "<th>\(text($0))</th>" }.joined() + "</tr></thead><tbody>"
        for row in rows {
            output += "<tr>" + row.map { CellText.isNumeric($0) ? "<td class=\"num\">\(cell($0))</td>" : "<td>\(cell($0))</td>" }.joined() + "</tr>"
        }
        return output + "</tbody></table>\n"
    }
}
