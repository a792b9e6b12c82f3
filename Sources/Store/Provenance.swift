import Foundation

/// What every run records about where it came from: the Logbook version that wrote it and the machine it ran on.
/// The single definition of both (`logbook --version` prints `Provenance.logbookVersion`; runs, claimed trials and the
/// worker liveness check use `Provenance.hostName`).
public enum Provenance {
    /// The version string recorded on every run (`runs.logbook_version`) and printed by `logbook --version`.
    public static let logbookVersion = "0.1.0"

    /// This machine's name as `gethostname(2)` returns it, looked up once (`ProcessInfo.hostName` may resolve it
    /// through the network each time, and may return a different, fully qualified name). Stored in `runs.host`
    /// when a run is created or a trial claimed, and compared with it to tell whether a worker ran on this machine.
    public static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return ProcessInfo.processInfo.hostName }
        let bytes = buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }()
}

/// How liveness is judged: a process that holds a run refreshes `runs.heartbeat_at`; a `running` run whose heartbeat
/// is older than `staleAfter` has lost its process.
public enum Heartbeat {
    /// Seconds without a heartbeat after which a `running` run counts as abandoned: the `run_summary` view shows it as
    /// `interrupted` / `heartbeat_lost` (migration 0002 spells the same 10 s in SQL), the next read-write open records
    /// it so (`markStaleRunsInterrupted`), and sweeps re-queue such trials (`requeueStaleTrials`, the default of
    /// `sweep resume --stale-after`). Five missed `interval`s.
    ///
    /// Staleness is judged by the clock of the process that checks, against timestamps written with the clock of the
    /// process that heartbeats: the same machine's clock for a SQLite file (one machine). A store shared between
    /// machines must stamp and compare with one clock, the database server's.
    public static let staleAfter: Double = 10

    /// Seconds between heartbeats of a recorder (and of a sweep worker's lease on its trial).
    public static let interval: Double = 2
}
