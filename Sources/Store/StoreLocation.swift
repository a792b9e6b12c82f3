/// Where a store lives, as `--db` and `LOGBOOK_DB` name it: a `postgresql://…` / `postgres://…` URL (the
/// PostgreSQL store) or a SQLite file path.
public enum StoreLocation {
    /// True when `location` is a PostgreSQL URL.
    public static func isPostgreSQL(_ location: String) -> Bool { PostgreSQLURL.isPostgreSQL(location) }

    /// `location` as it may be shown: a URL without its password.
    public static func displayed(_ location: String) -> String {
        isPostgreSQL(location) ? PostgreSQLURL.redacted(location) : location
    }

    /// Opens the store at `location`.
    public static func open(_ location: String, mode: LogbookStore.AccessMode) throws -> any LogbookStoring {
        if isPostgreSQL(location) { return try PostgreSQLStore(url: location, mode: mode) }
        return try LogbookStore(path: location, mode: mode)
    }
}
