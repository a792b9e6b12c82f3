import ArgumentParser
import Dashboard
import Foundation

/// `logbook serve [--db PATH|URL] [--host 127.0.0.1] [--port 8080] [--token T]`: the live web dashboard.
struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Serve a live web dashboard over the store (read-only): sweeps, runs, a run, compare, a sweep.",
        discussion: """
            Pages: /sweeps (progress, counts, best so far; live), /runs (the runs table with the --where language, \
            sorting, columns, paging, selection), /runs/ID (configuration, epochs, test evaluation, the loss curve \
            growing live), /compare?runs=1,2 (overlaid curves), /sweeps/ID (parallel coordinates, metric against each \
            hyperparameter, batch size × learning rate, the report's sections). JSON under /api/ (see README). The \
            store is opened read-only: the server never writes. Bound to an address other than loopback it needs a \
            token (--token, or one is generated and printed); requests carry it as ?token=, a cookie, or \
            'Authorization: Bearer TOKEN'.

            Example: logbook serve --db runs.sqlite --port 8080
            """)

    @OptionGroup var store: StoreOptions
    @Option(help: "The address to bind (loopback unless told otherwise; any other address needs a token).")
    var host: String = "127.0.0.1"
    @Option(help: "The port to listen on (0: any free port, printed).")
    var port: Int = 8080
    @Option(help: "The access token (default: generated when --host is not loopback; loopback needs none).")
    var token: String?

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("invalid --port \(port): must be 0…65535") }
        if let token, token.count < 16 || token.contains(where: { $0.isWhitespace || $0 == ";" || $0 == "," }) {
            throw ValidationError("invalid --token: must be at least 16 characters without spaces, ';' or ','")
        }
        if host.isEmpty { throw ValidationError("invalid --host '': give an address such as 127.0.0.1") }
    }

    /// The token in force: `--token`, else a generated one off loopback, else none.
    func accessToken() -> AccessToken? {
        if let token { return AccessToken(token) }
        return AccessToken.isLoopback(host) ? nil : AccessToken.generate()
    }

    func run() throws {
        let access = accessToken()
        let server = try DashboardServer(
            location: store.location, configuration: .init(host: host, port: port, token: access))
        let shownHost = host.contains(":") ? "[\(host)]" : host
        let failure = ServeFailure()
        let done = DispatchSemaphore(value: 0)
        let path = store.path
        Task {
            do {
                try await server.run { bound in
                    var address = "http://\(shownHost):\(bound)/"
                    if let access { address += "?token=\(access.value)" }
                    Console.line("serving \(path) read-only at \(address)")
                    if access != nil { Console.line("(not loopback: the token is needed; keep the link private)") }
                }
            } catch {
                failure.error = error
            }
            done.signal()
        }
        done.wait()
        if let error = failure.error { throw error }
    }
}

/// Carries the server's error out of its task.
private final class ServeFailure: @unchecked Sendable {
    var error: (any Error)?
}
