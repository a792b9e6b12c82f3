import BrowserTesting
import Foundation
import Report
import XCTest

/// A test page: the dashboard's script and stylesheet inlined, `body` as its markup, then `script` (the test's own
/// JavaScript, which ends by calling `logbookReport(value)`), run in headless Chromium.
struct DashboardPage {
    let dom: String
    let value: [String: Any]

    init(body: String = "", script: String, file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertFalse(DashboardAssets.script.contains("</script"), "the script must be inlinable", file: file, line: line)
        let html = """
            <!doctype html>
            <html><head><meta charset="utf-8"><style>\(DashboardAssets.stylesheet)</style>
            <script>\(HeadlessChromium.reportScript)</script>
            <script>\(DashboardAssets.script)</script></head>
            <body>\(body)
            <script>\(script)</script></body></html>
            """
        dom = try HeadlessChromium.dumpDOM(html: html)
        guard let object = try HeadlessChromium.reportedJSON(in: dom) as? [String: Any] else {
            throw HeadlessChromium.Failure(description: "the page reported something other than an object")
        }
        value = object
    }

    func numbers(_ key: String, file: StaticString = #filePath, line: UInt = #line) -> [Double] {
        guard let array = value[key] as? [Any] else {
            XCTFail("no array \(key) in \(value)", file: file, line: line)
            return []
        }
        return array.map { ($0 as? NSNumber)?.doubleValue ?? .nan }
    }

    func strings(_ key: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        guard let array = value[key] as? [Any] else {
            XCTFail("no array \(key) in \(value)", file: file, line: line)
            return []
        }
        return array.map { "\($0)" }
    }

    func number(_ key: String) -> Double? { (value[key] as? NSNumber)?.doubleValue }
}

/// Asserts two arrays of numbers agree within `accuracy`, element by element.
func assertClose(
    _ actual: [Double], _ expected: [Double], accuracy: Double = 1e-4, file: StaticString = #filePath,
    line: UInt = #line
) {
    XCTAssertEqual(actual.count, expected.count, "\(actual) vs \(expected)", file: file, line: line)
    for (a, e) in zip(actual, expected) {
        XCTAssertEqual(a, e, accuracy: accuracy, "\(actual) vs \(expected)", file: file, line: line)
    }
}
