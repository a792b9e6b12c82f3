import Foundation

/// Runs pages in a real browser for tests: Debian's `chromium`, headless (`--headless=new --no-sandbox`), printing the
/// DOM after the page's scripts ran (`--dump-dom`; `--virtual-time-budget` lets timers, animation frames and fetches
/// finish first). `make test` installs `chromium` when it is missing (the `browser` target); a missing browser is a
/// test failure with this message, never a skip.
public enum HeadlessChromium {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(description: String) { self.description = description }
    }

    /// The browser: `$LOGBOOK_CHROMIUM` if set, else the first `chromium` or `chromium-browser` on `PATH`.
    public static func executable() throws -> URL {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["LOGBOOK_CHROMIUM"], !path.isEmpty { return URL(fileURLWithPath: path) }
        let folders = (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":").map(String.init)
        for name in ["chromium", "chromium-browser"] {
            for folder in folders where FileManager.default.isExecutableFile(atPath: "\(folder)/\(name)") {
                return URL(fileURLWithPath: "\(folder)/\(name)")
            }
        }
        throw Failure(description: "chromium not found on PATH; install it with `make browser` (apt-get install chromium)")
    }

    /// The DOM of `url` after its scripts ran, serialized as HTML. Each call uses its own throwaway profile, so
    /// parallel test runs never share browser state (localStorage starts empty). Fails after `timeoutSeconds`.
    public static func dumpDOM(url: String, virtualTimeBudgetMilliseconds: Int = 5000, timeoutSeconds: Double = 120)
        throws -> String
    {
        let profile = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-chromium-\(UUID())")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: profile) }
        let process = Process()
        process.executableURL = try executable()
        process.arguments = [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
            "--user-data-dir=\(profile.path)", "--virtual-time-budget=\(virtualTimeBudgetMilliseconds)",
            "--dump-dom", url,
        ]
        let output = Pipe()
        let errorLog = profile.appendingPathComponent("stderr.log")
        _ = FileManager.default.createFile(atPath: errorLog.path, contents: nil)
        process.standardOutput = output
        process.standardError = try FileHandle(forWritingTo: errorLog)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let watchdog = DispatchWorkItem { [process] in if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + timeoutSeconds, execute: watchdog)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        watchdog.cancel()
        let dom = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0, dom.contains("<html") else {
            let log = (try? String(contentsOf: errorLog, encoding: .utf8)) ?? ""
            throw Failure(description: "chromium exited with status \(process.terminationStatus) on \(url): "
                + log.split(separator: "\n").suffix(5).joined(separator: " | "))
        }
        return dom
    }

    /// The DOM of an HTML document written to a temporary file (removed afterwards) and opened as file://.
    public static func dumpDOM(html: String, virtualTimeBudgetMilliseconds: Int = 5000) throws -> String {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("logbook-page-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let page = folder.appendingPathComponent("page.html")
        try html.write(to: page, atomically: true, encoding: .utf8)
        return try dumpDOM(url: page.absoluteString, virtualTimeBudgetMilliseconds: virtualTimeBudgetMilliseconds)
    }

    /// The script a page can use to hand a JSON value back to the test: `logbookReport(value)` writes
    /// `encodeURIComponent(JSON.stringify({value, errors}))` into `<pre id="logbook-test-result">` (percent-encoding
    /// keeps it free of characters the DOM dump would escape); `errors` collects the page's uncaught errors. Read it
    /// back with `reportedJSON(in:)`. Put it in a `<script>` before the page's own scripts.
    public static let reportScript = """
        const logbookErrors = [];
        let logbookReported = null;
        function logbookReport(value) {
          logbookReported = value;
          let pre = document.getElementById('logbook-test-result');
          if (!pre) { pre = document.createElement('pre'); pre.id = 'logbook-test-result'; document.body.appendChild(pre); }
          pre.textContent = encodeURIComponent(JSON.stringify({ value, errors: logbookErrors }));
        }
        window.addEventListener('error', (event) => { logbookErrors.push(String(event.message)); logbookReport(logbookReported); });
        window.addEventListener('unhandledrejection', (event) => {
          logbookErrors.push(String(event.reason)); logbookReport(logbookReported);
        });
        """

    /// The JSON value a page reported through `logbookReport`, decoded with JSONSerialization; fails when the page
    /// reported nothing or had an uncaught error.
    public static func reportedJSON(in dom: String) throws -> Any {
        guard let start = dom.range(of: "<pre id=\"logbook-test-result\">"),
            let end = dom.range(of: "</pre>", range: start.upperBound..<dom.endIndex)
        else { throw Failure(description: "the page reported nothing (no #logbook-test-result): a script failed?") }
        let encoded = String(dom[start.upperBound..<end.lowerBound])
        guard let text = encoded.removingPercentEncoding,
            let report = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
        else { throw Failure(description: "the page's report is not JSON: \(encoded.prefix(200))") }
        if let errors = report["errors"] as? [String], !errors.isEmpty {
            throw Failure(description: "the page's script failed: \(errors.joined(separator: "; "))")
        }
        guard let value = report["value"] else { throw Failure(description: "the page reported no value") }
        return value
    }
}
